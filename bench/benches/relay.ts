/**
 * Signal relay: latency from send to the recipient's event (one at a time) and the most
 * signals per second one server process delivers with none lost (closed loop), over the
 * socket and over HTTP, for Parley and the two references (bare ws, Socket.IO). Each
 * server runs in its own process; all three run at once, idle unless measured, and the
 * measurements are interleaved in rounds so background load on a shared machine hits
 * every system alike.
 */
import type { BenchContext } from '../lib/context.js';
import type { Conn, System } from '../lib/clients/types.js';
import { parleySystem } from '../lib/clients/parley.js';
import { wsSystem } from '../lib/clients/ws.js';
import { socketIoSystem } from '../lib/clients/socketio.js';
import { RAISED_LIMITS, startChild, startParley, type ServerChild } from '../lib/proc.js';
import { closedLoop, overHttp, overSocket, pingLatency, type Sender, type ThroughputResult } from '../lib/signals.js';
import { compared } from '../lib/report.js';
import { round, summarize } from '../lib/stats.js';

/** Senders (each to its own recipient, each pair in its own room) and signals in flight per sender. */
const SOCKET_PAIRS = 32;
const SOCKET_WINDOW = 8;
const HTTP_PAIRS = 16;
const HTTP_WINDOW = 4;

type Loop = ThroughputResult & { serverCpu: number; clientCpu: number };

interface Subject {
  name: string;
  server: ServerChild;
  system: System;
  ping: [Conn, Conn];
  pairs: [Conn, Conn][];
  socketLatency: number[];
  httpLatency: number[];
  socketLoops: Loop[];
  httpLoops: Loop[];
}

async function pairsOf(system: System, count: number): Promise<[Conn, Conn][]> {
  const rooms = await system.rooms(count);
  const pairs: [Conn, Conn][] = [];
  for (const room of rooms) pairs.push([await system.join(room), await system.join(room)]);
  return pairs;
}

async function measuredLoop(server: ServerChild, pairs: [Conn, Conn][], window: number, quick: boolean, send: Sender): Promise<Loop> {
  const cpu0 = await server.cpu();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await closedLoop(pairs, window, quick ? 300 : 700, quick ? 1000 : 3000, send);
  const wall = (performance.now() - t0) * 1000;
  const c1 = process.cpuUsage(c0);
  const serverCpu = ((await server.cpu()) - cpu0) / wall;
  return { ...result, serverCpu: round(serverCpu * 100, 0), clientCpu: round(((c1.user + c1.system) / wall) * 100, 0) };
}

/** The round with the most deliveries per second among those that lost nothing. */
function best(loops: Loop[]): Loop {
  const clean = loops.filter((l) => l.lost === 0 && l.refused === 0);
  const pick = (clean.length ? clean : loops).reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return clean.length ? pick : { ...pick, perSecond: 0 };
}

