/**
 * The app built in-process and exercised with Fastify's inject (no port), on both
 * databases: rooms, the naming rules' error codes, GraphQL and HTTP error shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/src/app.js';
import { configFor } from '../../api/src/config.js';
import { freshDatabase, type FreshDatabase } from '../support/postgres.js';
import { tempDir } from '../support/server.js';

const backends = [
  { name: 'embedded PGlite', pg: false },
  { name: 'PostgreSQL', pg: true },
];

describe.each(backends)('inject on $name', ({ pg }) => {
  let app: FastifyInstance;
  let db: FreshDatabase | null = null;

  beforeAll(async () => {
    db = pg ? await freshDatabase() : null;
    app = await buildApp(configFor({ dataDir: tempDir(), databaseUrl: db?.url ?? null, logLevel: 'silent' }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const gql = async (query: string, variables?: unknown) => {
    const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
    return { status: res.statusCode, body: res.json() as { data?: any; errors?: { message: string; extensions?: Record<string, string> }[] } };
  };
  const create = (input: unknown) => gql('mutation($i: CreateRoomInput!) { createRoom(input: $i) { id slug title createdAt participants { id } } }', { i: input });

  it('creates and fetches a room; participants start empty', async () => {
    const { body } = await create({ title: 'Inject Room' });
    expect(body.data.createRoom).toMatchObject({ slug: 'inject-room', title: 'Inject Room', participants: [] });
    const got = await gql('{ room(slug: "Inject Room") { id slug } }');
    expect(got.body.data.room).toEqual({ id: body.data.createRoom.id, slug: 'inject-room' });
    expect((await gql('{ room(slug: "nobody-here") { id } }')).body.data.room).toBeNull();
  });

  it('SLUG_TAKEN and BAD_USER_INPUT with the field they concern', async () => {
    await create({ title: 'Dup', slug: 'dup' });
    const taken = await create({ title: 'Dup again', slug: ' DUP ' });
    expect(taken.body.errors?.[0]?.extensions).toEqual({ code: 'SLUG_TAKEN', field: 'slug' });
    expect((await create({ title: ' ' })).body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'title' });
    expect((await create({ title: 'ok', slug: '%%%' })).body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'slug' });
    expect((await create({ title: 'ok', slug: 'a'.repeat(65) })).body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'slug' });
  });

  it('malformed requests get 400 with a code, never an internal error', async () => {
    const bad = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].extensions.code).toBe('BAD_REQUEST');
    const invalid = await gql('{ room { id } }');
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const huge = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ query: '{ __typename }', pad: 'x'.repeat(300 * 1024) }) });
    expect(huge.statusCode).toBe(413);
  });

  it('serves /healthz and iceServers answers (STUN off here: empty)', async () => {
    const health = await app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', participants: 0 });
    expect((await gql('{ iceServers { urls } }')).body.data.iceServers).toEqual([]);
  });
});
