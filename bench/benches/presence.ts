/**
 * Presence and join: joins per second while filling a server to 1k and then 10k idle
 * participants (rooms of 10), server memory per joined participant at each level (the
 * child's RSS and heap after full GCs, minus its baseline with the rooms made but nobody
 * joined, divided by participants), and the time for a leave (a clean socket close) to
 * reach the other nine in the room while everyone else stays joined. Parley against the
 * bare ws relay and the Socket.IO relay, one server process at a time, driven by the
 * signaling-only clients of lib/clients.
 */
import type { BenchContext } from '../lib/context.js';
import type { Conn, System } from '../lib/clients/types.js';
import { parleySystem } from '../lib/clients/parley.js';
import { wsSystem } from '../lib/clients/ws.js';
import { socketIoSystem } from '../lib/clients/socketio.js';
import { RAISED_LIMITS, startChild, startParley, type MemorySample, type ServerChild } from '../lib/proc.js';
import { compared, type Row } from '../lib/report.js';
import { pool, round, sleep, summarize, type Summary } from '../lib/stats.js';

const ROOM_SIZE = 10;
const JOIN_CONCURRENCY = 64;
const KB = 1024;

interface Level {
  participants: number;
  joinsPerSecond: number;
  memory: MemorySample;
  rssPerParticipant: number;
  heapPerParticipant: number;
}

interface PresenceResult {
  baseline: MemorySample;
  levels: Level[];
  leave: Summary;
}

async function measure(ctx: BenchContext, server: ServerChild, system: System, levels: number[]): Promise<PresenceResult> {
  const top = levels[levels.length - 1]!;
  const rooms = await system.rooms(top / ROOM_SIZE);
  await sleep(1000);
  const baseline = await server.memory();
  const conns: Conn[] = [];
  const out: Level[] = [];
  try {
    for (const target of levels) {
      const from = conns.length;
      const t0 = performance.now();
      await pool(target - from, JOIN_CONCURRENCY, async (k) => {
        const i = from + k;
        conns[i] = await system.join(rooms[Math.floor(i / ROOM_SIZE)]!);
      });
      const joinsPerSecond = ((target - from) * 1000) / (performance.now() - t0);
      await sleep(ctx.quick ? 1000 : 3000);
      const memory = await server.memory();
      const level = {
        participants: target,
        joinsPerSecond,
        memory,
        rssPerParticipant: (memory.rss - baseline.rss) / target,
        heapPerParticipant: (memory.heapUsed - baseline.heapUsed) / target,
      };
      out.push(level);
      ctx.log(
        `presence ${system.name}: ${target} joined at ${Math.round(joinsPerSecond)}/s; per participant ` +
          `RSS ${(level.rssPerParticipant / KB).toFixed(1)} KB, heap ${(level.heapPerParticipant / KB).toFixed(1)} KB`,
      );
    }
    // A leave: the first member of room k closes its socket; the other nine must see it.
    const samples: number[] = [];
    const count = Math.min(ctx.quick ? 20 : 100, top / ROOM_SIZE);
    for (let k = 0; k < count; k++) {
      const members = conns.slice(k * ROOM_SIZE, (k + 1) * ROOM_SIZE);
      const [victim, ...others] = members as [Conn, ...Conn[]];
      let seen = 0;
      const t0 = performance.now();
      const all = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`leave ${k} not seen by all within 20 s (${seen}/${others.length})`)), 20_000);
        for (const o of others) {
          o.onEvent = (e) => {
            if (e.type === 'left' && e.id === victim.id && ++seen === others.length) (clearTimeout(timer), resolve());
          };
        }
      });
      victim.close();
      await all;
      samples.push(performance.now() - t0);
      for (const o of others) o.onEvent = () => {};
    }
    const leave = summarize(samples);
    ctx.log(`presence ${system.name}: leave reaches the room p50 ${leave.p50.toFixed(2)} ms p99 ${leave.p99.toFixed(2)} ms`);
    return { baseline, levels: out, leave };
  } finally {
    for (const c of conns) c?.terminate();
  }
}

