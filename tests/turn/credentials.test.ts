/**
 * TURN credentials minted by the API (iceServers, coturn's use-auth-secret scheme) are
 * accepted by a real coturn sharing the secret, and refused once they have expired or
 * when the secret differs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { turnCredentials } from '../../api/src/turn/credentials.js';
import { gql } from '../support/graphql.js';
import { startInProcess, type InProcessServer } from '../support/in-process.js';
import { allocate } from './allocate.js';
import { startCoturn, type Coturn } from './coturn.js';

const SECRET = 'parley-test-turn-secret';
const TTL_S = 3;
let coturn: Coturn;
let api: InProcessServer;

beforeAll(async () => {
  coturn = await startCoturn(SECRET);
  api = await startInProcess({
    turnSecret: SECRET,
    turnUrls: [`turn:127.0.0.1:${coturn.port}?transport=udp`],
    turnTtlSeconds: TTL_S,
  });
});
afterAll(async () => {
  await api?.close();
  await coturn?.stop();
});

type IceServer = { urls: string[]; username: string | null; credential: string | null };

it('coturn allocates a relay with the API credentials, and refuses them after expiry', async () => {
  const res = await gql<{ iceServers: IceServer[] }>(api.url, '{ iceServers { urls username credential } }');
  const turn = res.data!.iceServers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
  expect(turn).toMatchObject({ urls: [`turn:127.0.0.1:${coturn.port}?transport=udp`] });
  const [expiry] = turn!.username!.split(':');
  expect(Number(expiry)).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + TTL_S - 1);

  const accepted = await allocate(coturn.port, turn!.username!, turn!.credential!);
  expect(accepted, coturn.output()).toMatchObject({ ok: true, relayed: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });

  await new Promise((r) => setTimeout(r, (Number(expiry) + 1.5) * 1000 - Date.now()));
  expect(await allocate(coturn.port, turn!.username!, turn!.credential!)).toEqual({ ok: false, error: 401 });
}, 30_000);

it('coturn refuses credentials minted with another secret, or already expired', async () => {
  const wrong = turnCredentials({ secret: 'not-the-secret', ttlSeconds: 600, user: 'x' });
  expect(await allocate(coturn.port, wrong.username, wrong.credential)).toEqual({ ok: false, error: 401 });
  const past = turnCredentials({ secret: SECRET, ttlSeconds: -60, user: 'x' });
  expect(await allocate(coturn.port, past.username, past.credential)).toEqual({ ok: false, error: 401 });
  const fresh = turnCredentials({ secret: SECRET, ttlSeconds: 600, user: 'x' });
  expect((await allocate(coturn.port, fresh.username, fresh.credential)).ok).toBe(true);
});
