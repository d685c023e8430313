/**
 * STUN: Binding responses per second (closed loop) and one-at-a-time round trips, Parley's
 * listener against coturn's `turnserver --stun-only` on another loopback port, same load
 * generator, same run. Parley runs with STUN_RATE_LIMIT raised (all load comes from
 * 127.0.0.1, which the default 50/s per source would throttle). Then GraphQL latency
 * (sendSignal on the socket, and an HTTP query) with and without a STUN flood at half
 * Parley's measured STUN capacity, sent from a separate process.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { parleySystem } from '../lib/clients/parley.js';
import { poster } from '../lib/clients/http.js';
import { RAISED_LIMITS, BENCH_DIR, freeUdpPort, startExternal, startParley, procCpuMicros } from '../lib/proc.js';
import { stunClosedLoop, stunRoundTrips, type StunLoopResult } from '../lib/stun-load.js';
import { overSocket, pingLatency } from '../lib/signals.js';
import { compared } from '../lib/report.js';
import { round, sleep, summarize, type Summary } from '../lib/stats.js';

const RATE_LIMIT = 1_000_000;
const SOCKETS = 4;
const WINDOW = 64;

async function waitForStun(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await stunRoundTrips(port, 1, 0);
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`no STUN answer on port ${port}`);
}

async function httpLatency(url: string, count: number): Promise<number[]> {
  const http = poster(url, 1);
  const body = JSON.stringify({ query: '{ iceServers { urls } }' });
  const out: number[] = [];
  try {
    for (let i = 0; i < count + 50; i++) {
      const t0 = performance.now();
      const res = await http.post('/graphql', body);
      if (res.status !== 200) throw new Error(`iceServers query answered ${res.status}`);
      if (i >= 50) out.push(performance.now() - t0);
    }
  } finally {
    http.dispose();
  }
  return out;
}

function startFlood(port: number, rate: number): Promise<{ stop(): Promise<{ sent: number; answered: number; seconds: number }> }> {
  const child = fork(join(BENCH_DIR, 'servers', 'stun-flood.ts'), [], {
    execArgv: ['--import', 'tsx'],
    cwd: BENCH_DIR,
    env: { ...process.env, FLOOD_PORT: String(port), FLOOD_RATE: String(rate), FLOOD_SECONDS: '120' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve) => {
    child.once('message', () =>
      resolve({
        stop: () =>
          new Promise((done) => {
            child.once('message', (m: { sent: number; answered: number; seconds: number }) => done(m));
            child.send({ type: 'stop' });
          }),
      }),
    );
  });
}

export async function stunBench(ctx: BenchContext): Promise<void> {
  const rounds = ctx.quick ? 1 : 3;
  const rttCount = ctx.quick ? 500 : 2000;
  const [warm, dur] = ctx.quick ? [300, 1000] : [700, 3000];
  const coturnPort = await freeUdpPort();
  const ourPort = await freeUdpPort();
  const coturn = startExternal('turnserver', [
    '--stun-only', '-L', '127.0.0.1', '-p', String(coturnPort), '--no-cli', '--no-tls', '--no-dtls',
    '--log-file', 'stdout', '--no-stdout-log', '-n',
  ]);
  const parley = await startParley({ ...RAISED_LIMITS, STUN_PORT: String(ourPort), STUN_RATE_LIMIT: String(RATE_LIMIT) });
  const rtt: Record<string, number[]> = { parley: [], coturn: [] };
  const loops: Record<string, (StunLoopResult & { serverCpu: number })[]> = { parley: [], coturn: [] };
  let graphql: Record<string, Summary> = {};
  let flood: { rate: number; sent: number; answered: number; seconds: number } | null = null;
  try {
    await waitForStun(coturnPort);
    await waitForStun(ourPort);
    const targets: [string, number, number][] = [['coturn', coturnPort, coturn.pid], ['parley', ourPort, parley.pid]];
    for (let r = 1; r <= rounds; r++) {
      for (const [name, port, pid] of targets) {
        rtt[name]!.push(...(await stunRoundTrips(port, Math.ceil(rttCount / rounds))));
        const c0 = procCpuMicros(pid);
        const t0 = performance.now();
        const loop = await stunClosedLoop(port, SOCKETS, WINDOW, warm, dur);
        const serverCpu = round(((procCpuMicros(pid) - c0) / ((performance.now() - t0) * 1000)) * 100, 0);
        loops[name]!.push({ ...loop, serverCpu });
        ctx.log(`stun round ${r}/${rounds} ${name}: ${Math.round(loop.perSecond)} responses/s, lost ${loop.lost} (server CPU ${serverCpu}%)`);
      }
    }

    // GraphQL with and without a flood at half of Parley's measured STUN capacity.
    const system = parleySystem(parley.url);
    const [slug] = await system.rooms(1);
    const a = await system.join(slug!);
    const b = await system.join(slug!);
    const n = ctx.quick ? 300 : 2000;
    const bestParley = Math.max(...loops.parley!.map((l) => l.perSecond));
    const rate = Math.max(5000, Math.round(bestParley / 2));
    const quiet = { signal: await pingLatency(a, b, n, overSocket), http: await httpLatency(parley.url, n) };
    const f = await startFlood(ourPort, rate);
    await sleep(300);
    const loud = { signal: await pingLatency(a, b, n, overSocket), http: await httpLatency(parley.url, n) };
    flood = { rate, ...(await f.stop()) };
    a.close();
    b.close();
    system.dispose();
    graphql = {
      signalQuiet: summarize(quiet.signal),
      signalFlood: summarize(loud.signal),
      httpQuiet: summarize(quiet.http),
      httpFlood: summarize(loud.http),
    };
    ctx.log(`stun flood at ${rate}/s: sendSignal p99 ${graphql.signalQuiet!.p99.toFixed(2)} -> ${graphql.signalFlood!.p99.toFixed(2)} ms; HTTP query p99 ${graphql.httpQuiet!.p99.toFixed(2)} -> ${graphql.httpFlood!.p99.toFixed(2)} ms`);
  } finally {
    await parley.stop();
    await coturn.stop();
  }

  const lostIn = (list: StunLoopResult[]) => list.reduce((n, l) => n + l.lost, 0);
  const best = (list: (StunLoopResult & { serverCpu: number })[]) => list.reduce((x, y) => (y.perSecond > x.perSecond ? y : x));
  const [ours, theirs] = [best(loops.parley!), best(loops.coturn!)];
  const [ourRtt, theirRtt] = [summarize(rtt.parley!), summarize(rtt.coturn!)];
  ctx.details.stun = { rateLimit: RATE_LIMIT, sockets: SOCKETS, window: WINDOW, rounds, loops, rtt: { parley: ourRtt, coturn: theirRtt }, flood, graphql };
  const g = graphql;
  ctx.rows.push(
    compared('stun', 'Binding responses/s', '/s', ours.perSecond, 'coturn', theirs.perSecond, 'higher', 0.5),
    compared('stun', 'Binding round trip p50', 'ms', ourRtt.p50, 'coturn', theirRtt.p50, 'lower', 2),
    compared('stun', 'Binding round trip p99', 'ms', ourRtt.p99, 'coturn', theirRtt.p99, 'lower', 2),
    {
      suite: 'stun',
      metric: `Binding requests lost, ${SOCKETS * WINDOW} in flight (all rounds)`,
      unit: '',
      value: lostIn(loops.parley!),
      reference: 'coturn',
      refValue: lostIn(loops.coturn!),
      target: '0 lost',
      met: lostIn(loops.parley!) === 0,
    },
    compared('stun', 'sendSignal p99 under STUN flood', 'ms', g.signalFlood!.p99, 'no flood', g.signalQuiet!.p99, 'lower', 1.2),
    compared('stun', 'sendSignal p50 under STUN flood', 'ms', g.signalFlood!.p50, 'no flood', g.signalQuiet!.p50, 'lower'),
    compared('stun', 'HTTP query p99 under STUN flood', 'ms', g.httpFlood!.p99, 'no flood', g.httpQuiet!.p99, 'lower', 1.2),
  );
  ctx.notes.push(
    `stun: Parley ran with STUN_RATE_LIMIT=${RATE_LIMIT} (default 50/s per source; every request here comes from 127.0.0.1). ` +
      `coturn: \`turnserver --stun-only -L 127.0.0.1 -p PORT --no-cli --no-tls --no-dtls -n\` with its default threads. ` +
      `Load: ${SOCKETS} client sockets x ${WINDOW} requests in flight, best of ${rounds} interleaved round(s); lost in the best round: Parley ${ours.lost}, coturn ${theirs.lost}; ` +
      `server CPU (% of one core): Parley ${ours.serverCpu}, coturn ${theirs.serverCpu}. ` +
      `Flood: ${flood?.rate}/s Binding requests from a separate process (half of Parley's measured capacity; ${flood ? Math.round(flood.answered / flood.seconds) : '?'}/s answered), ` +
      'with the raised limit, so it stands for a flood from many sources; the HTTP query is `{ iceServers { urls } }`, one at a time.',
  );
}
