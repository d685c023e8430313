/**
 * 2,000 joins opened and closed, a third of them torn down while the subscription is
 * still being set up (the mercurius #1202 race): no ghost participant, no socket left,
 * the heap back near where it started.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startInProcess, eventually, settledHeap, type InProcessServer } from '../support/in-process.js';
import { JOIN, createRoom } from '../support/participant.js';

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess({
    maxParticipants: 1000,
    rateLimits: { createRoomPerMinute: 30, joinPerMinute: 1_000_000, signalsPerSecond: 200 },
  });
});
afterAll(() => server.close());

type Mode = 'complete' | 'close' | 'mid-setup' | 'terminate';

/** One join over a raw graphql-transport-ws socket, ended the way `mode` says. */
function churn(wsUrl: string, slug: string, mode: Mode): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
    let welcomed = false;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { type: string; payload?: { data?: { joinRoom?: { __typename: string } } } };
      if (msg.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: JOIN, variables: { slug, displayName: 'Churn' } } }));
        if (mode === 'mid-setup') ws.terminate();
      } else if (msg.type === 'next' && msg.payload?.data?.joinRoom?.__typename === 'Welcome' && !welcomed) {
        welcomed = true;
        if (mode === 'complete') {
          ws.send(JSON.stringify({ id: '1', type: 'complete' }));
          setTimeout(() => ws.close(1000), 5);
        } else if (mode === 'close') ws.close(1000);
        else ws.terminate();
      }
    });
    ws.on('close', () => resolve(welcomed));
    ws.on('error', () => undefined);
  });
}

it('2,000 joins, some torn down mid-setup, leave nothing behind', async () => {
  const room = await createRoom(server.url, 'Churn');
  const modes: Mode[] = ['complete', 'close', 'mid-setup', 'terminate', 'mid-setup', 'close'];
  // Warm up (JIT, caches), then measure from a settled heap.
  await Promise.all(Array.from({ length: 100 }, (_, i) => churn(server.wsUrl, room.slug, modes[i % modes.length]!)));
  expect(await eventually(() => server.app.hub.stats().participants === 0 && server.app.websocketServer.clients.size === 0)).toBe(true);
  const before = await settledHeap();

  let welcomed = 0;
  const total = 2000;
  const batch = 50;
  for (let i = 0; i < total; i += batch) {
    const results = await Promise.all(
      Array.from({ length: batch }, (_, j) => churn(server.wsUrl, room.slug, modes[(i + j) % modes.length]!)),
    );
    welcomed += results.filter(Boolean).length;
  }
  expect(welcomed).toBeGreaterThan(total / 2); // the non-mid-setup ones all got Welcome

  const settled = await eventually(
    () => server.app.hub.stats().participants === 0 && server.app.websocketServer.clients.size === 0,
    15_000,
  );
  expect({ stats: server.app.hub.stats(), sockets: server.app.websocketServer.clients.size }).toEqual({
    stats: { rooms: 0, participants: 0, away: 0 },
    sockets: 0,
  });
  expect(settled).toBe(true);
  const after = await settledHeap();
  const growthMiB = (after - before) / 1024 / 1024;
  console.info(`churn: ${total} joins (${welcomed} welcomed); heap ${(before / 2 ** 20).toFixed(1)} -> ${(after / 2 ** 20).toFixed(1)} MiB (${growthMiB.toFixed(2)} MiB)`);
  expect(growthMiB).toBeLessThan(8);
}, 180_000);
