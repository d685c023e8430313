/**
 * What an idle joined participant adds to Parley's RSS, and where it sits: a Parley child
 * (as the presence benchmark starts it) with the rooms made, then with N idle participants
 * joined (rooms of 10), for each N given. Per level: RSS and heap per participant over the
 * baseline (after full GCs), V8's committed spaces, and the child's resident memory from
 * /proc/<pid>/smaps by kind of mapping (malloc's [heap], anonymous mappings: V8's pages
 * and malloc's thread arenas, files: code).
 *
 * `node --import tsx memory-probe.ts [1000 10000]`; prints Markdown.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parleySystem } from './lib/clients/parley.js';
import type { Conn } from './lib/clients/types.js';
import { RAISED_LIMITS, startParley, type MemorySample } from './lib/proc.js';
import { pool, round, sleep } from './lib/stats.js';

const LEVELS = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (LEVELS.length === 0) LEVELS.push(1000);
const ROOM_SIZE = 10;
const KB = 1024;

/** Resident KB by kind of mapping. */
function smaps(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let kind = 'anon';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      kind = name === '' ? 'anon' : name.startsWith('[') ? name : 'file';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[kind] = (out[kind] ?? 0) + Number(rss[1]);
  }
  return out;
}

const server = await startParley({ ...RAISED_LIMITS, MAX_PARTICIPANTS: String(ROOM_SIZE) });
const system = parleySystem(server.url);
const conns: Conn[] = [];
const rows: string[] = [];
try {
  const top = LEVELS[LEVELS.length - 1]!;
  const rooms = await system.rooms(top / ROOM_SIZE);
  await sleep(1000);
  const base = await server.memory();
  const baseMaps = smaps(server.pid);
  const line = (label: string, n: number, m: MemorySample, maps: Record<string, number>) => {
    const per = (a: number, b: number) => (n ? round((a - b) / n / KB, 1) : round(a / KB / KB, 1));
    const spaces = Object.entries(m.spaces ?? {})
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k.replace('_space', '')} ${round((v - (n ? base.spaces?.[k] ?? 0 : 0)) / KB / KB, 1)}`)
      .join(', ');
    const kinds = Object.entries(maps)
      .map(([k, v]) => `${k} ${round((v - (n ? baseMaps[k] ?? 0 : 0)) / KB, 1)}`)
      .join(', ');
    rows.push(
      `| ${label} | ${per(m.rss, base.rss)} | ${per(m.heapUsed, base.heapUsed)} | ${per(m.heapTotal ?? 0, base.heapTotal ?? 0)} | ${per(m.external, base.external)} | ${spaces} | ${kinds} | ${loadavg()[0]!.toFixed(2)} |`,
    );
  };
  line('baseline (MB)', 0, base, baseMaps);
  for (const target of LEVELS) {
    const from = conns.length;
    const t0 = performance.now();
    await pool(target - from, 64, async (k) => {
      const i = from + k;
      conns[i] = await system.join(rooms[Math.floor(i / ROOM_SIZE)]!);
    });
    const seconds = (performance.now() - t0) / 1000;
    await sleep(3000);
    const m = await server.memory();
    line(`${target} joined (${Math.round((target - from) / seconds)} joins/s), per participant KB`, target, m, smaps(server.pid));
  }
} finally {
  for (const c of conns) c?.terminate();
  system.dispose();
  await server.stop();
}
process.stdout.write(
  '| level | RSS | heap used | heap committed | external | V8 spaces committed, MB over baseline | resident by mapping, MB over baseline | load |\n|---|---|---|---|---|---|---|---|\n' +
    rows.join('\n') +
    '\n',
);
process.exit(0);
