/**
 * graphql-transport-ws rules, refused with the protocol's close codes by graphql-ws's
 * server (api/src/graphql/socket-transport.ts); the server stays healthy.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startInProcess, eventually, type InProcessServer } from '../support/in-process.js';
import { JOIN, SEND, createRoom } from '../support/participant.js';

let server: InProcessServer;
let slug: string;
beforeAll(async () => {
  server = await startInProcess();
  slug = (await createRoom(server.url, 'Protocol')).slug;
});
afterAll(() => server.close());

interface Conn {
  ws: WebSocket;
  messages: { type: string; id?: string; payload?: unknown }[];
  closed: Promise<{ code: number; reason: string }>;
  next(type: string): Promise<{ type: string; id?: string; payload?: unknown }>;
}

async function open(): Promise<Conn> {
  const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  const messages: Conn['messages'] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (raw) => {
    messages.push(JSON.parse(String(raw)));
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = async (type: string) => {
    for (;;) {
      const found = messages.find((m) => m.type === type);
      if (found) {
        messages.splice(messages.indexOf(found), 1);
        return found;
      }
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  return { ws, messages, closed, next };
}

const subscribe = (id: string) => JSON.stringify({ id, type: 'subscribe', payload: { query: JOIN, variables: { slug } } });

it('4408 when connection_init does not come within 3 s', async () => {
  const c = await open();
  const t0 = Date.now();
  expect(await c.closed).toMatchObject({ code: 4408 });
  expect(Date.now() - t0).toBeGreaterThan(2_500);
});

it('4429 on a second connection_init', async () => {
  const c = await open();
  c.ws.send(JSON.stringify({ type: 'connection_init' }));
  await c.next('connection_ack');
  c.ws.send(JSON.stringify({ type: 'connection_init' }));
  expect(await c.closed).toMatchObject({ code: 4429 });
});

it('4401 on a subscribe before the ack', async () => {
  const c = await open();
  c.ws.send(subscribe('1'));
  expect(await c.closed).toMatchObject({ code: 4401 });
});

it('4409 on a duplicate subscription id; an id is free again after complete', async () => {
  const c = await open();
  c.ws.send(JSON.stringify({ type: 'connection_init' }));
  await c.next('connection_ack');
  c.ws.send(subscribe('a'));
  expect(await c.next('next')).toMatchObject({ id: 'a', payload: { data: { joinRoom: { __typename: 'Welcome' } } } });
  c.ws.send(JSON.stringify({ id: 'a', type: 'complete' }));
  await eventually(() => server.app.hub.stats().participants === 0);
  c.ws.send(subscribe('a')); // reuse after complete is fine
  expect(await c.next('next')).toMatchObject({ id: 'a' });
  c.ws.send(subscribe('a')); // still running: refused
  expect(await c.closed).toMatchObject({ code: 4409, reason: 'Subscriber for a already exists' });
  expect(await eventually(() => server.app.hub.stats().participants === 0)).toBe(true);
});

it('a signal on the socket: the recipient gets the event, the sender next then complete; ended subscriptions get no complete back', async () => {
  const join = async () => {
    const c = await open();
    c.ws.send(JSON.stringify({ type: 'connection_init' }));
    await c.next('connection_ack');
    c.ws.send(subscribe('j'));
    const welcome = (await c.next('next')).payload as { data: { joinRoom: { token: string; me: { id: string } } } };
    return { c, token: welcome.data.joinRoom.token, id: welcome.data.joinRoom.me.id };
  };
  const a = await join();
  const b = await join();
  // A's own stream (ParticipantJoined for B) is not what these checks read.
  const answer = async (type: string) => {
    await eventually(() => a.c.messages.some((m) => m.type === type && m.id !== 'j'));
    const found = a.c.messages.find((m) => m.type === type && m.id !== 'j')!;
    a.c.messages.splice(a.c.messages.indexOf(found), 1);
    return found;
  };
  const send = (id: string, payload: string) =>
    a.c.ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: SEND, variables: { input: { token: a.token, to: b.id, kind: 'OFFER', payload } } } }));
  send('s1', '{"n":1}');
  send('s1', '{"n":2}'); // answered already: the id is free again
  for (const n of [1, 2]) {
    expect(await answer('next')).toEqual({ id: 's1', type: 'next', payload: { data: { sendSignal: true } } });
    expect(await answer('complete')).toEqual({ id: 's1', type: 'complete' });
    const event = await b.c.next('next');
    expect(event).toMatchObject({ id: 'j', payload: { data: { joinRoom: { __typename: 'Signal', from: a.id, payload: `{"n":${n}}` } } } });
  }
  // Refused by the hub: an error in the result, still followed by complete.
  send('s2', 'not json');
  expect(await answer('next')).toMatchObject({ id: 's2', payload: { data: null, errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] } });
  expect(await answer('complete')).toEqual({ id: 's2', type: 'complete' });
  // B ends its subscription: it leaves, and no complete comes back for it.
  b.c.ws.send(JSON.stringify({ id: 'j', type: 'complete' }));
  await eventually(() => server.app.hub.stats().participants === 1);
  await new Promise((r) => setTimeout(r, 100));
  expect(b.c.messages.filter((m) => m.type === 'complete')).toEqual([]);
  a.c.ws.close();
  b.c.ws.close();
  await eventually(() => server.app.hub.stats().participants === 0);
});

it('4400 on invalid messages', async () => {
  const cases = [
    'not json',
    '[1,2]',
    JSON.stringify({ type: 'bogus' }),
    JSON.stringify({ type: 'next', id: '1', payload: {} }),
    JSON.stringify({ id: 1, type: 'subscribe', payload: { query: '{ __typename }' } }),
    JSON.stringify({ id: 'x', type: 'subscribe', payload: {} }),
  ];
  for (const message of cases) {
    const c = await open();
    c.ws.send(JSON.stringify({ type: 'connection_init' }));
    await c.next('connection_ack');
    c.ws.send(message);
    expect((await c.closed).code, message).toBe(4400);
  }
});

it('the server stays healthy after all of that', async () => {
  const res = await fetch(`${server.url}/healthz`);
  expect(res.status).toBe(200);
  expect(await eventually(() => server.app.websocketServer.clients.size === 0)).toBe(true);
  expect(server.app.hub.stats().participants).toBe(0);
});