export async function presenceBench(ctx: BenchContext): Promise<void> {
  const levels = ctx.quick ? [200, 1000] : [1000, 10_000];
  const starts: [string, () => Promise<ServerChild>, (url: string) => System][] = [
    ['ws', () => startChild('ws relay', 'ws-relay.ts'), wsSystem],
    ['socket.io', () => startChild('socket.io relay', 'socketio-relay.ts'), socketIoSystem],
    ['parley', () => startParley({ ...RAISED_LIMITS, MAX_PARTICIPANTS: String(ROOM_SIZE) }), parleySystem],
  ];
  const results: Record<string, PresenceResult> = {};
  for (const [name, start, client] of starts) {
    const server = await start();
    const system = client(server.url);
    try {
      results[name] = await measure(ctx, server, system, levels);
    } finally {
      system.dispose();
      await server.stop();
    }
    await sleep(500);
  }
  ctx.details.presence = { roomSize: ROOM_SIZE, joinConcurrency: JOIN_CONCURRENCY, levels, systems: results };

  const p = results.parley!;
  const w = results.ws!;
  const s = results['socket.io']!;
  const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const rows: Row[] = [];
  for (let i = 0; i < levels.length; i++) {
    const [pl, wl, sl] = [p.levels[i]!, w.levels[i]!, s.levels[i]!];
    const at = label(pl.participants);
    rows.push(
      compared('presence', `joins/s, filling to ${at}`, '/s', pl.joinsPerSecond, 'ws', wl.joinsPerSecond, 'higher'),
      compared('presence', `joins/s, filling to ${at}`, '/s', pl.joinsPerSecond, 'socket.io', sl.joinsPerSecond, 'higher'),
    );
    for (const [what, key] of [['RSS', 'rssPerParticipant'], ['heap', 'heapPerParticipant']] as const) {
      const row = compared('presence', `${what} per participant at ${at}`, 'KB', pl[key] / KB, 'ws', wl[key] / KB, 'lower');
      row.target = '< 20 KB';
      row.met = pl[key] / KB < 20;
      rows.push(row, compared('presence', `${what} per participant at ${at}`, 'KB', pl[key] / KB, 'socket.io', sl[key] / KB, 'lower'));
    }
  }
  rows.push(
    compared('presence', 'leave reaches the room, p50', 'ms', p.leave.p50, 'ws', w.leave.p50, 'lower'),
    compared('presence', 'leave reaches the room, p99', 'ms', p.leave.p99, 'ws', w.leave.p99, 'lower'),
  );
  ctx.rows.push(...rows);
  const growth = (r: PresenceResult, key: 'rss' | 'heapUsed') => {
    const [a, b] = [r.levels[0]!, r.levels[r.levels.length - 1]!];
    return round((b.memory[key] - a.memory[key]) / (b.participants - a.participants) / KB, 1);
  };
  ctx.notes.push(
    `presence: rooms of ${ROOM_SIZE} (Parley with MAX_PARTICIPANTS=${ROOM_SIZE}), ${JOIN_CONCURRENCY} joins in flight; a join is a new WebSocket through to the welcome ` +
      `(Parley: connection_init, ack, joinRoom, Welcome). Marginal cost from ${label(levels[0]!)} to ${label(levels[levels.length - 1]!)} per added participant, RSS/heap KB: ` +
      Object.entries(results).map(([n, r]) => `${n} ${growth(r, 'rss')}/${growth(r, 'heapUsed')}`).join(', ') +
      `. Joins/s ${label(levels[0]!)} -> ${label(levels[levels.length - 1]!)}: ` +
      Object.entries(results).map(([n, r]) => `${n} ${r.levels.map((l) => Math.round(l.joinsPerSecond)).join(' -> ')}`).join(', ') +
      '. Leave time is measured with every other participant still joined.',
  );
}
