/**
 * PostgreSQL goes away mid-call: createRoom and room (for a room not seen before) fail with
 * DATABASE_UNAVAILABLE and a sentence; calls in progress go on and rooms already known can
 * still be looked up and joined; when
 * the database is back, everything works again. The database is real; the outage is a
 * proxy between the server and it, cut and restored.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import pg from 'pg';
import { freshDatabase, type FreshDatabase } from '../support/postgres.js';
import { startServer, type RunningServer } from '../support/server.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { JoinError, Participant, createRoom } from '../support/participant.js';
import { gql } from '../support/graphql.js';

let db: FreshDatabase;
let proxy: TcpProxy;
let server: RunningServer;

beforeAll(async () => {
  db = await freshDatabase();
  const url = new URL(db.url);
  proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
  url.host = `127.0.0.1:${proxy.port}`;
  server = await startServer({ env: { DATABASE_URL: url.toString() } });
});
afterAll(async () => {
  server?.kill();
  await proxy?.close();
  await db?.drop();
});

const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

it('survives the database going away and comes back with it', async () => {
  const known = await createRoom(server.url, 'Known Room');
  // A room the server has never looked at, written straight into the database.
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`insert into room (id, slug, title, created_at) values (gen_random_uuid(), 'unseen-room', 'Unseen', now())`);
  await client.end();

  const a = await Participant.join(server.wsUrl, known.slug, 'A');
  proxy.cut();

  const t0 = Date.now();
  const created = await gql(server.url, 'mutation { createRoom(input: {title: "During Outage"}) { slug } }');
  expect(code(created)).toBe('DATABASE_UNAVAILABLE');
  expect(created.errors![0]!.message).toMatch(/database is unavailable/);
  console.info(`createRoom failed cleanly after ${Date.now() - t0} ms`);
  // Rooms are immutable: a room the server has seen is answered from memory; an unseen one needs the database.
  expect((await gql(server.url, '{ room(slug: "known-room") { title } }')).data).toEqual({ room: { title: 'Known Room' } });
  expect(code(await gql(server.url, '{ room(slug: "unseen-room") { title } }'))).toBe('DATABASE_UNAVAILABLE');

  // The call goes on: a known room can be joined, signals flow.
  const b = await Participant.join(server.wsUrl, known.slug, 'B');
  expect(await a.nextOf('ParticipantJoined')).toMatchObject({ participant: { id: b.id } });
  expect((await b.send(a.id, 'OFFER', '{}')).ok).toBe(true);
  expect(await a.nextOf('Signal')).toMatchObject({ from: b.id });
  // A room never seen cannot be checked: a clear error, not a hang.
  let error: JoinError | null = null;
  try {
    (await Participant.join(server.wsUrl, 'unseen-room', 'C')).close();
  } catch (err) {
    error = err as JoinError;
  }
  expect(error?.code).toBe('DATABASE_UNAVAILABLE');
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

  proxy.restore();
  let back: Awaited<ReturnType<typeof gql>> | null = null;
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    back = await gql(server.url, 'mutation { createRoom(input: {title: "After Outage"}) { slug } }');
    if (!back.errors) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(back?.errors).toBeUndefined();
  const c = await Participant.join(server.wsUrl, 'unseen-room', 'C');
  expect(c.welcome.room!.title).toBe('Unseen');
  for (const p of [a, b, c]) p.close();
}, 120_000);
