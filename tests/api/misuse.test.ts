/**
 * Misuse refused cleanly, with the process staying healthy: security headers, cross-site
 * WebSocket upgrades, oversized HTTP bodies and WebSocket frames, deep, wide and batched
 * queries, unknown fields. (Protocol misuse over graphql-ws: signaling/protocol.test.ts.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { getIntrospectionQuery } from 'graphql';
import { startInProcess, type InProcessServer } from '../support/in-process.js';
import { gql } from '../support/graphql.js';

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess();
});
afterAll(() => server.close());

const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

it('sends security headers with a CSP on API and GraphiQL responses', async () => {
  for (const path of ['/healthz', '/graphiql']) {
    const res = await fetch(`${server.url}${path}`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
  }
});

function upgrade(headers: Record<string, string>): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws', { headers });
    ws.on('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.on('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    ws.on('error', () => resolve({ opened: false }));
  });
}

it('refuses WebSocket upgrades from another origin; allows its own and origin-less clients', async () => {
  expect(await upgrade({ Origin: 'https://evil.example' })).toEqual({ opened: false, status: 401 });
  expect((await upgrade({ Origin: server.url })).opened).toBe(true);
  expect((await upgrade({})).opened).toBe(true);
});

it('closes a socket that sends a frame over 1 MiB (1009), and stays healthy', async () => {
  const ws = new WebSocket(server.wsUrl, 'graphql-transport-ws');
  await new Promise((r) => ws.once('open', r));
  const closed = new Promise<number>((r) => ws.once('close', (c) => r(c)));
  ws.send('x'.repeat(1024 * 1024 + 1));
  expect(await closed).toBe(1009);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

it('refuses deep, wide, batched and unknown-field queries with codes; introspection still works', async () => {
  const deep = `{ __schema { types { fields { type ${'{ ofType '.repeat(16)}{ name }${' }'.repeat(16)} } } } }`;
  const deepRes = await gql(server.url, deep);
  expect(code(deepRes)).toBe('GRAPHQL_VALIDATION_FAILED');
  expect(deepRes.errors![0]!.message).toMatch(/depth/);
  const wide = `{ ${Array.from({ length: 600 }, (_, i) => `a${i}: __typename`).join(' ')} }`; // 1,802 tokens: under the size cap
  expect(code(await gql(server.url, wide))).toBe('QUERY_TOO_COMPLEX');
  const unknown = await gql(server.url, '{ room(slug: "x") { password } }');
  expect(code(unknown)).toBe('GRAPHQL_VALIDATION_FAILED');
  const batched = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ query: '{ iceServers { urls } }' }, { query: '{ iceServers { urls } }' }]),
  });
  expect(batched.status).toBe(400);
  const intro = await gql(server.url, getIntrospectionQuery());
  expect(intro.errors).toBeUndefined();
  expect(intro.data.__schema.types.length).toBeGreaterThan(10);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

it('refuses an HTTP body over 256 KiB with 413', async () => {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ iceServers { urls } }', pad: 'x'.repeat(300 * 1024) }),
  });
  expect(res.status).toBe(413);
});

it('refuses a query document over 64 KiB or 10,000 tokens before parsing it (QUERY_TOO_LARGE, 400), and stays healthy', async () => {
  const post = (query: string) =>
    fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
  const long = await post(`{ iceServers { urls } }\n#${'x'.repeat(65 * 1024)}`);
  expect(long.status).toBe(400);
  expect(code(await long.json())).toBe('QUERY_TOO_LARGE');
  // Within the length, but 11,000 tokens in a list literal that nothing would otherwise refuse before parsing.
  const many = await post(`query($n: [Int] = [${'1 '.repeat(11_000)}]) { iceServers { urls } }`);
  expect(many.status).toBe(400);
  const body = (await many.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  expect(code(body)).toBe('QUERY_TOO_LARGE');
  expect(body.errors![0]!.message).toMatch(/10000 tokens/);
  // Right under the limits: accepted.
  expect((await gql(server.url, `{ iceServers { urls } }\n#${'x'.repeat(60 * 1024)}`)).errors).toBeUndefined();
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

it('applies the same size cap to a query sent over the WebSocket', async () => {
  const client = createClient({ url: server.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  const run = (query: string) =>
    new Promise<{ code?: string; ok: boolean }>((resolve) => {
      client.subscribe(
        { query },
        {
          next: (r) => resolve({ ok: !r.errors, code: (r.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code }),
          error: (e) => resolve({ ok: false, code: (Array.isArray(e) ? e[0]?.extensions?.code : undefined) as string | undefined }),
          complete: () => undefined,
        },
      );
    });
  expect(await run(`{ iceServers { urls } }\n#${'x'.repeat(65 * 1024)}`)).toEqual({ ok: false, code: 'QUERY_TOO_LARGE' });
  expect(await run(`query($n: [Int] = [${'1 '.repeat(11_000)}]) { iceServers { urls } }`)).toEqual({ ok: false, code: 'QUERY_TOO_LARGE' });
  expect((await run('{ iceServers { urls } }')).ok).toBe(true);
  await client.dispose();
});
