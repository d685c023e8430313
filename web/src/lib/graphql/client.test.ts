import { afterEach, describe, expect, it, vi } from 'vitest';
import { request } from './client';
import { GraphQLRequestError } from './errors';
import { IceServersDocument, RoomDocument } from './operations';

function respond(body: unknown, status = 200) {
  const fetch = vi.fn().mockResolvedValue(
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('request', () => {
  it('posts the printed document and variables, and returns data', async () => {
    const fetch = respond({ data: { room: null } });
    await expect(request(RoomDocument, { slug: 'x' })).resolves.toEqual({ room: null });
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/graphql');
    const body = JSON.parse(init.body as string) as { query: string; variables: unknown };
    expect(body.query).toContain('query Room($slug: String!)');
    expect(body.variables).toEqual({ slug: 'x' });
  });

  it('lets operations without variables omit them', async () => {
    respond({ data: { iceServers: [] } });
    await expect(request(IceServersDocument)).resolves.toEqual({ iceServers: [] });
  });

  it('throws the errors with their codes, also from a 400 response', async () => {
    respond({ data: null, errors: [{ message: 'Nope.', extensions: { code: 'RATE_LIMITED' } }] }, 400);
    const err = await request(RoomDocument, { slug: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphQLRequestError);
    expect((err as GraphQLRequestError).code).toBe('RATE_LIMITED');
    expect((err as GraphQLRequestError).message).toBe('Nope.');
  });

  it('names a response that is not GraphQL', async () => {
    respond('<html>Bad Gateway</html>', 502);
    const err = await request(RoomDocument, { slug: 'x' }).catch((e: unknown) => e);
    expect((err as GraphQLRequestError).code).toBe('BAD_RESPONSE');
    expect((err as GraphQLRequestError).message).toContain('502');
  });

  it('names an unreachable server', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const err = await request(RoomDocument, { slug: 'x' }).catch((e: unknown) => e);
    expect((err as GraphQLRequestError).code).toBe('NETWORK_ERROR');
  });
});
