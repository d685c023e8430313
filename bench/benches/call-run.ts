/**
 * The browser half of the call benchmark, run by benches/call.ts inside a loopback-only
 * network namespace: headless Chromium (one context per peer) joins N peers one after
 * another; for the last one, the time from "Join call" to every peer connection
 * `connected` and to a decoded frame (videoWidth > 0) in every remote <video>, timed in
 * the page. Parley's room page against bench/browser/minimal.html on the bare ws relay,
 * both with the camera already open before the click (Parley's page opens it for its
 * preview, and we wait for its preview frame and ICE servers: ../lib/parley-page.ts; the
 * minimal page's bench.prepare() opens the camera).
 * Usage: node --import tsx benches/call-run.ts OUT.json [--quick]
 */
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../tests/support/browser.js';
import { freeUdpPort, REPO_ROOT, startChild, startParley, type ServerChild } from '../lib/proc.js';
import { parleySystem } from '../lib/clients/parley.js';
import { gotoReadyToJoin } from '../lib/parley-page.js';

type Kind = 'minimal' | 'parley';
interface Timing { connectedMs: number; firstFrameMs: number }

const out = process.argv[2]!;
const quick = process.argv.includes('--quick');
const TRIALS = quick ? 2 : 5;
const SIZES = [2, 3];
const log = (m: string) => process.stderr.write(`  [call] ${m}\n`);

/**
 * Added to every page of both kinds before its own scripts: keeps the page's
 * RTCPeerConnections, so "every peer connected" is read the same way in both (the
 * connection's cached iceConnectionState). Parley's test hook is not polled for it: its
 * peer snapshots read each connection's descriptions, which a 2 ms poll turns into work
 * the minimal page's bench.peers() never does.
 */
const KEEP_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  const kept = (window.__benchConnections = []);
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      kept.push(this);
    }
  };
})();`;

/** Joins in the page and resolves with the times, measured by a 2 ms poll in the page itself. */
async function joinAndTime(page: Page, kind: Kind, expected: number): Promise<Timing> {
  return page.evaluate(
    ([kind, expected]) =>
      new Promise<Timing>((resolve, reject) => {
        const w = window as unknown as { __benchConnections: RTCPeerConnection[]; bench?: { join(): Promise<void> } };
        const t0 = performance.now();
        if (kind === 'parley') {
          const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Join call');
          if (!button) return reject(new Error('no "Join call" button'));
          button.click();
        } else void w.bench!.join();
        let connectedMs = -1;
        let firstFrameMs = -1;
        const timer = setInterval(() => {
          const now = performance.now() - t0;
          const peers = w.__benchConnections.filter((pc) => pc.connectionState !== 'closed');
          if (connectedMs < 0 && peers.length >= expected && peers.every((p) => ['connected', 'completed'].includes(p.iceConnectionState))) connectedMs = now;
          const videos = [...document.querySelectorAll<HTMLVideoElement>('video[data-participant-id]')];
          if (firstFrameMs < 0 && videos.length >= expected && videos.every((v) => v.videoWidth > 0)) firstFrameMs = now;
          if (connectedMs >= 0 && firstFrameMs >= 0) {
            clearInterval(timer);
            resolve({ connectedMs, firstFrameMs });
          } else if (now > 30_000) {
            clearInterval(timer);
            reject(new Error(`not connected after 30 s: ${peers.length}/${expected} peers (${peers.map((p) => p.iceConnectionState).join(', ')}), ${videos.length} videos`));
          }
        }, 2);
      }),
    [kind, expected] as const,
  );
}

async function trial(browser: Browser, server: ServerChild, kind: Kind, size: number, n: number): Promise<Timing> {
  let url: string;
  if (kind === 'parley') {
    const system = parleySystem(server.url);
    const [slug] = await system.rooms(1);
    system.dispose();
    url = `${server.url}/room/${slug}`;
  } else url = `${server.url}/?room=trial-${size}-${n}`;
  const contexts: BrowserContext[] = [];
  try {
    let last: Timing | null = null;
    for (let i = 0; i < size; i++) {
      const context = await browser.newContext();
      contexts.push(context);
      await context.addInitScript(KEEP_CONNECTIONS);
      const page = await context.newPage();
      // Parley's room page takes the camera for its preview when it loads, before the
      // click, and asks for the ICE servers: the click waits for both (as call-trace.ts
      // does), and the minimal page opens its camera first, so neither timed join
      // includes getUserMedia.
      await gotoReadyToJoin(page, url, kind);
      last = await joinAndTime(page, kind, i);
    }
    return last!;
  } finally {
    for (const c of contexts) await c.close();
  }
}

const result: { trials: number; sizes: number[]; timings: Record<string, Timing[]>; pending?: string; errors: string[] } = {
  trials: TRIALS,
  sizes: SIZES,
  timings: {},
  errors: [],
};
const servers: Partial<Record<Kind, ServerChild>> = {};
const browser = await launchChromium();
try {
  servers.minimal = await startChild('ws relay', 'ws-relay.ts');
  const kinds: Kind[] = ['minimal'];
  if (!existsSync(join(REPO_ROOT, 'web', 'build', 'handler.js'))) result.pending = 'web/build is missing: run `pnpm build` first';
  else {
    servers.parley = await startParley({ STUN_PORT: String(await freeUdpPort()), MAX_PARTICIPANTS: '8' });
    kinds.push('parley');
  }
  for (let n = 0; n < TRIALS + 1; n++) {
    for (const size of SIZES) {
      for (const kind of kinds) {
        const key = `${kind}-${size}`;
        try {
          const t = await trial(browser, servers[kind]!, kind, size, n);
          // The first round warms Chromium and the servers up and is not counted.
          if (n > 0) (result.timings[key] ??= []).push(t);
          log(`${key} trial ${n}${n === 0 ? ' (warm-up)' : ''}: connected ${t.connectedMs.toFixed(0)} ms, first frame ${t.firstFrameMs.toFixed(0)} ms`);
        } catch (err) {
          result.errors.push(`${key} trial ${n}: ${(err as Error).message}`);
          log(`${key} trial ${n} failed: ${(err as Error).message}`);
        }
      }
    }
  }
} finally {
  await browser.close();
  for (const s of Object.values(servers)) await s?.stop();
  writeFileSync(out, JSON.stringify(result));
}
process.exit(0);
