/**
 * Signal relay: latency from send to the recipient's event (one at a time), and the
 * highest rate one server process relays with nothing lost (an open-loop search: the rate
 * doubles until signals are lost, then is bisected), on the socket, for Parley and three
 * references: bare `ws` (the floor), Socket.IO, and a plain graphql-ws server on Parley's
 * schema. HTTP sendSignal is measured against node:http (closed loop, fixed window).
 *
 * Method: every server runs in its own process, idle unless measured. Each round measures
 * every system once, in a fresh random order; the figures compared are the median over
 * rounds of the per-round ratios Parley / reference (paired: both ran under the same
 * background load), never each system's best round. A round in which a system lost
 * signals even at the lowest rate counts as 0 for it.
 */
import type { BenchContext } from '../lib/context.js';
import type { Conn, System } from '../lib/clients/types.js';
import { parleySystem } from '../lib/clients/parley.js';
import { wsSystem } from '../lib/clients/ws.js';
import { socketIoSystem } from '../lib/clients/socketio.js';
import { RAISED_LIMITS, startChild, startParley, type ServerChild } from '../lib/proc.js';
import { closedLoop, lossFreeRate, overHttp, overSocket, pairsOf, pingLatency, type Trial } from '../lib/signals.js';
import { compared } from '../lib/report.js';
import { median, round, shuffled, summarize } from '../lib/stats.js';

/** Senders (each to its own recipient, each pair in its own room). */
const SOCKET_PAIRS = 32;
const HTTP_PAIRS = 16;
const HTTP_WINDOW = 4;

interface RoundFigures {
  p50: number;
  p99: number;
  max: number;
  rate: number;
  /** The load generator could not offer a higher rate: the figure is a floor. */
  generatorBound: boolean;
  serverCpu: number;
  trials: Trial[];
  httpP50?: number;
  httpP99?: number;
  httpRate?: number;
}

interface Subject {
  name: string;
  server: ServerChild;
  system: System;
  ping: [Conn, Conn];
  pairs: [Conn, Conn][];
  http: boolean;
  rounds: RoundFigures[];
}

async function measure(s: Subject, quick: boolean, perRound: number): Promise<RoundFigures> {
  const [a, b] = s.ping;
  const latency = summarize(await pingLatency(a, b, perRound, overSocket));
  const cpu0 = await s.server.cpu();
  const t0 = performance.now();
  const search = await lossFreeRate(s.pairs, overSocket, { start: 1000, max: 256_000, durationMs: quick ? 600 : 1500, steps: quick ? 2 : 3 });
  const serverCpu = round((((await s.server.cpu()) - cpu0) / ((performance.now() - t0) * 1000)) * 100, 0);
  const figures: RoundFigures = { p50: latency.p50, p99: latency.p99, max: latency.max, rate: search.rate, generatorBound: search.generatorBound, serverCpu, trials: search.trials };
  if (s.http) {
    const h = summarize(await pingLatency(a, b, perRound, overHttp(s.system)));
    const loop = await closedLoop(s.pairs.slice(0, HTTP_PAIRS), HTTP_WINDOW, quick ? 300 : 700, quick ? 1000 : 3000, overHttp(s.system));
    Object.assign(figures, { httpP50: h.p50, httpP99: h.p99, httpRate: loop.lost || loop.refused ? 0 : loop.perSecond });
  }
  return figures;
}

