/**
 * The STUN load generator, the same for Parley's listener and coturn: minimal RFC 8489
 * Binding requests (20-byte header, a counter in the transaction id), one at a time for
 * round trips, or a closed loop with a window in flight per socket for throughput.
 * Replies are matched by transaction id; one missing after 500 ms counts as lost and is
 * replaced so the window stays full.
 */
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { sleep } from './stats.js';

const HOST = '127.0.0.1';
const LOSS_MS = 500;

export function bindingRequest(counter: number, salt: Buffer): Buffer {
  const b = Buffer.allocUnsafe(20);
  b.writeUInt32BE(0x00010000, 0); // Binding request, no attributes
  b.writeUInt32BE(0x2112a442, 4);
  salt.copy(b, 8, 0, 8);
  b.writeUInt32BE(counter >>> 0, 16);
  return b;
}

function isBindingSuccess(msg: Buffer): boolean {
  return msg.length >= 20 && msg.readUInt16BE(0) === 0x0101;
}

function open(): Promise<Socket> {
  const s = createSocket('udp4');
  return new Promise((res) => s.bind(0, HOST, () => res(s)));
}

/** `count` Binding round trips one at a time; milliseconds each. */
export async function stunRoundTrips(port: number, count: number, warmup = 100): Promise<number[]> {
  const socket = await open();
  const salt = randomBytes(8);
  const samples: number[] = [];
  try {
    for (let i = 0; i < count + warmup; i++) {
      const t0 = performance.now();
      const got = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => (socket.off('message', on), resolve(false)), 1000);
        const on = (msg: Buffer) => {
          if (!isBindingSuccess(msg) || msg.readUInt32BE(16) !== i) return;
          clearTimeout(timer);
          socket.off('message', on);
          resolve(true);
        };
        socket.on('message', on);
        socket.send(bindingRequest(i, salt), port, HOST);
      });
      if (!got) throw new Error(`STUN request ${i} to port ${port} got no answer within 1 s`);
      if (i >= warmup) samples.push(performance.now() - t0);
    }
  } finally {
    socket.close();
  }
  return samples;
}

export interface StunLoopResult {
  perSecond: number;
  sent: number;
  answered: number;
  lost: number;
}

/** `sockets` client sockets with `window` requests in flight each, for `durationMs` after `warmupMs`. */
export async function stunClosedLoop(port: number, sockets: number, window: number, warmupMs: number, durationMs: number): Promise<StunLoopResult> {
  let running = true;
  let sent = 0;
  let answered = 0;
  let lost = 0;
  const all: Socket[] = [];
  const sweeps: NodeJS.Timeout[] = [];
  for (let k = 0; k < sockets; k++) {
    const socket = await open();
    all.push(socket);
    const salt = randomBytes(8);
    const pending = new Map<number, number>();
    let counter = 0;
    const fire = () => {
      const id = counter++;
      pending.set(id, performance.now());
      sent++;
      socket.send(bindingRequest(id, salt), port, HOST);
    };
    socket.on('message', (msg) => {
      if (!isBindingSuccess(msg) || !pending.delete(msg.readUInt32BE(16))) return;
      answered++;
      if (running) fire();
    });
    sweeps.push(
      setInterval(() => {
        const now = performance.now();
        for (const [id, t] of pending) {
          if (now - t < LOSS_MS) break;
          pending.delete(id);
          lost++;
          if (running) fire();
        }
      }, 100),
    );
    for (let i = 0; i < window; i++) fire();
  }
  await sleep(warmupMs);
  const a0 = answered;
  const t0 = performance.now();
  await sleep(durationMs);
  const perSecond = ((answered - a0) * 1000) / (performance.now() - t0);
  running = false;
  await sleep(LOSS_MS + 200);
  for (const s of sweeps) clearInterval(s);
  for (const s of all) s.close();
  return { perSecond, sent, answered, lost };
}
