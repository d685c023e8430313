/**
 * Redis goes away for a few seconds under a running cluster, in the middle of joins and
 * leaves: the two instances reach Redis through a TCP proxy the test cuts and restores
 * (the shared Redis itself is never touched). While it is down, joins and signals fail
 * with SIGNALING_UNAVAILABLE (nothing is acknowledged that is then lost); afterwards
 * the leaves that could not reach Redis are retried or reconciled: no ghost member or
 * token, nobody stuck, every room's roster right within 15 s of Redis coming back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gql } from '../support/graphql.js';
import { JoinError, Participant, createRoom } from '../support/participant.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { startCluster, TEST_REDIS_URL, type Cluster } from './fixture.js';

let proxy: TcpProxy;
let cluster: Cluster;

beforeAll(async () => {
  const target = new URL(TEST_REDIS_URL);
  proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
  target.port = String(proxy.port);
  cluster = await startCluster(['blip-a', 'blip-b'], { REDIS_URL: target.toString(), RATE_LIMIT_JOIN: '100000' });
}, 180_000);
afterAll(async () => {
  await cluster?.close();
  await proxy?.close();
});

async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const ROSTER = 'query($slug: String!) { room(slug: $slug) { participants { id } } }';
async function roster(url: string, slug: string): Promise<string[] | null> {
  const res = await gql<{ room: { participants: { id: string }[] } }>(url, ROSTER, { slug });
  return res.data?.room ? res.data.room.participants.map((p) => p.id).sort() : null;
}

it('after a Redis blip during joins and leaves: no ghost, nobody stuck, rosters right within 15 s', async () => {
  const [a, b] = [cluster.servers[0]!, cluster.servers[1]!];
  const one = await createRoom(a.url, 'Blip One');
  const two = await createRoom(a.url, 'Blip Two');
  const a1 = await Participant.join(a.wsUrl, one.slug, 'A1');
  const b1 = await Participant.join(b.wsUrl, one.slug, 'B1');
  const c1 = await Participant.join(a.wsUrl, one.slug, 'C1'); // leaves during the blip
  const a2 = await Participant.join(a.wsUrl, two.slug, 'A2');
  const b2 = await Participant.join(b.wsUrl, two.slug, 'B2'); // leaves during the blip
  expect((await a1.send(b1.id, 'OFFER', '{"before":1}')).ok).toBe(true);
  expect(await b1.nextOf('Signal')).toMatchObject({ from: a1.id, payload: '{"before":1}' });

  proxy.cut();
  c1.close();
  b2.close();
  // While Redis is away: a clear error, never an acknowledgement.
  const during = await a1.send(b1.id, 'OFFER', '{"during":1}');
  expect(during.ok).toBe(false);
  expect(during.errors?.[0]?.extensions?.code).toBe('SIGNALING_UNAVAILABLE');
  let joinError: JoinError | null = null;
  try {
    (await Participant.join(b.wsUrl, one.slug, 'Late')).close();
  } catch (err) {
    joinError = err as JoinError;
  }
  expect(joinError?.code).toBe('SIGNALING_UNAVAILABLE');
  await new Promise((r) => setTimeout(r, 3_000));
  proxy.restore();
  const t0 = Date.now();

  const right = async () =>
    JSON.stringify(await roster(a.url, one.slug)) === JSON.stringify([a1.id, b1.id].sort()) &&
    JSON.stringify(await roster(b.url, one.slug)) === JSON.stringify([a1.id, b1.id].sort()) &&
    JSON.stringify(await roster(b.url, two.slug)) === JSON.stringify([a2.id]);
  const ok = await eventually(right, 15_000);
  const ms = Date.now() - t0;
  console.info(`redis blip: rosters right ${ms} ms after Redis came back (budget 15000 ms)`);
  expect(ok).toBe(true);
  // No ghost: the leavers' tokens are gone from Redis too (only the 3 who stayed have one).
  const tokens = async () => (await cluster.redis.keys(cluster.prefix)).filter((k) => k.includes(':tok:')).length;
  expect(await eventually(async () => (await tokens()) === 3, 5_000)).toBe(true);
  // Nobody stuck: those who stayed signal each other, and a newcomer can join.
  expect(await eventually(async () => (await a1.send(b1.id, 'OFFER', '{"after":1}')).ok, 5_000)).toBe(true);
  expect(await b1.nextOf('Signal')).toMatchObject({ from: a1.id, payload: '{"after":1}' });
  expect((await b1.send(a1.id, 'ANSWER', '{}')).ok).toBe(true);
  expect(await a1.nextOf('Signal')).toMatchObject({ from: b1.id });
  const late = await Participant.join(b.wsUrl, two.slug, 'Late');
  expect(late.welcome.room!.participants.map((p) => p.id).sort()).toEqual([a2.id, late.id].sort());
  for (const p of [a1, b1, a2, late]) p.close();
}, 120_000);
