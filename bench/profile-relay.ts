/**
 * Where a relayed signal's server CPU goes: Parley and the bare ws relay each relay signals
 * open loop at one fixed rate over 32 pairs (as benches/relay.ts does), and the server's
 * CPU time over that window is divided by the signals delivered (CPU microseconds per
 * signal, a steadier figure than a loss-free rate on a shared machine). Parley's window is
 * also sampled by V8's CPU profiler (100 us), summarised by self time per package and per
 * function.
 *
 * `node --import tsx profile-relay.ts [rate=10000] [seconds=5]`; prints Markdown.
 * Keep the .cpuprofile for Chrome DevTools with KEEP_PROFILE=1.
 */
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { System } from './lib/clients/types.js';
import { bucket, wsThenParley } from './lib/profiles.js';
import type { ServerChild } from './lib/proc.js';
import { openLoop, overSocket, pairsOf, pingLatency } from './lib/signals.js';
import { round, sleep, summarize } from './lib/stats.js';

const RATE = Number(process.argv[2] ?? 10_000);
const SECONDS = Number(process.argv[3] ?? 5);
const PAIRS = 32;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function summarise(file: string, signals: number): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  if (!process.env.KEEP_PROFILE) rmSync(file);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });
  const byBucket = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const b = bucket(url, functionName);
    byBucket.set(b, (byBucket.get(b) ?? 0) + us);
    const f = `${functionName || '(anonymous)'} ${b}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(f, (byFunction.get(f) ?? 0) + us);
  }
  const busy = total - (byBucket.get('(idle)') ?? 0);
  const lines = [`Profile: ${round(total / 1000, 0)} ms sampled, ${round(busy / 1000, 0)} ms busy, ${round(busy / signals, 1)} us busy per signal.`, ''];
  lines.push('| package | self ms | % of busy | us per signal |', '|---|---|---|---|');
  for (const [b, us] of [...byBucket].sort((x, y) => y[1] - x[1]).filter(([b]) => b !== '(idle)').slice(0, 20)) {
    lines.push(`| ${b} | ${round(us / 1000, 1)} | ${round((us / busy) * 100, 1)} | ${round(us / signals, 2)} |`);
  }
  lines.push('', '| function | self ms | % of busy |', '|---|---|---|');
  for (const [f, us] of [...byFunction].sort((x, y) => y[1] - x[1]).filter(([f]) => !f.startsWith('(idle)')).slice(0, 40)) {
    lines.push(`| ${f.replace(/\|/g, '\\|')} | ${round(us / 1000, 1)} | ${round((us / busy) * 100, 1)} |`);
  }
  return lines.join('\n');
}

async function run(name: string, server: ServerChild, system: System, profile: boolean): Promise<string> {
  const [ping] = await pairsOf(system, 1);
  const pairs = await pairsOf(system, PAIRS);
  // Warm up (JIT, code caches), then measure latency and the fixed-rate window.
  await openLoop(pairs, RATE, 1500, overSocket);
  await sleep(300);
  const latency = summarize(await pingLatency(ping![0], ping![1], 2000, overSocket));
  if (profile) await server.profileStart();
  const cpu0 = await server.cpu();
  const load = loadavg()[0]!;
  const r = await openLoop(pairs, RATE, SECONDS * 1000, overSocket);
  const cpu = (await server.cpu()) - cpu0;
  const file = profile ? await server.profileStop() : '';
  const out = [
    `## ${name}: ${RATE}/s for ${SECONDS} s (load average ${load.toFixed(2)})`,
    `Delivered ${r.received} of ${r.sent} (${Math.round(r.perSecond)}/s, lost ${r.lost}, refused ${r.refused}, late ${r.late}); ` +
      `server CPU ${round(cpu / 1000, 0)} ms = **${round(cpu / r.received, 1)} us per signal**; ` +
      `one-at-a-time latency p50 ${round(latency.p50, 3)} ms, p99 ${round(latency.p99, 3)} ms.`,
  ];
  if (file) out.push('', summarise(file, r.received));
  for (const [a, b] of [ping!, ...pairs]) (a.close(), b.close());
  return out.join('\n');
}

await wsThenParley(run);
