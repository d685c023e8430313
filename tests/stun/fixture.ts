/**
 * Parley's STUN listener started in the test process on a free port, wired the way
 * api/src/stun/plugin.ts wires it, for the STUN tests that drive it from other processes
 * (coturn's client, Chromium) or measure it (heap).
 */
import type { TransportAddress } from '../../api/src/stun/address.js';
import { createStunHandler } from '../../api/src/stun/handler.js';
import { startStunListener, type StunListener } from '../../api/src/stun/listener.js';
import { RateLimiter } from '../../api/src/shared/rate-limit.js';
import { memoryLogger } from '../../api/src/stun/testing.js';
import { freeUdpPort } from './free-port.js';

export interface StunFixtureOptions {
  portShift?: number;
  ratePerSecond?: number;
  /** Remember the source of each answered datagram (off for the heap test). */
  record?: boolean;
}

export interface StunFixture extends StunListener {
  /** Sources the handler answered, oldest first (when recording). */
  answered: TransportAddress[];
}

export async function startStun(options: StunFixtureOptions = {}): Promise<StunFixture> {
  const handle = createStunHandler({ portShift: options.portShift ?? 0 });
  const answered: TransportAddress[] = [];
  const listener = await startStunListener({
    port: await freeUdpPort(),
    host: '127.0.0.1',
    handler: (request, source) => {
      const response = handle(request, source);
      if (response && options.record) answered.push(source);
      return response;
    },
    limiter: new RateLimiter({ ratePerSecond: options.ratePerSecond ?? 50 }),
    logger: memoryLogger(),
  });
  return Object.assign(listener, { answered });
}
