/**
 * Reference: a plain graphql-ws server (`graphql-ws/use/ws`, default settings: every
 * message parsed and validated by graphql-js, executed by graphql-js) on Parley's own
 * schema.graphql, with the least logic that answers the benchmark client: rooms,
 * joinRoom (Welcome, joins, leaves, signals) and sendSignal, all in memory, no limits, no
 * rate limits, no heartbeat beyond graphql-ws's default. POST /graphql answers createRoom
 * and sendSignal over HTTP. What Parley's socket transport is measured against.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { buildSchema, graphql, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { serveParent } from './child.js';

interface Participant { id: string; displayName: string; joinedAt: Date; media: { audio: boolean; video: boolean; screen: boolean } }
interface Member { participant: Participant; token: string; room: Room; queue: Queue }
interface Room { id: string; slug: string; title: string; createdAt: Date; members: Map<string, Member> }

/** An unbounded event queue read as an async iterator; return() is leaving. */
class Queue implements AsyncIterableIterator<unknown> {
  #items: unknown[] = [];
  #waiting: ((r: IteratorResult<unknown>) => void) | null = null;
  #done = false;
  constructor(private readonly onEnd: () => void) {}
  push(item: unknown): void {
    if (this.#done) return;
    if (this.#waiting) {
      const w = this.#waiting;
      this.#waiting = null;
      w({ value: item, done: false });
    } else this.#items.push(item);
  }
  next(): Promise<IteratorResult<unknown>> {
    if (this.#items.length) return Promise.resolve({ value: this.#items.shift(), done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((r) => (this.#waiting = r));
  }
  return(): Promise<IteratorResult<unknown>> {
    if (!this.#done) {
      this.#done = true;
      this.#waiting?.({ value: undefined, done: true });
      this.onEnd();
    }
    return Promise.resolve({ value: undefined, done: true });
  }
  [Symbol.asyncIterator]() {
    return this;
  }
}

const rooms = new Map<string, Room>();
const byToken = new Map<string, Member>();
const view = (room: Room) => ({ ...room, participants: [...room.members.values()].map((m) => m.participant) });

const schema: GraphQLSchema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const fields = (type: string) => (schema.getType(type) as unknown as { getFields(): Record<string, { resolve?: unknown; subscribe?: unknown }> }).getFields();
fields('Query').room!.resolve = (_: unknown, { slug }: { slug: string }) => (rooms.has(slug) ? view(rooms.get(slug)!) : null);
fields('Mutation').createRoom!.resolve = (_: unknown, { input }: { input: { title: string; slug?: string } }) => {
  const slug = input.slug ?? input.title.toLowerCase().replace(/\s+/g, '-');
  const room: Room = { id: randomUUID(), slug, title: input.title, createdAt: new Date(), members: new Map() };
  rooms.set(slug, room);
  return view(room);
};
fields('Mutation').sendSignal!.resolve = (_: unknown, { input }: { input: { token: string; to: string; kind: string; payload: string } }) => {
  const sender = byToken.get(input.token);
  const recipient = sender?.room.members.get(input.to);
  if (!sender || !recipient) throw new Error('not in room');
  recipient.queue.push({ __typename: 'Signal', from: sender.participant.id, kind: input.kind, payload: input.payload });
  return true;
};
fields('Subscription').joinRoom!.subscribe = (_: unknown, { slug, displayName }: { slug: string; displayName?: string }) => {
  const room = rooms.get(slug);
  if (!room) throw new Error('no such room');
  const participant: Participant = { id: randomUUID(), displayName: displayName ?? 'Guest', joinedAt: new Date(), media: { audio: true, video: true, screen: false } };
  const member: Member = {
    participant,
    token: randomBytes(32).toString('base64url'),
    room,
    queue: new Queue(() => {
      room.members.delete(participant.id);
      byToken.delete(member.token);
      for (const other of room.members.values()) other.queue.push({ __typename: 'ParticipantLeft', participant });
    }),
  };
  for (const other of room.members.values()) other.queue.push({ __typename: 'ParticipantJoined', participant });
  room.members.set(participant.id, member);
  byToken.set(member.token, member);
  member.queue.push({ __typename: 'Welcome', me: participant, token: member.token, resumeToken: member.token, resumed: false, room: view(room), chat: [] });
  return member.queue;
};
fields('Subscription').joinRoom!.resolve = (event: unknown) => event;
(schema.getType('RoomEvent') as unknown as { resolveType: (e: { __typename: string }) => string }).resolveType = (e) => e.__typename;

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/graphql') return void res.writeHead(404).end();
  let body = '';
  req.setEncoding('utf8').on('data', (c: string) => (body += c));
  req.on('end', async () => {
    const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
    const result = await graphql({ schema, source: query, variableValues: variables });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  });
});
useServer({ schema }, new WebSocketServer({ server, path: '/graphql' }));

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const a = server.address();
  serveParent({ port: typeof a === 'object' && a ? a.port : 0 });
});