export async function relayBench(ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 1 : 3;
  const perRound = ctx.quick ? 300 : 1500;
  const starts: [string, () => Promise<ServerChild>, (url: string) => System][] = [
    ['ws', () => startChild('ws relay', 'ws-relay.ts'), wsSystem],
    ['socket.io', () => startChild('socket.io relay', 'socketio-relay.ts'), socketIoSystem],
    ['parley', () => startParley(RAISED_LIMITS), parleySystem],
  ];
  const subjects: Subject[] = [];
  try {
    for (const [name, start, client] of starts) {
      const server = await start();
      const system = client(server.url);
      const [ping] = await pairsOf(system, 1);
      const pairs = await pairsOf(system, SOCKET_PAIRS);
      subjects.push({ name, server, system, ping: ping!, pairs, socketLatency: [], httpLatency: [], socketLoops: [], httpLoops: [] });
    }
    for (let r = 1; r <= rounds; r++) {
      for (const s of subjects) {
        const [a, b] = s.ping;
        s.socketLatency.push(...(await pingLatency(a, b, perRound, overSocket)));
        if (s.system.sendHttp) s.httpLatency.push(...(await pingLatency(a, b, perRound, overHttp(s.system))));
        const loop = await measuredLoop(s.server, s.pairs, SOCKET_WINDOW, ctx.quick, overSocket);
        s.socketLoops.push(loop);
        let line = `relay round ${r}/${rounds} ${s.name}: socket ${Math.round(loop.perSecond)}/s lost ${loop.lost} (CPU server ${loop.serverCpu}%, client ${loop.clientCpu}%)`;
        if (s.system.sendHttp) {
          const h = await measuredLoop(s.server, s.pairs.slice(0, HTTP_PAIRS), HTTP_WINDOW, ctx.quick, overHttp(s.system));
          s.httpLoops.push(h);
          line += `; HTTP ${Math.round(h.perSecond)}/s lost ${h.lost} (CPU server ${h.serverCpu}%, client ${h.clientCpu}%)`;
        }
        ctx.log(line);
      }
    }
  } finally {
    for (const s of subjects) {
      for (const [a, b] of [s.ping, ...s.pairs]) (a.close(), b.close());
      s.system.dispose();
      await s.server.stop();
    }
  }

  const by = Object.fromEntries(
    subjects.map((s) => [
      s.name,
      {
        socketLatency: summarize(s.socketLatency),
        httpLatency: s.httpLatency.length ? summarize(s.httpLatency) : null,
        socketThroughput: best(s.socketLoops),
        httpThroughput: s.httpLoops.length ? best(s.httpLoops) : null,
        rounds: { socket: s.socketLoops, http: s.httpLoops },
      },
    ]),
  );
  ctx.details.relay = { socketPairs: SOCKET_PAIRS, socketWindow: SOCKET_WINDOW, httpPairs: HTTP_PAIRS, httpWindow: HTTP_WINDOW, rounds, systems: by };
  const p = by.parley!;
  const w = by.ws!;
  const s = by['socket.io']!;
  ctx.rows.push(
    compared('relay', 'socket p50 latency', 'ms', p.socketLatency.p50, 'ws', w.socketLatency.p50, 'lower', 2),
    compared('relay', 'socket p50 latency', 'ms', p.socketLatency.p50, 'socket.io', s.socketLatency.p50, 'lower', 1),
    compared('relay', 'socket p99 latency', 'ms', p.socketLatency.p99, 'ws', w.socketLatency.p99, 'lower'),
    compared('relay', 'socket p99 latency', 'ms', p.socketLatency.p99, 'socket.io', s.socketLatency.p99, 'lower', 1),
    compared('relay', 'socket max latency', 'ms', p.socketLatency.max, 'ws', w.socketLatency.max, 'lower'),
    compared('relay', 'socket signals/s, none lost', '/s', p.socketThroughput.perSecond, 'ws', w.socketThroughput.perSecond, 'higher', 0.5),
    compared('relay', 'socket signals/s, none lost', '/s', p.socketThroughput.perSecond, 'socket.io', s.socketThroughput.perSecond, 'higher', 1),
    compared('relay', 'HTTP p50 latency', 'ms', p.httpLatency!.p50, 'node:http', w.httpLatency!.p50, 'lower', 2),
    compared('relay', 'HTTP p99 latency', 'ms', p.httpLatency!.p99, 'node:http', w.httpLatency!.p99, 'lower'),
    compared('relay', 'HTTP max latency', 'ms', p.httpLatency!.max, 'node:http', w.httpLatency!.max, 'lower'),
    compared('relay', 'HTTP signals/s, none lost', '/s', p.httpThroughput!.perSecond, 'node:http', w.httpThroughput!.perSecond, 'higher', 0.5),
  );
  const cpu = (l: Loop | null) => (l ? `${l.serverCpu}/${l.clientCpu}` : '');
  ctx.notes.push(
    `relay: ${SOCKET_PAIRS} sender/recipient pairs (one room each) with ${SOCKET_WINDOW} signals in flight per sender on the socket; ` +
      `${HTTP_PAIRS} pairs with ${HTTP_WINDOW} requests in flight each over HTTP (keep-alive); best of ${rounds} interleaved round(s), a round with any loss counts as 0. ` +
      `CPU in the best round, server/load generator, % of one core: ` +
      Object.entries(by).map(([n, r]) => `${n} socket ${cpu(r.socketThroughput)}` + (r.httpThroughput ? `, HTTP ${cpu(r.httpThroughput)}` : '')).join('; ') +
      '. The HTTP reference is POST /signal on the bare ws relay (node:http, no framework).',
  );
  for (const [name, r] of Object.entries(by)) {
    for (const [label, loops] of [['socket', r.rounds.socket], ['HTTP', r.rounds.http]] as const) {
      const lossy = loops.filter((l) => l.lost || l.refused);
      if (lossy.length) ctx.notes.push(`relay: ${name} ${label} lost signals in ${lossy.length} round(s): ${lossy.map((l) => `${l.lost} lost, ${l.refused} refused`).join('; ')}.`);
    }
  }
}
