/**
 * Signal-level measurements shared by the relay and STUN benchmarks: one-at-a-time
 * latency (sendSignal -> the recipient's event) and closed-loop throughput with a window
 * of signals in flight per sender, counting every signal until it is delivered.
 */
import type { Conn, System } from './clients/types.js';
import { sleep, until } from './stats.js';

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
