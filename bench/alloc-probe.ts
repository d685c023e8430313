/**
 * What Parley allocates per signal: one-at-a-time signals (as the relay benchmark's
 * latency run) under V8's sampling heap profiler with collected objects counted, summed
 * by allocating function (self) and by package. Scavenges come from allocation: fewer
 * bytes per signal, fewer of the 1-2 ms pauses that make the p99.
 * The bare ws relay is measured the same way first, for scale.
 * `node --import tsx alloc-probe.ts [signals=5000]`; prints Markdown.
 */
import { readFileSync, rmSync } from 'node:fs';
import type { System } from './lib/clients/types.js';
import { bucket, wsThenParley } from './lib/profiles.js';
import type { ServerChild } from './lib/proc.js';
import { overSocket, pairsOf, pingLatency } from './lib/signals.js';
import { round } from './lib/stats.js';

const SIGNALS = Number(process.argv[2] ?? 5000);

interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: Node[];
}

async function measure(name: string, server: ServerChild, system: System, detail: boolean): Promise<string> {
  const [a, b] = (await pairsOf(system, 1))[0]!;
  await pingLatency(a, b, 2000, overSocket); // warm up
  await server.allocStart();
  await pingLatency(a, b, SIGNALS, overSocket, 0);
  const file = await server.allocStop();
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { head: Node };
  rmSync(file);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  const walk = (n: Node) => {
    if (n.selfSize) {
      const p = bucket(n.callFrame.url, n.callFrame.functionName);
      const f = `${n.callFrame.functionName || '(anonymous)'} ${p}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
      byFunction.set(f, (byFunction.get(f) ?? 0) + n.selfSize);
      byPackage.set(p, (byPackage.get(p) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    n.children.forEach(walk);
  };
  walk(profile.head);
  a.close();
  b.close();
  const lines = [`## ${name}`, '', `${SIGNALS} signals one at a time: **${round(total / SIGNALS / 1024, 2)} KB allocated per signal** (sampled every 1 KB).`];
  if (!detail) return lines.join('\n');
  lines.push('', '| package | KB per signal |', '|---|---|');
  for (const [p, s] of [...byPackage].sort((x, y) => y[1] - x[1]).slice(0, 15)) lines.push(`| ${p} | ${round(s / SIGNALS / 1024, 3)} |`);
  lines.push('', '| function | KB per signal |', '|---|---|');
  for (const [f, s] of [...byFunction].sort((x, y) => y[1] - x[1]).slice(0, 30)) lines.push(`| ${f.replace(/\|/g, '\\|')} | ${round(s / SIGNALS / 1024, 3)} |`);
  return lines.join('\n');
}

await wsThenParley(measure);
