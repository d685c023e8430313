/**
 * The listener keeps no state per request: 2,000 Binding requests from distinct source
 * ports leave the heap where it was (within a few MiB) once garbage is collected.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MessageClass } from '../../api/src/stun/message.js';
import { ask, bindingRequest } from '../../api/src/stun/testing.js';
import { startStun } from './fixture.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

/** `total` requests, each from a fresh socket (a new source port), `parallel` at a time. */
async function burst(port: number, total: number, parallel = 25): Promise<{ answered: number; ports: Set<number> }> {
  const ports = new Set<number>();
  let answered = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++;
      const reply = await ask(port, bindingRequest(), { timeoutMs: 2000 });
      if (reply?.response.cls === MessageClass.SuccessResponse) answered++;
      if (reply) ports.add(reply.localPort);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { answered, ports };
}

describe('STUN listener memory', () => {
  it('2,000 requests from distinct source ports leave the heap within 4 MiB', async () => {
    const listener = await startStun({ ratePerSecond: 1_000_000 });
    try {
      await burst(listener.port, 200); // warm up code paths and socket pools
      const before = await settledHeap();
      const { answered, ports } = await burst(listener.port, 2000);
      const after = await settledHeap();
      expect(answered).toBe(2000);
      // Ephemeral ports are reused once freed; most requests still come from a port not seen before.
      expect(ports.size).toBeGreaterThan(1000);
      expect(after - before).toBeLessThan(4 * 1024 * 1024);
    } finally {
      await listener.close();
    }
  });
});
