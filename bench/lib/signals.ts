/**
 * Signal-level measurements shared by the relay and STUN benchmarks: one-at-a-time
 * latency (sendSignal -> the recipient's event) and closed-loop throughput with a window
 * of signals in flight per sender, counting every signal until it is delivered.
 */
import type { Conn, System } from './clients/types.js';
import { sleep, until } from './stats.js';

/** `count` rooms of a sender and a recipient each, joined one after the other. */
export async function pairsOf(system: System, count: number): Promise<[Conn, Conn][]> {
  const rooms = await system.rooms(count);
  const pairs: [Conn, Conn][] = [];
  for (const room of rooms) pairs.push([await system.join(room), await system.join(room)]);
  return pairs;
}

/** An ICE candidate as browsers send it, tagged with a sequence number. */
export function candidate(seq: number): string {
  return (
    '{"candidate":"candidate:842163049 1 udp 1677729535 127.0.0.1 50123 typ host generation 0 ufrag sXn4 network-cost 999",' +
    `"sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"sXn4","seq":${seq}}`
  );
}

export function seqOf(payload: string): number {
  return Number(payload.slice(payload.lastIndexOf(':') + 1, -1));
}

export type Sender = (from: Conn, to: Conn, payload: string) => void | Promise<boolean>;

export const overSocket: Sender = (from, to, payload) => from.send(to.id, 'ICE_CANDIDATE', payload);
export const overHttp =
  (system: System): Sender =>
  (from, to, payload) =>
    system.sendHttp!(from, to.id, 'ICE_CANDIDATE', payload);

/** Sends `count` signals a -> b one at a time; the time from send to b's event, in ms. */
export async function pingLatency(a: Conn, b: Conn, count: number, send: Sender, warmup = 100): Promise<number[]> {
  const samples: number[] = [];
  let expect = -1;
  let t0 = 0;
  let done: (() => void) | null = null;
  b.onEvent = (e) => {
    if (e.type !== 'signal' || seqOf(e.payload) !== expect) return;
    const dt = performance.now() - t0;
    if (expect >= warmup) samples.push(dt);
    done?.();
  };
  for (let i = 0; i < count + warmup; i++) {
    expect = i;
    const arrived = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`signal ${i} not delivered within 5 s`)), 5_000);
      done = () => (clearTimeout(timer), resolve());
    });
    t0 = performance.now();
    const sent = send(a, b, candidate(i));
    await arrived;
    if (sent instanceof Promise && !(await sent)) throw new Error(`signal ${i} refused`);
  }
  b.onEvent = () => {};
  return samples;
}

export interface ThroughputResult {
  perSecond: number;
  sent: number;
  received: number;
  lost: number;
  refused: number;
  outOfOrder: number;
  /** Open loop: signals still in flight 100 ms after the last send (the server fell behind). */
  late?: number;
}

/**
 * Each pair [a, b] keeps `window` signals a -> b in flight; a new one goes out when one
 * arrives. Counts deliveries between `warmupMs` and `warmupMs + durationMs`, then stops
 * sending and waits (at most 5 s) for the rest: anything missing then is lost.
 */
export async function closedLoop(pairs: [Conn, Conn][], window: number, warmupMs: number, durationMs: number, send: Sender): Promise<ThroughputResult> {
  let running = true;
  let sent = 0;
  let received = 0;
  let refused = 0;
  let outOfOrder = 0;
  const fire = (a: Conn, b: Conn, seq: number) => {
    sent++;
    const r = send(a, b, candidate(seq));
    if (r instanceof Promise) void r.then((ok) => !ok && refused++, () => refused++);
  };
  for (const [a, b] of pairs) {
    let next = 0;
    let expect = 0;
    b.onEvent = (e) => {
      if (e.type !== 'signal') return;
      received++;
      if (seqOf(e.payload) !== expect) outOfOrder++;
      expect = seqOf(e.payload) + 1;
      if (running) fire(a, b, next++);
    };
    for (let i = 0; i < window; i++) fire(a, b, next++);
  }
  await sleep(warmupMs);
  const r0 = received;
  const t0 = performance.now();
  await sleep(durationMs);
  const r1 = received;
  const t1 = performance.now();
  running = false;
  await until(() => received + refused >= sent, 5_000, 'in-flight signals').catch(() => {});
  const errors = pairs.reduce((n, [a]) => n + a.errors, 0);
  for (const [, b] of pairs) b.onEvent = () => {};
  return {
    perSecond: ((r1 - r0) * 1000) / (t1 - t0),
    sent,
    received,
    lost: sent - received,
    refused: refused + errors,
    outOfOrder,
  };
}

