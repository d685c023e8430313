/**
 * Rooms over a real port, against both databases: the embedded PGlite (DATA_DIR) and a
 * fresh PostgreSQL database. The contract is /work/shared/CONTRACT.md and schema.graphql.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/postgres.js';
import { errorCodes, gql, type GraphQLResponse } from '../support/graphql.js';
import { startServer, type RunningServer } from '../support/server.js';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateRoomInput!) {
    createRoom(input: $input) { id slug title createdAt participants { id } }
  }
`;
const ROOM = /* GraphQL */ `
  query Room($slug: String!) {
    room(slug: $slug) { id slug title createdAt participants { id displayName joinedAt } }
  }
`;

interface Backend {
  name: string;
  /** Environment for the first start; restart reuses it. */
  setup(): Promise<Record<string, string>>;
  teardown(): Promise<void>;
}

let database: FreshDatabase | null = null;
const backends: Backend[] = [
  {
    name: 'embedded PGlite',
    setup: async () => ({}),
    teardown: async () => {},
  },
  {
    name: 'PostgreSQL',
    async setup() {
      database = await freshDatabase();
      return { DATABASE_URL: database.url };
    },
    async teardown() {
      await database?.drop();
    },
  },
];

describe.each(backends)('rooms on $name', (backend) => {
  let server: RunningServer;

  beforeAll(async () => {
    const env = await backend.setup();
    // These tests create rooms back to back; the per-client budget is not what they test.
    server = await startServer({ env: { RATE_LIMIT_CREATE_ROOM: '1000000', ...env } });
  });
  afterAll(async () => {
    // stop() has been asserted in its own test; here only make sure nothing is left.
    server?.kill();
    await backend.teardown();
  });

  const create = (input: Record<string, unknown>) => gql(server.url, CREATE, { input });
  const room = (slug: string) => gql(server.url, ROOM, { slug });

  function expectError(res: GraphQLResponse, code: string, field?: string) {
    expect(res.errors, JSON.stringify(res)).toHaveLength(1);
    const error = res.errors![0]!;
    expect(error.extensions?.code, JSON.stringify(error)).toBe(code);
    if (field) expect(error.extensions?.field, JSON.stringify(error)).toBe(field);
    // A sentence a person can act on, not a stack trace or an empty string.
    expect(error.message.trim().length).toBeGreaterThan(5);
    expect(res.data ?? null).toBeNull();
  }

  test('GET /healthz answers 200', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
  });

  test('createRoom then room(slug) returns the same room', async () => {
    const before = Date.now();
    const created = await create({ title: 'Round Trip', slug: 'round-trip' });
    expect(created.errors).toBeUndefined();
    const made = created.data!.createRoom;
    expect(made).toMatchObject({ slug: 'round-trip', title: 'Round Trip', participants: [] });
    expect(typeof made.id).toBe('string');
    expect(made.id.length).toBeGreaterThan(0);
    const createdAt = Date.parse(made.createdAt);
    expect(Number.isNaN(createdAt), `createdAt ${made.createdAt} is not a date`).toBe(false);
    expect(createdAt).toBeGreaterThan(before - 60_000);
    expect(createdAt).toBeLessThan(Date.now() + 60_000);

    const fetched = await room('round-trip');
    expect(fetched.errors).toBeUndefined();
    expect(fetched.data!.room).toEqual({ ...made, participants: [] });
  });

  test('a given slug is normalized: "Daily Standup" -> daily-standup', async () => {
    const res = await create({ title: 'Our standup', slug: 'Daily Standup' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createRoom.slug).toBe('daily-standup');
    expect((await room('daily-standup')).data!.room.title).toBe('Our standup');
  });

  test('a slug is derived from the title when absent', async () => {
    const res = await create({ title: 'Weekly Planning' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createRoom).toMatchObject({ slug: 'weekly-planning', title: 'Weekly Planning' });
    // "Daily Standup" derives daily-standup, which the previous test took.
    expectError(await create({ title: 'Daily Standup' }), 'SLUG_TAKEN');
  });

  test('weird input keeps only [a-z0-9-]: "  Héllo   Wörld!! " -> hllo-wrld', async () => {
    const given = await create({ title: 'Accents', slug: '  Héllo   Wörld!! ' });
    expect(given.errors).toBeUndefined();
    expect(given.data!.createRoom.slug).toBe('hllo-wrld');

    const derived = await create({ title: '  Ünïcode   Tïtle?? ' });
    expect(derived.errors).toBeUndefined();
    expect(derived.data!.createRoom.slug).toBe('ncode-ttle');

    const dashes = await create({ title: 'Dashes', slug: '--a  --  b--' });
    expect(dashes.errors).toBeUndefined();
    expect(dashes.data!.createRoom.slug).toBe('a-b');
  });

  test('SLUG_TAKEN for a duplicate, also when it differs only in case or spacing', async () => {
    expect((await create({ title: 'First', slug: 'taken-slug' })).errors).toBeUndefined();
    for (const slug of ['taken-slug', 'Taken Slug', '  TAKEN   slug ', 'Taken-Slug!']) {
      expectError(await create({ title: 'Second', slug }), 'SLUG_TAKEN');
    }
    expect((await room('taken-slug')).data!.room.title).toBe('First');
  });

  test('BAD_USER_INPUT for titles out of bounds', async () => {
    expectError(await create({ title: '', slug: 'empty-title' }), 'BAD_USER_INPUT', 'title');
    expectError(await create({ title: '   \t ', slug: 'blank-title' }), 'BAD_USER_INPUT', 'title');
    expectError(await create({ title: 'x'.repeat(121), slug: 'long-title' }), 'BAD_USER_INPUT', 'title');
    for (const slug of ['empty-title', 'blank-title', 'long-title']) {
      expect((await room(slug)).data).toEqual({ room: null });
    }
    // The bounds themselves are fine: 120 characters, and padding does not count.
    const longest = await create({ title: 'y'.repeat(120), slug: 'longest-title' });
    expect(longest.errors).toBeUndefined();
    const padded = await create({ title: `  ${'z'.repeat(120)}  `, slug: 'padded-title' });
    expect(padded.errors).toBeUndefined();
  });

  test('BAD_USER_INPUT for slugs that normalize to nothing or are too long', async () => {
    expectError(await create({ title: 'Punctuation', slug: '!!!' }), 'BAD_USER_INPUT', 'slug');
    expectError(await create({ title: 'Dashes only', slug: ' - -- - ' }), 'BAD_USER_INPUT', 'slug');
    expectError(await create({ title: 'Accents only', slug: 'éèê' }), 'BAD_USER_INPUT', 'slug');
    expectError(await create({ title: 'Too long', slug: 'a'.repeat(65) }), 'BAD_USER_INPUT', 'slug');
    expectError(await create({ title: 'Too long', slug: `${'ab '.repeat(21)}cd` }), 'BAD_USER_INPUT', 'slug');
    expect((await room('a'.repeat(65))).data).toEqual({ room: null });

    const longest = await create({ title: 'Longest slug', slug: 'b'.repeat(64) });
    expect(longest.errors).toBeUndefined();
    expect(longest.data!.createRoom.slug).toBe('b'.repeat(64));
  });

  test('room(slug) is null for a slug nobody created', async () => {
    const res = await room('does-not-exist');
    expect(res).toEqual({ data: { room: null } });
  });

  test('a plain POST with Content-Type: application/json works (curl style)', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: '{ room(slug: "round-trip") { slug title } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    expect(await res.json()).toEqual({ data: { room: { slug: 'round-trip', title: 'Round Trip' } } });
  });

  test('GET /graphiql is HTML that loads only same-origin assets', async () => {
    const res = await fetch(`${server.url}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<html/i);

    const external = html.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*/gi) ?? [];
    // SVG/XHTML namespace names are identifiers, not requests.
    const fetched = external.filter((u) => !/\/\/(127\.0\.0\.1|localhost|www\.w3\.org)\b/.test(u));
    expect(fetched).toEqual([]);
    expect(html).not.toMatch(/unpkg|jsdelivr|cdnjs|esm\.sh|skypack/i);

    // Every script and stylesheet it references is served by this server.
    const refs = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map(
      (m) => m[1]!,
    );
    expect(refs.length, 'the page references its GraphiQL bundle').toBeGreaterThan(0);
    for (const ref of refs) {
      const asset = new URL(ref, `${server.url}/graphiql`);
      expect(asset.origin).toBe(server.url);
      const assetRes = await fetch(asset);
      expect(assetRes.status, `GET ${asset}`).toBe(200);
      await assetRes.arrayBuffer();
    }
  });

  test('SIGTERM exits 0 within 10 s, and a restart on the same data keeps the rooms', async () => {
    const before = (await room('round-trip')).data!.room;
    const { ms } = await server.stop();
    expect(ms).toBeLessThan(10_000);

    server = await startServer({ env: server.env });
    const after = await room('round-trip');
    expect(after.errors).toBeUndefined();
    expect(after.data!.room).toEqual(before);
    expect((await room('daily-standup')).data!.room.title).toBe('Our standup');
    expect(errorCodes(await create({ title: 'Again', slug: 'round-trip' }))).toEqual(['SLUG_TAKEN']);

    await server.stop();
  });
});
