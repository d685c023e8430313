/**
 * `pnpm bench [--quick] [--only relay,presence,stun,call]`: runs each benchmark beside its
 * reference, prints the table and writes bench/results/latest.{json,md}.
 */
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { BENCH_DIR } from './lib/proc.js';
import type { BenchContext } from './lib/context.js';
import { machine, markdown, readPrevious, table, writeResults } from './lib/report.js';
import { relayBench } from './benches/relay.js';
import { presenceBench } from './benches/presence.js';
import { stunBench } from './benches/stun.js';
import { callBench } from './benches/call.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',') : null;

const suites: [string, (ctx: BenchContext) => Promise<void>][] = [
  ['relay', relayBench],
  ['presence', presenceBench],
  ['stun', stunBench],
  ['call', callBench],
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
// A machine busier than its cores skews every figure: say so loudly (the run still goes on,
// as paired rounds keep the ratios comparable, but the results carry the flag).
const cores = cpus().length;
const loads: number[] = [];
const checkLoad = (when: string) => {
  const load = loadavg()[0]!;
  loads.push(load);
  if (load > cores) ctx.log(`WARNING: load average ${load.toFixed(1)} ${when} is above the ${cores} cores: figures are unreliable`);
};
checkLoad('at start');
if (!only || only.some((s) => s !== 'call')) {
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
  checkLoad(`after ${name}`);
}
const maxLoad = Math.max(...loads);
const overloaded = maxLoad > cores;
ctx.notes.unshift(
  overloaded
    ? `FLAGGED: the 1-minute load average reached ${maxLoad.toFixed(1)} on ${cores} cores during this run (above the core count): other work shared the machine, treat every figure as rough.`
    : `Load average stayed at or below the ${cores} cores (max ${maxLoad.toFixed(1)}).`,
);
const seconds = (performance.now() - started) / 1000;
const info = { mode: quick ? 'quick' : 'full', machine: machine(), notes: ctx.notes, seconds, loadAverages: loads.map((l) => Math.round(l * 100) / 100), overloaded };
// `--only` re-measures some suites: the other suites' rows stay, from the run that made them.
if (only) {
  const previous = readPrevious(join(BENCH_DIR, 'results', 'latest.json'));
  if (previous) {
    const kept = previous.rows.filter((r) => !only.includes(r.suite) && !ctx.rows.some((n) => n.suite === r.suite));
    const suites = [...new Set(kept.map((r) => r.suite))];
    if (kept.length) {
      ctx.rows.push(...kept.map((r) => ({ ...r, note: [r.note, `from the run of ${r.measuredAt ?? previous.date}`].filter(Boolean).join('; ') })));
      ctx.notes.push(`Rows of ${suites.join(', ')} are kept from earlier runs (this run measured ${only.join(', ')} only); their notes are in those runs' files in git history.`);
    }
  }
}
for (const r of ctx.rows) r.measuredAt ??= new Date().toISOString();
console.log('\n' + table(ctx.rows) + '\n');
for (const n of ctx.notes) console.log(`- ${n}`);
writeResults(join(BENCH_DIR, 'results'), { ...info, rows: ctx.rows, details: ctx.details, failures }, markdown(ctx.rows, info));
console.log(`\nwrote bench/results/latest.json and latest.md (${seconds.toFixed(0)} s)`);
process.exit(failures.length ? 1 : 0);
