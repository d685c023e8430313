/** Per-client budgets: over them a client gets RATE_LIMITED, and only that client. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from '../support/in-process.js';
import { randomBytes } from 'node:crypto';
import { gql } from '../support/graphql.js';
import { JoinError, Participant, createRoom, sendOverHttp } from '../support/participant.js';

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess({ rateLimits: { createRoomPerMinute: 3, joinPerMinute: 4, signalsPerSecond: 5, roomPerMinute: 5 } });
});
afterAll(() => server.close());

const create = async (title: string) => {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($t: String!) { createRoom(input: {title: $t}) { slug } }', variables: { t: title } }),
  });
  return (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string; retryAfterMs?: number } }[] };
};

it('createRoom: RATE_LIMITED past the budget, with a retry hint', async () => {
  for (let i = 0; i < 3; i++) expect((await create(`Room ${i}`)).errors).toBeUndefined();
  const over = await create('One too many');
  expect(over.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  expect(over.errors?.[0]?.extensions?.retryAfterMs).toBeGreaterThan(0);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

it('joinRoom and sendSignal: RATE_LIMITED past the budget; other participants unaffected', async () => {
  const slug = 'room-0';
  const a = await Participant.join(server.wsUrl, slug, 'A');
  const b = await Participant.join(server.wsUrl, slug, 'B');
  // A's signal budget: a burst of 50, then RATE_LIMITED.
  const results = [];
  const t0 = performance.now();
  for (let i = 0; i < 60; i++) results.push(await a.send(b.id, 'ICE_CANDIDATE', '{}'));
  const refilled = Math.ceil(((performance.now() - t0) / 1000) * 5); // 5 per second come back meanwhile
  const limited = results.filter((r) => r.errors?.[0]?.extensions?.code === 'RATE_LIMITED').length;
  expect(results.slice(0, 50).every((r) => r.ok)).toBe(true);
  expect(limited).toBeGreaterThanOrEqual(Math.min(9, 10 - refilled));
  expect(limited).toBeGreaterThan(0);
  expect((await b.send(a.id, 'ICE_CANDIDATE', '{}')).ok).toBe(true);
  // Joins: 4 per minute from this address; two used above.
  const c = await Participant.join(server.wsUrl, slug, 'C');
  const d = await Participant.join(server.wsUrl, slug, 'D');
  let error: JoinError | null = null;
  try {
    (await Participant.join(server.wsUrl, slug, 'E')).close();
  } catch (err) {
    error = err as JoinError;
  }
  expect(error?.code).toBe('RATE_LIMITED');
  expect(server.app.hub.participants(a.welcome.room!.id)).toHaveLength(4);
  for (const p of [a, b, c, d]) p.close();
});

it('counts per forwarded client address only when TRUST_PROXY says so', async () => {
  const post = (url: string, title: string, forwardedFor: string) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: 'mutation($t: String!) { createRoom(input: {title: $t}) { slug } }', variables: { t: title } }),
    }).then((r) => r.json() as Promise<{ errors?: { extensions?: { code?: string } }[] }>);
  // Not trusted (the default): the header changes nothing, this address is over budget.
  expect((await post(server.url, 'Spoofed', '203.0.113.9')).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  const behindProxy = await startInProcess({ trustProxy: true, rateLimits: { createRoomPerMinute: 1, joinPerMinute: 4, signalsPerSecond: 5 } });
  try {
    expect((await post(behindProxy.url, 'Client A', '203.0.113.1')).errors).toBeUndefined();
    expect((await post(behindProxy.url, 'Client B', '203.0.113.2')).errors).toBeUndefined();
    expect((await post(behindProxy.url, 'Client A again', '203.0.113.1')).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  } finally {
    await behindProxy.close();
  }
});

it('sendSignal with made-up tokens: charged to the client address, RATE_LIMITED after 10 s of its budget; real participants unaffected', async () => {
  const fresh = await startInProcess();
  const room = await createRoom(fresh.url, 'Token Flood');
  const a = await Participant.join(fresh.wsUrl, room.slug, 'A');
  const b = await Participant.join(fresh.wsUrl, room.slug, 'B');
  expect((await a.send(b.id, 'OFFER', '{}')).ok).toBe(true); // A is in a call: its token has proved real
  const t0 = performance.now();
  // A flood: all at once, as an attacker would send them.
  const codes = (
    await Promise.all(
      Array.from({ length: 70 }, () =>
        sendOverHttp(fresh.url, { token: randomBytes(32).toString('base64url'), to: b.id, kind: 'OFFER', payload: '{}' }),
      ),
    )
  ).map((r) => r.errors?.[0]?.extensions?.code);
  const refilled = Math.ceil(((performance.now() - t0) / 1000) * 5);
  expect(codes.filter((c) => c === 'UNAUTHENTICATED').length).toBeLessThanOrEqual(50 + refilled);
  expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(Math.min(15, 20 - refilled));
  expect(new Set(codes)).toEqual(new Set(['UNAUTHENTICATED', 'RATE_LIMITED']));
  // A participant's budget is keyed on its token, not the flooded address.
  expect((await a.send(b.id, 'OFFER', '{}')).ok).toBe(true);
  a.close();
  b.close();
  await fresh.close();
});

it('Query.room: budgeted per client address, and answered from memory once known', async () => {
  const query = (slug: string) => gql(server.url, 'query($s: String!) { room(slug: $s) { slug title } }', { s: slug });
  const results = [];
  for (let i = 0; i < 7; i++) results.push(await query('room-0'));
  expect(results.slice(0, 5).map((r) => r.data?.room?.slug)).toEqual(Array(5).fill('room-0'));
  expect(results.slice(5).map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
});
