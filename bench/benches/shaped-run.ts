/**
 * The browser half of the shaped-uplink benchmark, run by benches/shaped.ts inside a
 * private network namespace: a four-person call where Ada's Chromium sits in a child
 * namespace behind a veth whose uplink is a token bucket (tests/support/
 * shaped-link.ts). Everyone's camera is 320x240 (four Chromiums on two cores), so Ada's three camera sends want about 700 kbps; her uplink is shaped to 500 kbit/s. Once everyone decodes
 * everyone, the shaping starts; after a settling pause, each other person's reception of
 * Ada is measured: video frames/s, freezes, audio concealment. Run with Parley's
 * bandwidth policy and with it off (`?bandwidth=off`), alternating, same shaping.
 * Usage: node --import tsx benches/shaped-run.ts OUT.json [--quick]
 */
import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../tests/support/browser.js';
import { createShapedLink, launchBehind } from '../../tests/support/shaped-link.js';
import { startParley } from '../lib/proc.js';
import { parleySystem } from '../lib/clients/parley.js';

export type Mode = 'policy' | 'off';
export interface Reception {
  /** Ada's video frames decoded per second, at each of the three others. */
  fps: number[];
  freezes: number[];
  /** Share of Ada's audio samples concealed (0..1), at each of the three others. */
  concealment: number[];
  /** Ada's audio packets received per second, at each. */
  audioPps: number[];
}

const out = process.argv[2]!;
const quick = process.argv.includes('--quick');
const TRIALS = quick ? 1 : 2;
const SETTLE_MS = quick ? 5_000 : 10_000;
const MEASURE_MS = quick ? 15_000 : 30_000;
export const RATE = '500kbit';
const log = (m: string) => process.stderr.write(`  [shaped] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The part of window.__parley (web/src/lib/rtc/test-hook.ts) this bench reads. */
interface InboundSummary {
  id: string;
  video: { framesDecoded: number; freezeCount: number };
  audio: { concealedSamples: number; totalSamplesReceived: number; packetsReceived: number };
}
declare global {
  interface Window {
    __parley?: { me(): string | null; stats(): Promise<InboundSummary[]> };
  }
}

interface Counters { frames: number; freezes: number; concealed: number; samples: number; packets: number }

async function counters(page: Page, from: string): Promise<Counters> {
  return page.evaluate(async (id) => {
    const s = (await window.__parley!.stats()).find((x) => x.id === id);
    return { frames: s?.video.framesDecoded ?? 0, freezes: s?.video.freezeCount ?? 0, concealed: s?.audio.concealedSamples ?? 0, samples: s?.audio.totalSamplesReceived ?? 0, packets: s?.audio.packetsReceived ?? 0 };
  }, from);
}

/** Every camera in this context captures 320x240 (the page asks for up to 640x480). */
async function smallCamera(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const md = navigator.mediaDevices;
    const original = md.getUserMedia.bind(md);
    md.getUserMedia = (c?: MediaStreamConstraints) => original(c?.video ? { ...c, video: { width: { ideal: 320, max: 320 }, height: { ideal: 240, max: 240 } } } : c);
  });
}

async function joinAs(page: Page, name: string): Promise<string> {
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join call' }).click();
  await page.waitForFunction(() => window.__parley?.me() != null, undefined, { timeout: 60_000 });
  return (await page.evaluate(() => window.__parley!.me()))!;
}

async function trial(mode: Mode, shapedBrowser: Browser, browser: Browser, base: { local: string; shaped: string }, shape: (on: boolean) => void): Promise<Reception> {
  const system = parleySystem(base.local);
  const [slug] = await system.rooms(1);
  system.dispose();
  const query = mode === 'off' ? '?bandwidth=off' : '';
  const adaContext = await shapedBrowser.newContext();
  const contexts = [adaContext];
  try {
    await smallCamera(adaContext);
    const ada = await adaContext.newPage();
    await ada.goto(`${base.shaped}/room/${slug}${query}`);
    const others: Page[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext();
      contexts.push(context);
      await smallCamera(context);
      const page = await context.newPage();
      await page.goto(`${base.local}/room/${slug}${query}`);
      others.push(page);
    }
    const adaId = await joinAs(ada, 'Ada');
    for (const [i, p] of others.entries()) await joinAs(p, ['Bo', 'Cy', 'Dee'][i]!);
    for (const p of others) await p.waitForFunction((id) => window.__parley!.stats().then((s) => (s.find((x) => x.id === id)?.video.framesDecoded ?? 0) > 0), adaId, { timeout: 90_000, polling: 500 });
    shape(true);
    await sleep(SETTLE_MS);
    const a = await Promise.all(others.map((p) => counters(p, adaId)));
    const t0 = Date.now();
    await sleep(MEASURE_MS);
    const b = await Promise.all(others.map((p) => counters(p, adaId)));
    const dt = (Date.now() - t0) / 1000;
    shape(false);
    return {
      fps: b.map((x, i) => (x.frames - a[i]!.frames) / dt),
      freezes: b.map((x, i) => x.freezes - a[i]!.freezes),
      concealment: b.map((x, i) => (x.concealed - a[i]!.concealed) / Math.max(1, x.samples - a[i]!.samples)),
      audioPps: b.map((x, i) => (x.packets - a[i]!.packets) / dt),
    };
  } finally {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  }
}

const link = await createShapedLink();
const server = await startParley({ HOST: '0.0.0.0' });
const port = new URL(server.url).port;
const browser = await launchChromium();
const shapedBrowser = await launchBehind(link, port);
const results: Record<Mode, Reception[]> = { policy: [], off: [] };
const errors: string[] = [];
try {
  for (let n = 0; n < TRIALS; n++) {
    for (const mode of ['policy', 'off'] as const) {
      log(`trial ${n + 1}, ${mode}`);
      try {
        results[mode].push(await trial(mode, shapedBrowser, browser, { local: server.url, shaped: `http://${link.hostAddress}:${port}` }, (on) => (on ? link.shape(RATE) : link.unshape())));
      } catch (err) {
        errors.push(`${mode} trial ${n + 1}: ${(err as Error).message.split('\n')[0]}`);
        try {
          link.unshape();
        } catch {
          // was not shaped
        }
      }
    }
  }
} finally {
  writeFileSync(out, JSON.stringify({ trials: TRIALS, settleMs: SETTLE_MS, measureMs: MEASURE_MS, results, errors }, null, 2));
  await shapedBrowser.close();
  await browser.close();
  await server.stop();
  link.close();
}
