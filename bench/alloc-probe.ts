/**
 * What Parley allocates per signal: one-at-a-time signals (as the relay benchmark's
 * latency run) under V8's sampling heap profiler with collected objects counted, summed
 * by allocating function (self) and by package. Scavenges come from allocation: fewer
 * bytes per signal, fewer of the 1-2 ms pauses that make the p99.
 * The bare ws relay is measured the same way first, for scale.
 * `node --import tsx alloc-probe.ts [signals=5000]`; prints Markdown.
 */
import { readFileSync, rmSync } from 'node:fs';
import { parleySystem } from './lib/clients/parley.js';
import type { Conn, System } from './lib/clients/types.js';
import { wsSystem } from './lib/clients/ws.js';
import { RAISED_LIMITS, startChild, startParley, type ServerChild } from './lib/proc.js';
import { overSocket, pingLatency } from './lib/signals.js';
import { round } from './lib/stats.js';

const SIGNALS = Number(process.argv[2] ?? 5000);

interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: Node[];
}

async function pairOf(system: System): Promise<[Conn, Conn]> {
  const [room] = await system.rooms(1);
  return [await system.join(room!), await system.join(room!)];
}

/** Package (or api/web path) a script URL belongs to. */
function where(url: string): string {
  const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node';
  const a = /\/(api|bench)\/src\/(.*)$/.exec(url) ?? /\/(api|bench)\/(.*)$/.exec(url);
  return a ? `${a[1]}/${a[2]}` : url || '(native)';
}

async function measure(name: string, server: ServerChild, system: System, detail: boolean): Promise<string> {
  try {
    const [a, b] = await pairOf(system);
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
        const f = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
        byFunction.set(f, (byFunction.get(f) ?? 0) + n.selfSize);
        const p = where(n.callFrame.url);
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
  } finally {
    system.dispose();
    await server.stop();
  }
}

const ws = await startChild('ws relay', 'ws-relay.ts');
const wsReport = await measure('bare ws', ws, wsSystem(ws.url), false);
const parley = await startParley({ ...RAISED_LIMITS, LOG_LEVEL: 'info' });
const parleyReport = await measure('Parley', parley, parleySystem(parley.url), true);
process.stdout.write(`${wsReport}\n\n${parleyReport}\n`);
process.exit(0);
