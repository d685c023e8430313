/**
 * Where the machine's CPU goes during a join and after it, Parley's room page against
 * the minimal page: every Chromium thread's CPU time (from /proc/<pid>/task/<tid>/stat),
 * summed by process type and thread name, over the last joiner's join (click to a frame
 * from everyone, on every page) and over 6 s of the call after it. On this 2-core machine
 * a 3-person join keeps both cores busy, so the join takes about as long as its CPU
 * work: docs/call-setup.md reads these figures. Run inside a loopback-only namespace
 * after `pnpm build:test`:
 *   unshare -n sh -c 'ip link set lo up && node --import tsx benches/call-cpu.ts'
 * CPU_SIZE (default 3), CPU_ROUNDS (default 2), CPU_KINDS (default minimal,parley).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { launchChromium } from '../../tests/support/browser.js';
import { parleySystem } from '../lib/clients/parley.js';
import { gotoReadyToJoin } from '../lib/parley-page.js';
import { freeUdpPort, startChild, startParley } from '../lib/proc.js';

type Kind = 'minimal' | 'parley';
const SIZE = Number(process.env.CPU_SIZE ?? 3);
const ROUNDS = Number(process.env.CPU_ROUNDS ?? 2);
const KINDS = (process.env.CPU_KINDS ?? 'minimal,parley').split(',') as Kind[];
const TICKS_PER_S = 100; // USER_HZ on Linux

/** CPU seconds so far of every Chromium thread, keyed "process type/thread name". */
function chromiumCpu(): Map<string, number> {
  const cpu = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium')) continue;
      const type = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = tid === pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '#');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${type}/${name}`;
        cpu.set(key, (cpu.get(key) ?? 0) + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S);
      }
    } catch {
      // The process or thread ended while we read it.
    }
  }
  return cpu;
}

function report(label: string, before: Map<string, number>, after: Map<string, number>, seconds: number, per: 'cpu-s' | 'cores'): void {
  const scale = per === 'cores' ? 1 / seconds : 1;
  const rows = [...after]
    .map(([k, v]) => [k, (v - (before.get(k) ?? 0)) * scale] as const)
    .filter(([, v]) => v >= 0.02)
    .sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((s, [, v]) => s + v, 0);
  process.stdout.write(`${label}: ${seconds.toFixed(2)} s, ${total.toFixed(2)} ${per}: ${rows.slice(0, 12).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}\n`);
}

const everyoneSeen = (page: Page) =>
  page.waitForFunction(
    (n) => [...document.querySelectorAll<HTMLVideoElement>('video[data-participant-id]')].filter((v) => v.videoWidth > 0).length >= n,
    SIZE - 1,
    { timeout: 60_000, polling: 20 },
  );

const browser = await launchChromium();
const parley = await startParley({ STUN_PORT: String(await freeUdpPort()) });
const relay = await startChild('ws relay', 'ws-relay.ts');
const system = parleySystem(parley.url);
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of KINDS) {
      const url = kind === 'minimal' ? `${relay.url}/?room=cpu-${round}` : `${parley.url}/room/${(await system.rooms(1))[0]}`;
      const contexts = [];
      const pages: Page[] = [];
      let before = new Map<string, number>();
      let clicked = 0;
      for (let i = 0; i < SIZE; i++) {
        const context = await browser.newContext();
        contexts.push(context);
        const page = await context.newPage();
        await gotoReadyToJoin(page, url, kind); // camera open before the click, as in call-run.ts
        if (i === SIZE - 1) {
          await new Promise((r) => setTimeout(r, 2_000)); // the others' call settles first
          before = chromiumCpu();
          clicked = Date.now();
        }
        if (kind === 'parley') await page.getByRole('button', { name: 'Join call' }).click();
        else await page.evaluate(() => void (window as unknown as { bench: { join(): Promise<void> } }).bench.join());
        pages.push(page);
      }
      for (const page of pages) await everyoneSeen(page);
      report(`round ${round} ${kind}, join`, before, chromiumCpu(), (Date.now() - clicked) / 1000, 'cpu-s');
      await new Promise((r) => setTimeout(r, 3_000));
      const settled = chromiumCpu();
      const from = Date.now();
      await new Promise((r) => setTimeout(r, 6_000));
      report(`round ${round} ${kind}, in the call`, settled, chromiumCpu(), (Date.now() - from) / 1000, 'cores');
      for (const context of contexts) await context.close();
    }
  }
} finally {
  system.dispose();
  await browser.close();
  await parley.stop();
  await relay.stop();
}
process.exit(0);
