/**
 * `pnpm bench [--quick] [--only relay,presence,stun,call,shaped]`: runs each benchmark beside its
 * reference, prints the table and writes bench/results/latest.{json,md}.
 */
import { join } from 'node:path';
import { BENCH_DIR } from './lib/proc.js';
import type { BenchContext } from './lib/context.js';
import { machine, markdown, table, writeResults } from './lib/report.js';
import { relayBench } from './benches/relay.js';
import { presenceBench } from './benches/presence.js';
import { stunBench } from './benches/stun.js';
import { callBench } from './benches/call.js';
import { shapedBench } from './benches/shaped.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',') : null;

const suites: [string, (ctx: BenchContext) => Promise<void>][] = [
  ['relay', relayBench],
  ['presence', presenceBench],
  ['stun', stunBench],
  ['call', callBench],
  ['shaped', shapedBench],
];

const started = performance.now();
const ctx: BenchContext = {
  quick,
  log: (m) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${m}`),
  rows: [],
  notes: [],
  details: {},
};
const failures: string[] = [];
if (!only || only.some((s) => s !== 'call' && s !== 'shaped')) {
  ctx.notes.push('Parley ran the relay, presence and STUN benchmarks with RATE_LIMIT_CREATE_ROOM, RATE_LIMIT_JOIN and RATE_LIMIT_SIGNALS raised to 1,000,000 (all load comes from 127.0.0.1); the call benchmark uses the defaults.');
}
for (const [name, run] of suites) {
  if (only && !only.includes(name)) continue;
  try {
    await run(ctx);
  } catch (err) {
    const message = err instanceof Error ? err.stack ?? err.message : String(err);
    ctx.log(`${name} FAILED: ${message}`);
    failures.push(name);
    ctx.notes.push(`${name}: the benchmark failed: ${(err as Error)?.message ?? String(err)}`);
  }
}
const seconds = (performance.now() - started) / 1000;
const info = { mode: quick ? 'quick' : 'full', machine: machine(), notes: ctx.notes, seconds };
console.log('\n' + table(ctx.rows) + '\n');
for (const n of ctx.notes) console.log(`- ${n}`);
writeResults(join(BENCH_DIR, 'results'), { ...info, rows: ctx.rows, details: ctx.details, failures }, markdown(ctx.rows, info));
console.log(`\nwrote bench/results/latest.json and latest.md (${seconds.toFixed(0)} s)`);
process.exit(failures.length ? 1 : 0);
