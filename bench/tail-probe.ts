/**
 * Where Parley's p99 signal latency comes from: the relay benchmark's sequence for one
 * system (one-at-a-time latency, then an open loop near its loss-free rate, then HTTP
 * closed loop), repeated, with the latency samples over 1 ms listed. Run with
 * BENCH_SERVER_STDOUT=<file> and `--trace-gc` to line them up with the server's GCs:
 * `BENCH_SERVER_STDOUT=/tmp/gc.log node --import tsx tail-probe.ts [rounds=3] [rate=40000] [idle s=0] [--trace-gc]`;
 * `idle` leaves the server idle before each round, as the benchmark does while it measures
 * the other systems; other `--` flags go to the server's node.
 */
import { parleySystem } from './lib/clients/parley.js';
import type { Conn, System } from './lib/clients/types.js';
import { RAISED_LIMITS, startParley } from './lib/proc.js';
import { closedLoop, openLoop, overHttp, overSocket, pairsOf, pingLatency } from './lib/signals.js';
import { round, sleep, summarize } from './lib/stats.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const RATE = Number(process.argv[3] ?? 40_000);
const IDLE_MS = Number(process.argv[4] ?? 0) * 1000;
const flags = process.argv.filter((a) => a.startsWith('--'));

const server = await startParley({ ...RAISED_LIMITS, LOG_LEVEL: 'info' }, flags);
const system = parleySystem(server.url);
const [ping] = await pairsOf(system, 1);
const pairs = await pairsOf(system, 32);
for (let r = 1; r <= ROUNDS; r++) {
  await sleep(IDLE_MS);
  const t0 = performance.now();
  const samples = await pingLatency(ping![0], ping![1], 1000, overSocket);
  const s = summarize(samples);
  const slow = samples.map((v, i) => [i, v] as const).filter(([, v]) => v > 1).map(([i, v]) => `#${i} ${round(v, 2)}`);
  console.log(`round ${r} (t=${round(t0 / 1000, 1)} s, server t=${round((await server.uptime()) / 1000, 1)} s after): p50 ${round(s.p50, 3)} p99 ${round(s.p99, 3)} max ${round(s.max, 2)} ms; over 1 ms: ${slow.join(', ') || 'none'}`);
  const o = await openLoop(pairs, RATE, 1500, overSocket);
  console.log(`  open loop ${RATE}/s: delivered ${Math.round(o.perSecond)}/s, lost ${o.lost}, late ${o.late}`);
  const h = await closedLoop(pairs.slice(0, 16), 4, 700, 3000, overHttp(system));
  console.log(`  HTTP closed loop ${Math.round(h.perSecond)}/s`);
}
for (const [a, b] of [ping!, ...pairs]) (a.close(), b.close());
system.dispose();
await server.stop();
process.exit(0);
