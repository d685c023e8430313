/**
 * What an idle joined participant costs in Parley's heap, by kind of object: heap
 * snapshots of a Parley child with the rooms made and nobody joined, then with N joined
 * (rooms of 10), diffed by constructor (V8 node name) and divided by N.
 * `node --import tsx heap-profile.ts [N]` (default 1000); prints a Markdown table
 * (docs/memory.md holds the last one).
 */
import { readFileSync, rmSync } from 'node:fs';
import { parleySystem } from './lib/clients/parley.js';
import { RAISED_LIMITS, startParley } from './lib/proc.js';
import { pool, sleep } from './lib/stats.js';

const N = Number(process.argv[2] ?? 1000);
const ROOM_SIZE = 10;

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size and count per "type:name" (e.g. "object:WebSocket", "closure:onMessage"). */
function tally(file: string): Map<string, { size: number; count: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  rmSync(file);
  const fields = snap.snapshot.meta.node_fields;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const types = snap.snapshot.meta.node_types[0];
  const out = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt]!]!;
    let name = type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + nameAt]!]! : `(${type})`;
    if (name.length > 40) name = name.slice(0, 37) + '...';
    const key = `${type}:${name}`;
    const t = out.get(key) ?? { size: 0, count: 0 };
    t.size += snap.nodes[i + sizeAt]!;
    t.count++;
    out.set(key, t);
  }
  return out;
}

const server = await startParley({ ...RAISED_LIMITS, MAX_PARTICIPANTS: String(ROOM_SIZE) });
const system = parleySystem(server.url);
try {
  const rooms = await system.rooms(N / ROOM_SIZE);
  await sleep(1000);
  const before = tally(await server.snapshot());
  const m0 = await server.memory();
  const conns = new Array(N);
  await pool(N, 64, async (i) => void (conns[i] = await system.join(rooms[Math.floor(i / ROOM_SIZE)]!)));
  await sleep(3000);
  const m1 = await server.memory();
  const after = tally(await server.snapshot());
  const rows = [...after].map(([key, a]) => {
    const b = before.get(key) ?? { size: 0, count: 0 };
    return { key, size: (a.size - b.size) / N, count: (a.count - b.count) / N };
  });
  rows.sort((x, y) => y.size - x.size);
  const total = rows.reduce((s, r) => s + r.size, 0);
  console.log(`${N} idle joined participants: heap ${((m1.heapUsed - m0.heapUsed) / N / 1024).toFixed(1)} KB and RSS ${((m1.rss - m0.rss) / N / 1024).toFixed(1)} KB each (process.memoryUsage after full GCs); snapshot diff ${(total / 1024).toFixed(1)} KB each.\n`);
  console.log('| kind (V8 type:name) | bytes per participant | objects per participant |');
  console.log('|---|---|---|');
  for (const r of rows.filter((r) => Math.abs(r.size) >= 100).slice(0, 30)) console.log(`| ${r.key} | ${Math.round(r.size)} | ${r.count.toFixed(1)} |`);
  for (const c of conns) c?.terminate();
} finally {
  system.dispose();
  await server.stop();
}
process.exit(0);
