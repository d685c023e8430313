/**
 * Chat across instances (REDIS_URL + one PostgreSQL): people on two API processes sending
 * at the same time all see one order, the same on both instances; a newcomer on either
 * instance gets the same history; a token from one instance works on the other.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Participant, createRoom } from '../support/participant.js';
import { chatOf, expectOneOrder } from '../chat/expect.js';
import { startCluster, type Cluster } from './fixture.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(['chat-a', 'chat-b'], { RATE_LIMIT_CHAT: '1000', RATE_LIMIT_JOIN: '100000' });
}, 180_000);
afterAll(() => cluster?.close());

it('senders on two instances at once: everyone on both sees one gapless order', async () => {
  const a = cluster.servers[0]!;
  const b = cluster.servers[1]!;
  const { slug } = await createRoom(a.url, 'Cluster chat');
  const people = [
    await Participant.join(a.wsUrl, slug, 'A1'),
    await Participant.join(b.wsUrl, slug, 'B1'),
    await Participant.join(a.wsUrl, slug, 'A2'),
    await Participant.join(b.wsUrl, slug, 'B2'),
  ];
  const PER = 20;
  const results = await Promise.all(people.flatMap((p) => Array.from({ length: PER }, (_, i) => p.chat(`${p.welcome.me!.displayName}-${i}`))));
  expect(results.filter((r) => r.errors)).toEqual([]);
  const total = people.length * PER;
  const streams = await Promise.all(people.map((p) => chatOf(p, total)));
  expectOneOrder(streams);
  expect(streams[0]!.length).toBe(total);
  // Each sender's messages in the order it sent them (one socket keeps its order).
  for (const p of people) {
    const mine = streams[0]!.filter((m) => m.fromId === p.id).map((m) => m.text);
    expect(mine).toEqual(Array.from({ length: PER }, (_, i) => `${p.welcome.me!.displayName}-${i}`));
  }
  // A newcomer on either instance gets the same history: the last 50, in that order.
  const late = [await Participant.join(a.wsUrl, slug, 'LateA'), await Participant.join(b.wsUrl, slug, 'LateB')];
  const expected = streams[0]!.slice(-50).map((m) => m.id);
  for (const p of late) expect(p.welcome.chat!.map((m) => m.id)).toEqual(expected);
  // A token works wherever the mutation lands: B1's token sent to instance a over HTTP.
  const res = await fetch(`${a.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($i: ChatMessageInput!) { sendChatMessage(input: $i) { seq fromName } }',
      variables: { i: { token: people[1]!.token, text: 'via the other instance' } },
    }),
  });
  expect(((await res.json()) as { data: unknown }).data).toEqual({ sendChatMessage: { seq: total + 1, fromName: 'B1' } });
  for (const p of [...people, ...late]) expect((await chatOf(p, p.welcome.chat!.length === 0 ? total + 1 : 1)).at(-1)!.text).toBe('via the other instance');
  for (const p of [...people, ...late]) p.close();
}, 120_000);
