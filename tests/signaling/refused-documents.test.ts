/**
 * Every operation on the socket is validated, subscriptions included: a joinRoom with an
 * unknown field, thousands of aliases, or nesting past the depth limit gets an `error`
 * message and never runs. Nothing is left behind: no participant in the hub, no
 * subscription on the socket, no heap kept, and the same socket still joins afterwards.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startInProcess, settledHeap, type InProcessServer } from '../support/in-process.js';
import { createRoom } from '../support/participant.js';
import { MAX_DEPTH } from '../../api/src/graphql/limits.js';

let server: InProcessServer;
let slug: string;
beforeAll(async () => {
  server = await startInProcess({ rateLimits: { createRoomPerMinute: 30, joinPerMinute: 10_000, signalsPerSecond: 200 } });
  slug = (await createRoom(server.url, 'Refused')).slug;
});
afterAll(() => server.close());

type Message = { type: string; id?: string; payload?: any };

/** An acknowledged graphql-transport-ws connection read one message at a time. */
async function connect() {
  const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  const inbox: Message[] = [];
  let wake: (() => void) | null = null;
  ws.on('message', (raw) => {
    inbox.push(JSON.parse(String(raw)) as Message);
    wake?.();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const next = async (): Promise<Message> => {
    while (inbox.length === 0) await new Promise<void>((r) => (wake = r));
    return inbox.shift()!;
  };
  ws.send(JSON.stringify({ type: 'connection_init' }));
  expect((await next()).type).toBe('connection_ack');
  const subscribe = (id: string, query: string) => ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables: { slug } } }));
  return { ws, next, subscribe };
}

const join = (selection: string) => `subscription J($slug: String!) { joinRoom(slug: $slug) { ${selection} } }`;
const documents: Record<string, [query: string, code: string]> = {
  'an unknown field': [join('__typename nope'), 'GRAPHQL_VALIDATION_FAILED'],
  '5,000 aliases': [join(Array.from({ length: 5000 }, (_, i) => `a${i}: __typename`).join(' ')), 'QUERY_TOO_LARGE'],
  '5,000 repeated fields': [join(Array.from({ length: 5000 }, () => '__typename').join(' ')), 'QUERY_TOO_COMPLEX'],
  [`nesting deeper than ${MAX_DEPTH}`]: [join(`${'... on Welcome { '.repeat(MAX_DEPTH + 2)}token${' }'.repeat(MAX_DEPTH + 2)}`), 'QUERY_TOO_COMPLEX'],
};

it.each(Object.entries(documents))('joinRoom with %s is refused with an error and never runs', async (_name, [query, code]) => {
  const c = await connect();
  c.subscribe('bad', query);
  const refused = await c.next();
  expect(refused).toMatchObject({ id: 'bad', type: 'error' });
  expect(refused.payload[0].extensions.code).toBe(code);
  expect(server.app.hub.stats().participants).toBe(0);
  // The id is free again (no subscription held), and the socket still joins.
  c.subscribe('bad', join('__typename'));
  expect(await c.next()).toMatchObject({ id: 'bad', type: 'next', payload: { data: { joinRoom: { __typename: 'Welcome' } } } });
  expect(server.app.hub.stats().participants).toBe(1);
  c.ws.close(1000);
  await new Promise((r) => c.ws.once('close', r));
});

it('a flood of refused joins keeps nothing: no participant, no heap', async () => {
  const c = await connect();
  const [wide] = documents['5,000 repeated fields']!;
  const [deep] = documents[`nesting deeper than ${MAX_DEPTH}`]!;
  const round = async (n: number) => {
    for (let i = 0; i < n; i++) {
      c.subscribe(`x${i}`, i % 2 ? wide : deep);
      expect((await c.next()).type).toBe('error');
    }
  };
  await round(20); // warm up: code paths compiled, buffers sized
  const before = await settledHeap();
  await round(200);
  const after = await settledHeap();
  console.info(`200 refused joins: heap ${((after - before) / 1024).toFixed(0)} KiB over the start`);
  expect(server.app.hub.stats().participants).toBe(0);
  // 200 wide documents kept would be tens of MB; allow noise only.
  expect(after - before).toBeLessThan(2 * 2 ** 20);
  c.ws.close(1000);
});
