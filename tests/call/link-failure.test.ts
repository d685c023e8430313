/**
 * A real link failure, not a hook: Bo's Chromium runs in a child network namespace joined
 * to ours by a veth pair (tests/support/shaped-link.ts); Ada's runs here. The test cuts
 * the veth (`ip link set ... down`) for LINK_DOWN_MS, so every packet between them stops:
 * their media, and Bo's signaling socket too (as on a Wi-Fi drop). When the link is back,
 * the call must recover on the same RTCPeerConnection through an ICE restart (new ICE
 * credentials, the impolite side's restart counter up by at least one), not by anyone
 * leaving and rejoining, and video must decode again both ways. Ada's tile for Bo said
 * "reconnecting" while the link was down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { createShapedLink, launchBehind, type ShapedLink } from '../support/shaped-link.js';
import { closeAll, counters, expectConnected, firstFramesFrom, join, newRoom, openRoom, peers, smallCameras, stats, type Person } from './harness.js';

const LINK_DOWN_MS = 10_000;

let server: RunningServer;
let browser: Browser;
let behind: Browser;
let link: ShapedLink;
const everyone: Person[] = [];

beforeAll(async () => {
  link = await createShapedLink(undefined, '10.78.0');
  // A resume grace longer than the cut: this test is about the media path; Bo's socket
  // coming back is resume's business (tests/call/reliability.test.ts).
  [server, browser] = await Promise.all([startServer({ env: { HOST: '0.0.0.0', RESUME_GRACE_MS: '30000' } }), launchChromium()]);
  behind = await launchBehind(link, server.port);
}, 180_000);
afterAll(async () => {
  await closeAll(everyone);
  await behind?.close();
  await browser?.close();
  await server?.stop();
  link?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const peerOf = async (p: Person, other: Person) => (await peers(p)).find((s) => s.id === other.id);
const framesFrom = async (p: Person, other: Person) => (await stats(p)).find((s) => s.id === other.id)?.video.framesDecoded ?? 0;
const tileState = (p: Person, other: Person) => p.page.locator(`[data-tile="${other.id}"]`).first().getAttribute('data-state');

describe('a real link failure between two people', () => {
  it('the call comes back through an ICE restart on the same connection once the link does', async () => {
    const slug = await newRoom(server.url, 'Link Failure');
    const ada = await openRoom(browser, server.url, slug, 'Ada');
    const bo = await openRoom(behind, `http://${link.hostAddress}:${server.port}`, slug, 'Bo');
    everyone.push(ada, bo);
    for (const p of everyone) {
      await smallCameras(p.context);
      await p.page.reload();
    }
    await join(ada);
    await join(bo);
    await firstFramesFrom(ada, [bo], 30_000);
    await firstFramesFrom(bo, [ada], 30_000);
    await expectConnected(ada, [bo]);
    await expectConnected(bo, [ada]);
    // Only the impolite side (the smaller id) restarts ICE.
    const [restarter, other] = ada.id < bo.id ? [ada, bo] : [bo, ada];
    const r0 = (await peerOf(restarter, other))!;
    const o0 = (await peerOf(other, restarter))!;
    const c0 = await Promise.all([ada, bo].map(counters));

    link.down();
    const cut = Date.now();
    const seen = new Set<string>();
    while (Date.now() - cut < LINK_DOWN_MS) {
      seen.add(String(await tileState(ada, bo)));
      await sleep(250);
    }
    const during = (await peerOf(ada, bo))!;
    link.up();
    const back = Date.now();
    console.info(`link down ${LINK_DOWN_MS} ms: Ada's tile for Bo showed ${[...seen].join(', ')}; Ada's ICE state at the end of the cut: ${during.iceConnectionState}`);
    expect(seen).toContain('reconnecting');

    // Recovered: new ICE credentials on both ends, connected again, on the same connections.
    let r = r0;
    let o = o0;
    for (;;) {
      r = (await peerOf(restarter, other)) ?? r;
      o = (await peerOf(other, restarter)) ?? o;
      const up = (s: typeof r) => ['connected', 'completed'].includes(s.iceConnectionState) && s.state === 'connected';
      if (r.localUfrag !== r0.localUfrag && o.remoteUfrag === r.localUfrag && up(r) && up(o)) break;
      if (Date.now() - back > 45_000) {
        throw new Error(`no recovery within 45 s of the link coming back: restarter ${JSON.stringify(r)}, other ${JSON.stringify(o)}`);
      }
      await sleep(100);
    }
    const took = Date.now() - back;
    expect(r.connection).toBe(r0.connection);
    expect(o.connection).toBe(o0.connection);
    expect(r.counters.iceRestarts).toBeGreaterThan(r0.counters.iceRestarts);
    expect(o.counters.iceRestarts).toBe(o0.counters.iceRestarts);
    // Nobody left and came back as someone new: the same participants, no new peers.
    const c1 = await Promise.all([ada, bo].map(counters));
    c1.forEach((c, i) => expect(c.peersCreated).toBe(c0[i]!.peersCreated));
    expect(await ada.page.evaluate(() => window.__parley!.me())).toBe(ada.id);
    expect(await bo.page.evaluate(() => window.__parley!.me())).toBe(bo.id);

    // Video decodes again, both ways.
    const f0 = [await framesFrom(ada, bo), await framesFrom(bo, ada)];
    await sleep(2_000);
    const f1 = [await framesFrom(ada, bo), await framesFrom(bo, ada)];
    expect(f1[0]).toBeGreaterThan(f0[0]!);
    expect(f1[1]).toBeGreaterThan(f0[1]!);
    console.info(
      `link back: ICE restart by ${restarter.name} (${r.counters.iceRestarts - r0.counters.iceRestarts} restart(s)), connected again ${took} ms after the link came up; ` +
        `Bo's signaling resumes ${c1[1]!.resumes - c0[1]!.resumes}; frames over 2 s Ada<-Bo ${f1[0]! - f0[0]!}, Bo<-Ada ${f1[1]! - f0[1]!}`,
    );
    expect(await tileState(ada, bo)).toBe('connected');
    expect([...ada.errors, ...bo.errors]).toEqual([]);
  }, 180_000);
});