/** Sequence numbers of open-loop trials start here, so a late signal of a trial is never counted in the next. */
let trialBase = 0;

/**
 * Open loop: signals go out at `rate` per second (spread over the pairs, whatever comes
 * back) for `durationMs`; one not delivered within `graceMs` after the last send is lost.
 * `offered` is the rate the load generator really achieved (it may be starved itself).
 */
export async function openLoop(pairs: [Conn, Conn][], rate: number, durationMs: number, send: Sender, graceMs = 1_000): Promise<ThroughputResult & { offered: number }> {
  const base = (trialBase += 10_000_000);
  let sent = 0;
  let received = 0;
  let refused = 0;
  let outOfOrder = 0;
  const next = pairs.map(() => base);
  for (const [, b] of pairs) {
    let expect = base;
    b.onEvent = (e) => {
      if (e.type !== 'signal') return;
      const seq = seqOf(e.payload);
      if (seq < base) return;
      received++;
      if (seq !== expect) outOfOrder++;
      expect = seq + 1;
    };
  }
  const errors0 = pairs.reduce((n, [a]) => n + a.errors, 0);
  const t0 = performance.now();
  let turn = 0;
  for (;;) {
    const now = performance.now() - t0;
    const due = Math.floor((Math.min(now, durationMs) * rate) / 1000);
    while (sent < due) {
      const i = turn++ % pairs.length;
      const [a, b] = pairs[i]!;
      sent++;
      const r = send(a, b, candidate(next[i]!++));
      if (r instanceof Promise) void r.then((ok) => !ok && refused++, () => refused++);
    }
    if (now >= durationMs) break;
    await sleep(2);
  }
  const elapsed = performance.now() - t0;
  // Keeping up: what was sent is delivered promptly, not queued up for later.
  await until(() => received + refused >= sent, 100, 'in-flight signals').catch(() => {});
  const late = sent - received - refused;
  await until(() => received + refused >= sent, graceMs, 'in-flight signals').catch(() => {});
  const errors = pairs.reduce((n, [a]) => n + a.errors, 0) - errors0;
  for (const [, b] of pairs) b.onEvent = () => {};
  return { perSecond: (received * 1000) / elapsed, offered: (sent * 1000) / elapsed, sent, received, lost: sent - received, refused: refused + errors, outOfOrder, late };
}

export interface Trial {
  rate: number;
  offered: number;
  lost: number;
  refused: number;
  late: number;
  perSecond: number;
}

/**
 * The highest open-loop rate delivered with nothing lost (and no more than 1% late):
 * doubles from `start` until a rate loses signals (or `max`, or the load generator cannot
 * offer the rate itself), then bisects `steps` times between the last clean rate and the
 * first lossy one. Returns the delivered rate of the best clean trial (0 if even `start`
 * lost), whether the load generator was the limit, and every trial.
 */
export async function lossFreeRate(
  pairs: [Conn, Conn][],
  send: Sender,
  opts: { start: number; max: number; durationMs: number; steps: number },
): Promise<{ rate: number; generatorBound: boolean; trials: Trial[] }> {
  const trials: Trial[] = [];
  let best = 0;
  let generatorBound = false;
  const clean = async (rate: number) => {
    const r = await openLoop(pairs, rate, opts.durationMs, send);
    trials.push({ rate, offered: Math.round(r.offered), lost: r.lost, refused: r.refused, late: r.late ?? 0, perSecond: Math.round(r.perSecond) });
    await sleep(200); // let the server drain before the next trial
    // More than 1% still queued after the window counts as falling behind.
    const ok = r.lost === 0 && r.refused === 0 && r.outOfOrder === 0 && (r.late ?? 0) <= r.sent / 100;
    if (ok) best = Math.max(best, r.perSecond);
    if (r.offered < rate * 0.9) generatorBound = true;
    return ok;
  };
  let good = 0;
  let bad = 0;
  for (let rate = opts.start; rate <= opts.max; rate *= 2) {
    const ok = await clean(rate);
    if (generatorBound) return { rate: best, generatorBound, trials };
    if (ok) good = rate;
    else {
      bad = rate;
      break;
    }
  }
  if (bad === 0) return { rate: best, generatorBound, trials };
  let low = good;
  let high = bad;
  for (let i = 0; i < opts.steps && high - low > opts.start / 4 && !generatorBound; i++) {
    const mid = Math.round((low + high) / 2);
    if (await clean(mid)) low = mid;
    else high = mid;
  }
  return { rate: best, generatorBound, trials };
}
