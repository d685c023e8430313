/**
 * Real congestion: a four-person call where Ada's uplink goes through a token bucket
 * (tc tbf) on a veth pair into a child network namespace her Chromium runs in
 * (tests/support/shaped-link.ts). Everyone captures 320x240 (four Chromiums on two shared
 * cores), so Ada's three camera sends want about 700 kbps; her uplink is shaped to
 * 500 kbit/s. While shaped, the others keep hearing her (audio packets keep arriving,
 * little concealment), her video to them is held to what the link carries (limited or
 * paused) while audio keeps flowing everywhere, and after the shaping is lifted her
 * video flows again and comes back from audio-only. Each camera captures at 15 fps: at
 * 30 fps the four Chromiums saturate two cores, and the round trips that CPU starvation
 * adds (seconds) pause video by themselves, whatever the uplink.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { createShapedLink, launchBehind, type ShapedLink } from '../support/shaped-link.js';
import { bandwidth, smallCamera } from './bandwidth-support.js';
import { closeAll, firstFramesFrom, join, newRoom, openRoom, stats, type Person } from './harness.js';

let server: RunningServer;
let browser: Browser;
let shaped: Browser;
let link: ShapedLink;
const everyone: Person[] = [];

beforeAll(async () => {
  link = await createShapedLink();
  [server, browser] = await Promise.all([startServer({ env: { HOST: '0.0.0.0' } }), launchChromium()]);
  shaped = await launchBehind(link, server.port); // Ada's Chromium lives behind the veth
}, 180_000);
afterAll(async () => {
  await closeAll(everyone);
  await shaped?.close();
  await browser?.close();
  await server?.stop();
  link?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Heard {
  audioPackets: number;
  concealed: number;
  samples: number;
  frames: number;
}

async function heardFrom(viewer: Person, from: Person): Promise<Heard> {
  const s = (await stats(viewer)).find((x) => x.id === from.id);
  return { audioPackets: s?.audio.packetsReceived ?? 0, concealed: s?.audio.concealedSamples ?? 0, samples: s?.audio.totalSamplesReceived ?? 0, frames: s?.video.framesDecoded ?? 0 };
}

const RATE = '500kbit';

describe('one participant behind a 500 kbit/s uplink', () => {
  it('keeps their audio flowing, holds their video to the link, and recovers when the link does', async () => {
    const slug = await newRoom(server.url, 'Shaped');
    const ada = await openRoom(shaped, `http://${link.hostAddress}:${server.port}`, slug, 'Ada');
    everyone.push(ada);
    // Five browsers' worth of work on two shared cores: every step may take a while.
    ada.page.setDefaultTimeout(60_000);
    await smallCamera(ada.context);
    await ada.page.reload();
    const others = await Promise.all(['Bo', 'Cy', 'Dee'].map(async (n) => {
      const p = await openRoom(browser, server.url, slug, n);
      await smallCamera(p.context);
      p.page.setDefaultTimeout(60_000);
      await p.page.reload();
      everyone.push(p);
      return p;
    }));
    await join(ada);
    for (const p of others) await join(p);
    const all = [ada, ...others];
    for (const p of all) await firstFramesFrom(p, all.filter((o) => o !== p), 60_000);
    await sleep(5_000);
    const before = await bandwidth(ada);
    console.info(`unshaped: Ada's camera caps ${before.peers.map((s) => `${Math.round((s.camera?.maxBitrate ?? 0) / 1000)}k ${s.quality}${s.reason ? ` (${s.reason})` : ''}`).join(', ')}`);

    link.shape(RATE);
    const t0 = Date.now();
    const start = await Promise.all(others.map((o) => heardFrom(o, ada)));
    let last = start;
    const qualities = new Set<string>();
    let lowestSum = Infinity;
    const trace: string[] = [];
    const kb = (x: number | null | undefined) => (x == null ? '-' : String(Math.round(x / 1000)));
    const pct = (x: number | null | undefined) => (x == null ? '-' : `${Math.round(x * 100)}%`);
    const ms = (x: number | null | undefined) => (x == null ? '-' : `${Math.round(x * 1000)}ms`);
    for (let i = 0; i < 15; i++) {
      await sleep(2_000);
      const now = await Promise.all(others.map((o) => heardFrom(o, ada)));
      now.forEach((h, k) => expect(h.audioPackets, `${others[k]!.name} keeps receiving Ada's audio (${i * 2 + 2} s into shaping)`).toBeGreaterThan(last[k]!.audioPackets));
      last = now;
      const report = await bandwidth(ada);
      const boCy = (await bandwidth(others[0]!)).peers.find((x) => x.id === others[1]!.id)?.stats?.sample.rtt;
      trace.push(`${i * 2 + 2}s (Bo-Cy rtt ${ms(boCy)}) ` + report.peers.map((s) => `[${s.quality} cap ${kb(s.camera?.active ? s.camera.maxBitrate : 0)} sent ${kb(s.stats?.sentBitrate)}/${kb(s.stats?.sample.sentTotalBitrate)} est ${kb(s.stats?.sample.availableOutgoingBitrate)} loss ${pct(s.stats?.sample.loss)} rtt ${ms(s.stats?.sample.rtt)}]`).join(' '));
      for (const s of report.peers) qualities.add(s.quality);
      lowestSum = Math.min(lowestSum, report.peers.reduce((n, s) => n + (s.camera?.active ? (s.camera.maxBitrate ?? 0) : 0), 0));
    }
    const shapedFor = (Date.now() - t0) / 1000;
    console.info(`Ada's links while shaped (cap, camera sent/all sent, estimate in kbps):\n${trace.join('\n')}`);
    const concealment = last.map((h, k) => (h.concealed - start[k]!.concealed) / Math.max(1, h.samples - start[k]!.samples));
    const adaReport = await bandwidth(ada);
    console.info(
      `shaped ${shapedFor.toFixed(0)} s: concealment of Ada's audio at Bo/Cy/Dee ${concealment.map((c) => `${(c * 100).toFixed(1)}%`).join(', ')}; ` +
        `Ada's verdicts seen ${[...qualities].join(', ')}; lowest sum of her active camera caps ${Math.round(lowestSum / 1000)} kbps; now ${adaReport.peers.map((s) => `${s.quality} (${s.reason})`).join(', ')}`,
    );
    for (const c of concealment) expect(c).toBeLessThan(0.1);
    // Her video was held to the link: limited or paused, under what the shaped link carries.
    expect([...qualities].some((q) => q === 'limited' || q === 'audio-only')).toBe(true);
    expect(lowestSum).toBeLessThan(500_000);
    // Nothing froze for good: Bo keeps hearing Cy and Dee, Ada keeps hearing everyone.
    const [bo, cy, dee] = others as [Person, Person, Person];
    const b0 = await Promise.all([heardFrom(bo, cy), heardFrom(bo, dee), ...others.map((o) => heardFrom(ada, o))]);
    await sleep(5_000);
    const b1 = await Promise.all([heardFrom(bo, cy), heardFrom(bo, dee), ...others.map((o) => heardFrom(ada, o))]);
    b1.forEach((h, k) => expect(h.audioPackets, `audio link ${k} keeps flowing`).toBeGreaterThan(b0[k]!.audioPackets));
    console.info(`video frames over 5 s on the links not through Ada's uplink (Bo<-Cy, Bo<-Dee, Ada<-Bo/Cy/Dee): ${b1.map((h, k) => h.frames - b0[k]!.frames).join(', ')}`);

    link.unshape();
    const lifted = Date.now();
    for (;;) {
      const report = await bandwidth(ada);
      const frames0 = await Promise.all(others.map((o) => heardFrom(o, ada)));
      await sleep(1_000);
      const frames1 = await Promise.all(others.map((o) => heardFrom(o, ada)));
      const flowing = frames1.every((h, k) => h.frames > frames0[k]!.frames);
      if (report.peers.every((s) => s.quality !== 'audio-only' && s.camera?.active) && flowing) break;
      if (Date.now() - lifted > 150_000) {
        throw new Error(`Ada's video did not recover within 150 s of lifting the shaping: ${JSON.stringify(report.peers.map((s) => ({ q: s.quality, r: s.reason, cam: s.camera })))}`);
      }
    }
    console.info(`recovered ${((Date.now() - lifted) / 1000).toFixed(0)} s after lifting the shaping: ${JSON.stringify((await bandwidth(ada)).peers.map((s) => s.camera?.maxBitrate))}`);
    expect(all.flatMap((p) => p.errors)).toEqual([]);
  }, 600_000);
});
