/**
 * Room chat on the embedded database (PGlite), over real sockets: one order under
 * concurrent senders, the sender included; Welcome.chat's window (50 messages, 24 hours);
 * the retention job; the errors; history after a restart.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from '../support/in-process.js';
import { Participant, createRoom } from '../support/participant.js';
import { tempDir } from '../support/server.js';
import { gql } from '../support/graphql.js';
import { chatOf, expectOneOrder } from './expect.js';

const dataDir = tempDir('parley-chat-');
let server: InProcessServer;
let slug: string;
beforeAll(async () => {
  server = await startInProcess({ dataDir, rateLimits: { createRoomPerMinute: 30, joinPerMinute: 1000, signalsPerSecond: 200, chatPerMinute: 20 } });
  slug = (await createRoom(server.url, 'Chatty')).slug;
}, 300_000); // a fresh embedded database runs initdb: minutes on a loaded two-core machine
afterAll(() => server?.close());

const sql = <T extends object[]>(query: string, params: unknown[] = []) => server.app.orm.em.getConnection().execute<T>(query, params);

it('concurrent senders: everyone, senders included, gets one gapless order', async () => {
  const people = await Promise.all(['Ann', 'Bob', 'Cy'].map((n) => Participant.join(server.wsUrl, slug, n)));
  const sends = people.flatMap((p, who) => Array.from({ length: 15 }, (_, i) => p.chat(`${p.welcome.me!.displayName} ${i} of ${who}`)));
  const results = await Promise.all(sends);
  expect(results.every((r) => r.message)).toBe(true);
  const seqs = results.map((r) => r.message!.seq).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
  const streams = await Promise.all(people.map((p) => chatOf(p, 45)));
  expectOneOrder(streams);
  // Each sender's own messages came back to it, in the order it sent them.
  for (const [who, stream] of streams.entries()) {
    const mine = stream.filter((m) => m.fromId === people[who]!.id).map((m) => m.text);
    expect(mine).toEqual(Array.from({ length: 15 }, (_, i) => `${people[who]!.welcome.me!.displayName} ${i} of ${who}`));
  }
  for (const p of people) p.close();
});

it('Welcome.chat: the last 50 of the last 24 hours, oldest first; the name stays after the sender left', async () => {
  const dan = await Participant.join(server.wsUrl, slug, 'Dan');
  for (let i = 0; i < 10; i++) expect((await dan.chat(`dan ${i}`)).message?.seq).toBe(46 + i);
  dan.close();
  const eve = await Participant.join(server.wsUrl, slug, 'Eve');
  const chat = eve.welcome.chat!;
  expect(chat.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 6));
  expect(chat.at(-1)).toMatchObject({ fromName: 'Dan', text: 'dan 9' });
  // Age some messages past the window: they leave the history, however few there are.
  await sql(`update chat_message set sent_at = now() - interval '25 hours' where seq <= 50`);
  const fay = await Participant.join(server.wsUrl, slug, 'Fay');
  expect(fay.welcome.chat!.map((m) => m.seq)).toEqual([51, 52, 53, 54, 55]);
  eve.close();
  fay.close();
});

it('retention deletes messages older than the window, and only those', async () => {
  const before = await sql<{ n: string }[]>('select count(*) as n from chat_message');
  expect(Number(before[0]!.n)).toBe(55);
  expect(await server.app.chatRetention.run()).toBe(50);
  const left = await sql<{ seq: number }[]>('select seq from chat_message order by seq');
  expect(left.map((r) => r.seq)).toEqual([51, 52, 53, 54, 55]);
  expect(await server.app.chatRetention.run()).toBe(0);
});

it('a join while messages are being sent misses none and gets none twice', async () => {
  const room = (await createRoom(server.url, 'Busy')).slug;
  const talker = await Participant.join(server.wsUrl, room, 'Talker');
  const sending = Promise.all(Array.from({ length: 20 }, (_, i) => talker.chat(`t${i}`)));
  const joiners = await Promise.all([0, 1, 2].map((i) => Participant.join(server.wsUrl, room, `J${i}`)));
  await sending;
  for (const j of joiners) {
    const history = j.welcome.chat!.map((m) => m.seq);
    const seen = await chatOf(j, 20 - history.length);
    expect([...history, ...seen.map((m) => m.seq)]).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  }
  for (const p of [talker, ...joiners]) p.close();
});

it('refuses bad text, unknown tokens and floods with the contract codes; HTML stays text', async () => {
  const room = (await createRoom(server.url, 'Strict')).slug;
  const a = await Participant.join(server.wsUrl, room, 'A');
  const b = await Participant.join(server.wsUrl, room, 'B');
  const html = '<b>bold</b> & <script>alert(1)</script>\n  second line';
  expect((await a.chat(`  ${html}  `)).message?.text).toBe(html);
  expect((await chatOf(b, 1))[0]!.text).toBe(html);
  for (const text of ['', '   \n ', 'x'.repeat(2001)]) {
    const { errors } = await a.chat(text);
    expect(errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'text' });
  }
  expect((await a.chat('x'.repeat(2001))).errors?.[0]?.message).toMatch(/at most 2,000 characters/);
  expect((await a.chat('y'.repeat(2000))).message?.text).toHaveLength(2000);
  expect((await a.chat('hi', 'not-a-token')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  // Over HTTP too, as a script would call it.
  const http = await gql(server.url, 'mutation($i: ChatMessageInput!) { sendChatMessage(input: $i) { seq } }', { i: { token: 'nope', text: 'hi' } });
  expect(http.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  // B's budget: 20 a minute; the 21st is refused, and A can still talk.
  const results = [];
  for (let i = 0; i < 21; i++) results.push(await b.chat(`b${i}`));
  expect(results.slice(0, 20).every((r) => r.message)).toBe(true);
  expect(results[20]!.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  expect((await a.chat('still here')).message).toBeDefined();
  // A token stops working once its participant left.
  const token = a.token;
  a.leave();
  await new Promise((r) => setTimeout(r, 200));
  expect((await b.chat('x', token)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  // Nothing refused was stored.
  const rows = await sql<{ n: string }[]>(
    'select count(*) as n from chat_message m join room r on r.id = m.room_id where r.slug = ?',
    [room],
  );
  expect(Number(rows[0]!.n)).toBe(1 + 1 + 20 + 1);
  b.close();
});

it('history survives a restart of the server (embedded database on disk)', async () => {
  await server.close();
  server = await startInProcess({ dataDir });
  const back = await Participant.join(server.wsUrl, slug, 'After restart');
  expect(back.welcome.chat!.map((m) => m.text)).toEqual(['dan 5', 'dan 6', 'dan 7', 'dan 8', 'dan 9']);
  expect((await back.chat('first after restart')).message?.seq).toBe(56);
  back.close();
}, 120_000);
