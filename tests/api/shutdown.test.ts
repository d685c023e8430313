/**
 * SIGTERM drains: requests in flight complete (no half-written answer), joined
 * participants are told with close code 1012 ("service restart"), the process exits 0
 * within 10 s, and every room whose creation was acknowledged is there after a restart.
 */
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer } from '../support/server.js';
import { createRoom, JOIN } from '../support/participant.js';
import { gql } from '../support/graphql.js';

function joinRaw(wsUrl: string, slug: string): Promise<{ closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as { type: string };
      if (msg.type === 'connection_ack') ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: JOIN, variables: { slug } } }));
      if (msg.type === 'next') resolve({ closed });
    });
    ws.on('error', reject);
  });
}

it('SIGTERM tells participants, finishes requests in flight, loses nothing, exits 0', async () => {
  // The load below creates rooms as fast as the server answers: lift the per-client budget.
  const server = await startServer({ env: { LOG_LEVEL: process.env.SHUTDOWN_LOG_LEVEL ?? 'warn', RATE_LIMIT_CREATE_ROOM: '1000000' } });
  const room = await createRoom(server.url, 'Shutdown');
  const people = await Promise.all([joinRaw(server.wsUrl, room.slug), joinRaw(server.wsUrl, room.slug)]);

  const acknowledged: string[] = [];
  const outcomes = { ok: 0, refused: 0, other: [] as string[] };
  let stopping = false;
  const load = (async () => {
    for (let i = 0; i < 400; i++) {
      try {
        const res = await gql(server.url, `mutation { createRoom(input: {title: "Drain ${i}"}) { slug } }`);
        if (res.data?.createRoom?.slug) {
          acknowledged.push(res.data.createRoom.slug);
          outcomes.ok++;
        } else outcomes.other.push(JSON.stringify(res).slice(0, 200));
      } catch (err) {
        // After SIGTERM the port stops answering: refused or reset before any response.
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? String(err);
        if (stopping && /ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET|other side closed/.test(cause + String(err))) {
          outcomes.refused++;
          break;
        }
        outcomes.other.push(String(err));
        break;
      }
    }
  })();
  await new Promise((r) => setTimeout(r, 300));
  stopping = true;
  const { ms } = await server.stop(); // asserts exit code 0 within 10 s
  await load;
  console.info(`drain: exit 0 after ${ms} ms; ${outcomes.ok} creates acknowledged, ${outcomes.refused} refused after close`);
  expect(outcomes.other).toEqual([]);
  expect(outcomes.ok).toBeGreaterThan(0);
  for (const p of people) expect(await p.closed).toBe(1012);

  const again = await startServer({ env: { ...server.env, PORT: String(server.port) } });
  for (const slug of acknowledged) {
    const res = await gql(again.url, `query($s: String!) { room(slug: $s) { slug } }`, { s: slug });
    expect(res.data?.room?.slug).toBe(slug);
  }
  await again.stop();
}, 180_000);
