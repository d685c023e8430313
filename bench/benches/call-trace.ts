/**
 * A join traced in the browser, Parley's room page against the minimal page, measured the
 * same way (bench/browser/trace.js in every page): for the last of N joiners, each event
 * from its click (media ready, socket open, Welcome, offers/answers sent and received,
 * first candidate, ICE connected, first remote frame), and what the peers already in the
 * call did in between, on one clock. Run in a loopback-only namespace:
 *   unshare -n sh -c 'ip link set lo up && node --import tsx benches/call-trace.ts OUT.md'
 * (after `pnpm build:test`). docs/call-setup.md holds a run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../tests/support/browser.js';
import { BENCH_DIR, freeUdpPort, startChild, startParley, type ServerChild } from '../lib/proc.js';
import { parleySystem } from '../lib/clients/parley.js';
import { gotoReadyToJoin } from '../lib/parley-page.js';

type Kind = 'minimal' | 'parley';
const out = process.argv[2] ?? '/dev/stdout';
const TRIALS = Number(process.env.TRACE_TRIALS ?? 3);
// For narrowing a run down: TRACE_SIZES=2, TRACE_KINDS=parley, TRACE_QUERY=bandwidth=off
// (added to Parley's room URL), TRACE_ALL=1 (every trial's table, not only the last),
// TRACE_BEFORE=10000 (also the events up to that many ms before the click: getUserMedia),
// TRACE_BROWSERS=each (below).
const SIZES = (process.env.TRACE_SIZES ?? '2,3').split(',').map(Number);
const KINDS = (process.env.TRACE_KINDS ?? 'minimal,parley').split(',') as Kind[];
const QUERY = process.env.TRACE_QUERY ? `?${process.env.TRACE_QUERY}` : '';
const ALL = process.env.TRACE_ALL === '1';
const script = readFileSync(join(BENCH_DIR, 'browser', 'trace.js'), 'utf8');

// TRACE_BROWSERS=each: one Chromium per person (its own capture service and fake camera)
// instead of one context per person in a shared browser.
const EACH = process.env.TRACE_BROWSERS === 'each';

async function open(browser: Browser, url: string, kind: Kind): Promise<{ context: BrowserContext; page: Page }> {
  const context = await (EACH ? await launchChromium() : browser).newContext();
  await context.addInitScript(script);
  const page = await context.newPage();
  // The room page asks for the camera for its preview (and for the ICE servers) before
  // anyone clicks: wait for both, as benches/call-run.ts does, and have the minimal page
  // open its camera (bench.prepare), so neither click includes getUserMedia.
  await gotoReadyToJoin(page, url, kind);
  return { context, page };
}

/** Clicks "Join call" (or bench.join()) and waits for `expected` remote frames; returns the click time. */
async function joinCall(page: Page, kind: Kind, expected: number): Promise<number> {
  const clicked = await page.evaluate((kind) => {
    const w = window as unknown as { __traceMark(e: string): void; bench?: { join(): Promise<void> } };
    w.__traceMark('click');
    if (kind === 'parley') [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Join call')!.click();
    else void w.bench!.join();
    return performance.timeOrigin + performance.now();
  }, kind);
  // In the call (welcomed) and seeing everyone already there.
  await page.waitForFunction(
    (n) =>
      (window as unknown as { __trace: [number, string][] }).__trace.some(([, e]) => e === 'Welcome received') &&
      [...document.querySelectorAll<HTMLVideoElement>('video[data-participant-id]')].filter((v) => v.videoWidth > 0).length >= n,
    expected,
    { timeout: 30_000, polling: 5 },
  );
  return clicked;
}

async function trial(browser: Browser, server: ServerChild, kind: Kind, size: number, n: number): Promise<string[]> {
  let url = `${server.url}/?room=trace-${size}-${n}`;
  if (kind === 'parley') {
    const system = parleySystem(server.url);
    const [slug] = await system.rooms(1);
    system.dispose();
    url = `${server.url}/room/${slug}${QUERY}`;
  }
  const pages: { context: BrowserContext; page: Page }[] = [];
  try {
    for (let i = 0; i < size; i++) pages.push(await open(browser, url, kind));
    for (let i = 0; i < size - 1; i++) await joinCall(pages[i]!.page, kind, i);
    const t0 = await joinCall(pages[size - 1]!.page, kind, size - 1);
    const lines: string[] = [];
    const events: [number, string, string][] = [];
    for (const [i, { page }] of pages.entries()) {
      const who = i === size - 1 ? 'joiner' : `peer ${i + 1}`;
      for (const [t, e] of await page.evaluate(() => (window as unknown as { __trace: [number, string][] }).__trace)) {
        if (t >= t0 - Number(process.env.TRACE_BEFORE ?? 1)) events.push([t - t0, who, e]);
      }
    }
    events.sort((a, b) => a[0] - b[0]);
    for (const [t, who, e] of events) lines.push(`| ${t.toFixed(0)} | ${who} | ${e} |`);
    return lines;
  } finally {
    for (const p of pages) await (EACH ? p.context.browser()!.close() : p.context.close());
  }
}

const browser = await launchChromium();
const servers: Record<Kind, ServerChild> = {
  minimal: await startChild('ws relay', 'ws-relay.ts'),
  parley: await startParley({ STUN_PORT: String(await freeUdpPort()) }),
};
const doc: string[] = [];
try {
  for (const size of SIZES) {
    for (const kind of KINDS) {
      for (let n = 0; n <= TRIALS; n++) {
        let lines: string[];
        try {
          lines = await trial(browser, servers[kind], kind, size, n);
        } catch (err) {
          process.stderr.write(`  [trace] ${kind} ${size} trial ${n} failed: ${(err as Error).message}\n`);
          doc.push(`(${kind}, ${size} people, trial ${n}: failed: ${(err as Error).message.split('\n')[0]})`, '');
          continue;
        }
        if (n === 0) continue; // warm-up
        const frame = lines.filter((l) => l.includes('joiner | first remote frame')).at(-1);
        process.stderr.write(`  [trace] ${kind} ${size} trial ${n}: ${frame}\n`);
        if (n === TRIALS || ALL) doc.push(`### ${kind}, ${size} people (trial ${n})`, '', '| ms after click | page | event |', '|---:|---|---|', ...lines, '');
      }
    }
  }
} finally {
  writeFileSync(out, doc.join('\n') + '\n');
  await browser.close();
  for (const s of Object.values(servers)) await s.stop();
}
process.exit(0);