export async function relayBench(ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 2 : 5;
  const perRound = ctx.quick ? 300 : 1000;
  const starts: [string, () => Promise<ServerChild>, (url: string) => System, boolean][] = [
    ['ws', () => startChild('ws relay', 'ws-relay.ts'), wsSystem, true],
    ['socket.io', () => startChild('socket.io relay', 'socketio-relay.ts'), socketIoSystem, false],
    ['graphql-ws', () => startChild('graphql-ws reference', 'graphql-ws-ref.ts'), parleySystem, false],
    // At its default log level (info), as it runs in production.
    ['parley', () => startParley({ ...RAISED_LIMITS, LOG_LEVEL: 'info' }), parleySystem, true],
  ];
  // BENCH_PARLEY_B_FLAGS="--flag ...": a second Parley with those node flags, in the same
  // rounds, so a V8 setting is judged by paired rounds rather than across runs.
  const variant = process.env.BENCH_PARLEY_B_FLAGS?.split(/\s+/).filter(Boolean);
  if (variant?.length) starts.push(['parley-b', () => startParley({ ...RAISED_LIMITS, LOG_LEVEL: 'info' }, variant), parleySystem, false]);
  const subjects: Subject[] = [];
  try {
    for (const [name, start, client, http] of starts) {
      const server = await start();
      const system = client(server.url);
      const [ping] = await pairsOf(system, 1);
      const pairs = await pairsOf(system, SOCKET_PAIRS);
      subjects.push({ name, server, system, ping: ping!, pairs, http, rounds: [] });
    }
    for (let r = 1; r <= rounds; r++) {
      const order = shuffled(subjects);
      for (const s of order) {
        const f = await measure(s, ctx.quick, perRound);
        s.rounds.push(f);
        ctx.log(
          `relay round ${r}/${rounds} ${s.name}: p50 ${round(f.p50, 3)} ms, p99 ${round(f.p99, 3)} ms; no loss up to ${Math.round(f.rate)}/s${f.generatorBound ? ' (load generator bound)' : ''} (server CPU ${f.serverCpu}%)` +
            (f.httpRate !== undefined ? `; HTTP p50 ${round(f.httpP50!, 3)} ms, ${Math.round(f.httpRate)}/s` : ''),
        );
      }
      ctx.log(`relay round ${r} order: ${order.map((s) => s.name).join(', ')}`);
    }
  } finally {
    for (const s of subjects) {
      for (const [a, b] of [s.ping, ...s.pairs]) (a.close(), b.close());
      s.system.dispose();
      await s.server.stop();
    }
  }

  const by = Object.fromEntries(subjects.map((s) => [s.name, s.rounds]));
  const p = by.parley!;
  /** Median over rounds of Parley's figure / the reference's, with the medians of each side. */
  const paired = (ref: string, pick: (f: RoundFigures) => number | undefined, p = by.parley!) => {
    // A round where both lost everything says nothing about the ratio: it is left out.
    const ratios = p
      .map((f, i) => {
        const mine = pick(f)!;
        const theirs = pick(by[ref]![i]!)!;
        return theirs === 0 ? (mine === 0 ? NaN : Infinity) : mine / theirs;
      })
      .filter((x) => !Number.isNaN(x));
    return { ratio: median(ratios), mine: median(p.map((f) => pick(f)!)), theirs: median(by[ref]!.map((f) => pick(f)!)), ratios };
  };
  const row = (metric: string, unit: string, ref: string, refLabel: string, pick: (f: RoundFigures) => number | undefined, better: 'lower' | 'higher', limit?: number) => {
    const c = paired(ref, pick);
    const r = compared('relay', metric, unit, round(c.mine, 3), refLabel, round(c.theirs, 3), better, limit, `median of ${c.ratios.length} paired rounds: ${c.ratios.map((x) => round(x, 2)).join(', ')}`);
    r.ratio = c.ratio;
    if (limit !== undefined) r.met = better === 'lower' ? c.ratio <= limit : c.ratio >= limit;
    return r;
  };
  ctx.rows.push(
    row('socket p50 latency', 'ms', 'ws', 'ws', (f) => f.p50, 'lower', 2),
    row('socket p50 latency', 'ms', 'graphql-ws', 'graphql-ws', (f) => f.p50, 'lower', 1),
    row('socket p50 latency', 'ms', 'socket.io', 'socket.io', (f) => f.p50, 'lower', 1),
    row('socket p99 latency', 'ms', 'ws', 'ws', (f) => f.p99, 'lower', 2),
    row('socket p99 latency', 'ms', 'graphql-ws', 'graphql-ws', (f) => f.p99, 'lower'),
    row('socket max latency', 'ms', 'ws', 'ws', (f) => f.max, 'lower'),
    row('socket signals/s, none lost', '/s', 'ws', 'ws', (f) => f.rate, 'higher', 0.5),
    row('socket signals/s, none lost', '/s', 'graphql-ws', 'graphql-ws', (f) => f.rate, 'higher', 1),
    row('socket signals/s, none lost', '/s', 'socket.io', 'socket.io', (f) => f.rate, 'higher', 1),
    row('HTTP p50 latency', 'ms', 'ws', 'node:http', (f) => f.httpP50, 'lower', 2),
    row('HTTP p99 latency', 'ms', 'ws', 'node:http', (f) => f.httpP99, 'lower'),
    row('HTTP signals/s, none lost', '/s', 'ws', 'node:http', (f) => f.httpRate, 'higher', 0.5),
  );
  if (by['parley-b']) {
    for (const [metric, pick, better] of [
      ['socket p50 latency', (f: RoundFigures) => f.p50, 'lower'],
      ['socket p99 latency', (f: RoundFigures) => f.p99, 'lower'],
      ['socket signals/s, none lost', (f: RoundFigures) => f.rate, 'higher'],
    ] as const) {
      const c = paired('ws', pick, by['parley-b']);
      const r = compared('relay', `${metric} (Parley with ${variant!.join(' ')})`, metric.includes('/s') ? '/s' : 'ms', round(c.mine, 3), 'ws', round(c.theirs, 3), better, undefined, `median of ${c.ratios.length} paired rounds: ${c.ratios.map((x) => round(x, 2)).join(', ')}`);
      r.ratio = c.ratio;
      ctx.rows.push(r);
    }
  }
  ctx.details.relay = { socketPairs: SOCKET_PAIRS, httpPairs: HTTP_PAIRS, httpWindow: HTTP_WINDOW, rounds, systems: by };
  ctx.notes.push(
    `relay: ${rounds} rounds, systems in a random order each round; ratios are the median of per-round paired ratios. ` +
      `Socket throughput: open loop over ${SOCKET_PAIRS} sender/recipient pairs (one room each), the rate doubled from 1,000/s until a signal was lost (not delivered within 1 s, refused or out of order) or over 1% were still in flight 100 ms after the window (the server fell behind), then bisected; ` +
      `the figure is the delivered rate of the best trial with nothing lost; where the load generator could not offer more (it shares the machine), the figure is a floor: ` +
      subjects.map((s) => `${s.name} ${s.rounds.filter((f) => f.generatorBound).length}/${s.rounds.length} rounds generator-bound`).join(', ') +
      `. HTTP: ${HTTP_PAIRS} pairs with ${HTTP_WINDOW} requests in flight each (closed loop), a round with loss counts as 0. ` +
      `Server CPU during the socket search (% of one core, median): ` +
      subjects.map((s) => `${s.name} ${median(s.rounds.map((f) => f.serverCpu))}%`).join(', ') +
      '. Parley runs at its default log level (info).',
  );
}
