/**
 * Cluster mode (REDIS_URL): API processes on one PostgreSQL and one Redis are one world.
 * Participants split across instances meet, signal in order exactly once, see joins and
 * leaves; sendSignal over HTTP works on any instance; ROOM_FULL holds across instances;
 * a participant moves between instances with its resume token; an instance killed with
 * SIGKILL has its participants removed by the survivors within 15 s; empty rooms leave no
 * Redis subscription behind.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../support/graphql.js';
import { Participant, createRoom, sendOverHttp, setMediaOverHttp } from '../support/participant.js';
import { eventually } from '../support/in-process.js';
import { startCluster, type Cluster } from './fixture.js';

const MAX = 4;
let cluster: Cluster;
let a: { url: string; wsUrl: string };
let b: { url: string; wsUrl: string };

beforeAll(async () => {
  cluster = await startCluster(['api-a', 'api-b'], {
    MAX_PARTICIPANTS: String(MAX),
    RATE_LIMIT_SIGNALS: '500',
    RATE_LIMIT_JOIN: '100000',
  });
  [a, b] = [cluster.servers[0]!, cluster.servers[1]!];
}, 180_000);
afterAll(() => cluster?.close());

// A failed test must not leave its participants behind for the next (the leak check counts them).
const opened: Participant[] = [];
afterEach(() => {
  for (const p of opened.splice(0)) p.close();
});
async function enter(wsUrl: string, slug: string, name?: string, resume?: string): Promise<Participant> {
  const p = await Participant.join(wsUrl, slug, name, resume);
  opened.push(p);
  return p;
}

const ROSTER = 'query($slug: String!) { room(slug: $slug) { participants { id displayName } } }';

async function rosterVia(url: string, slug: string): Promise<string[]> {
  const res = await gql<{ room: { participants: { id: string }[] } }>(url, ROSTER, { slug });
  return res.data!.room.participants.map((p) => p.id);
}

describe('two instances, one call', () => {
  it('participants on different instances meet, signal in order once, see joins and leaves', async () => {
    const room = await createRoom(a.url, 'Across');
    const ann = await enter(a.wsUrl, room.slug, 'Ann');
    const bob = await enter(b.wsUrl, room.slug, 'Bob');
    expect(bob.welcome.room!.participants.map((p) => p.id)).toEqual([ann.id, bob.id]);
    expect(await ann.next()).toEqual({ __typename: 'ParticipantJoined', participant: { id: bob.id, displayName: 'Bob' } });
    expect(await rosterVia(a.url, room.slug)).toEqual([ann.id, bob.id]);
    expect(await rosterVia(b.url, room.slug)).toEqual([ann.id, bob.id]);

    // 400 signals each way, sent back to back on the socket, across instances. Fewer than a
    // mailbox holds (512): Redis hands a burst over in batches faster than one test process
    // (sending 800 mutations at the same time) reads, and past 512 undelivered events the
    // slow-consumer cut closes the socket, by design (seen on a 2-core machine).
    const N = 400;
    const t0 = Date.now();
    const sends = [
      ...Array.from({ length: N }, (_, i) => ann.send(bob.id, 'ICE_CANDIDATE', JSON.stringify({ i }))),
      ...Array.from({ length: N }, (_, i) => bob.send(ann.id, 'ICE_CANDIDATE', JSON.stringify({ i }))),
    ];
    const results = await Promise.all(sends);
    expect(results.filter((r) => !r.ok).slice(0, 3)).toEqual([]);
    for (const [to, from] of [[bob, ann], [ann, bob]] as const) {
      const got: number[] = [];
      for (let i = 0; i < N; i++) {
        const e = await to.next(10_000);
        expect(e).toMatchObject({ __typename: 'Signal', from: from.id, kind: 'ICE_CANDIDATE' });
        got.push((JSON.parse(e!.payload!) as { i: number }).i);
      }
      expect(got).toEqual(Array.from({ length: N }, (_, i) => i));
    }
    console.info(`cluster: 2 x ${N} signals across instances, in order, in ${Date.now() - t0} ms`);
    expect(await bob.next(300)).toBeNull(); // exactly once: nothing more
    expect(await ann.next(300)).toBeNull();

    bob.leave();
    expect(await ann.next()).toEqual({ __typename: 'ParticipantLeft', participant: { id: bob.id, displayName: 'Bob' } });
    ann.close();
  }, 60_000);

  it('sendSignal over HTTP works on either instance, and sequential requests keep their order', async () => {
    const room = await createRoom(b.url, 'Http Across');
    const ann = await enter(a.wsUrl, room.slug, 'Ann');
    const bob = await enter(b.wsUrl, room.slug, 'Bob');
    await ann.nextOf('ParticipantJoined');
    for (let i = 0; i < 20; i++) {
      const via = i % 2 === 0 ? b : a; // Ann's token used on Bob's instance and on her own
      const res = await sendOverHttp(via.url, { token: ann.token, to: bob.id, kind: 'OFFER', payload: JSON.stringify({ i }) });
      expect(res).toEqual({ data: { sendSignal: true } });
    }
    for (let i = 0; i < 20; i++) {
      expect(await bob.next()).toEqual({ __typename: 'Signal', from: ann.id, kind: 'OFFER', payload: JSON.stringify({ i }) });
    }
    const codes = async (input: Record<string, string>) => (await sendOverHttp(b.url, input)).errors?.map((e) => e.extensions?.code);
    expect(await codes({ token: 'nope', to: bob.id, kind: 'OFFER', payload: '{}' })).toEqual(['UNAUTHENTICATED']);
    expect(await codes({ token: ann.token, to: 'someone-else', kind: 'OFFER', payload: '{}' })).toEqual(['NOT_IN_ROOM']);
    expect(await codes({ token: ann.token, to: ann.id, kind: 'OFFER', payload: '{}' })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ token: ann.token, to: bob.id, kind: 'OFFER', payload: '{' })).toEqual(['BAD_USER_INPUT']);
    ann.leave();
    await bob.nextOf('ParticipantLeft');
    // Her token stops working on every instance once she has left.
    expect(await codes({ token: ann.token, to: bob.id, kind: 'OFFER', payload: '{}' })).toEqual(['UNAUTHENTICATED']);
    bob.close();
  }, 60_000);

  it('ROOM_FULL holds across instances, also for simultaneous joins', async () => {
    const room = await createRoom(a.url, 'Full Across');
    const attempts = await Promise.allSettled(
      Array.from({ length: 2 * MAX }, (_, i) => enter((i % 2 ? b : a).wsUrl, room.slug, `P${i}`)),
    );
    const joined = attempts.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = attempts.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []));
    expect(joined).toHaveLength(MAX);
    expect(refused).toEqual(Array.from({ length: MAX }, () => 'ROOM_FULL'));
    expect((await rosterVia(b.url, room.slug)).sort()).toEqual(joined.map((p) => p.id).sort());
    joined[0]!.leave();
    const again = await enter(b.wsUrl, room.slug, 'Late');
    expect(again.welcome.room!.participants).toHaveLength(MAX);
    for (const p of [...joined, again]) p.close();
  }, 60_000);

  it('a dropped connection resumes on the other instance as itself, with what was sent meanwhile', async () => {
    const room = await createRoom(a.url, 'Move Across');
    const ann = await enter(a.wsUrl, room.slug, 'Ann');
    const bob = await enter(a.wsUrl, room.slug, 'Bob');
    await ann.nextOf('ParticipantJoined');
    bob.cut();
    await new Promise((r) => setTimeout(r, 300));
    expect((await ann.send(bob.id, 'OFFER', '{"n":1}')).ok).toBe(true);
    expect((await ann.send(bob.id, 'OFFER', '{"n":2}')).ok).toBe(true);
    const back = await enter(b.wsUrl, room.slug, undefined, bob.resumeToken);
    expect(back.welcome).toMatchObject({ resumed: true, me: { id: bob.id, displayName: 'Bob' } });
    expect(back.welcome.room!.participants.map((p) => p.id)).toEqual([ann.id, bob.id]);
    expect((await ann.send(bob.id, 'OFFER', '{"n":3}')).ok).toBe(true);
    for (const n of [1, 2, 3]) {
      expect(await back.next()).toEqual({ __typename: 'Signal', from: ann.id, kind: 'OFFER', payload: `{"n":${n}}` });
    }
    expect((await back.send(ann.id, 'ANSWER', '{}')).ok).toBe(true);
    expect(await ann.next()).toMatchObject({ __typename: 'Signal', from: bob.id, kind: 'ANSWER' });
    await new Promise((r) => setTimeout(r, 6_000)); // past the grace on the old instance: still no leave
    expect(ann.drain()).toEqual([]);
    ann.close();
    back.close();
  }, 60_000);

  it('a resume token works once across instances: rotated tokens, spent ones bring nobody back, two holders do not fight', async () => {
    const room = await createRoom(a.url, 'Once Across');
    const ann = await enter(a.wsUrl, room.slug, 'Ann');
    const bob = await enter(a.wsUrl, room.slug, 'Bob');
    await ann.nextOf('ParticipantJoined');
    bob.cut();
    await new Promise((r) => setTimeout(r, 300));
    const moved = await enter(b.wsUrl, room.slug, undefined, bob.resumeToken);
    expect(moved.welcome).toMatchObject({ resumed: true, me: { id: bob.id } });
    expect(moved.token).not.toBe(bob.token);
    expect(moved.resumeToken).not.toBe(bob.resumeToken);
    // The old signal token is dead on every instance, over the socket and over HTTP.
    expect((await moved.send(ann.id, 'OFFER', '{}', bob.token)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const http = await sendOverHttp(a.url, { token: bob.token, to: ann.id, kind: 'OFFER', payload: '{}' });
    expect(http.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The spent resume token, on either instance, joins someone new; the mover keeps its stream.
    const onA = await enter(a.wsUrl, room.slug, undefined, bob.resumeToken);
    const onB = await enter(b.wsUrl, room.slug, undefined, bob.resumeToken);
    expect([onA.id, onB.id]).not.toContain(bob.id);
    expect([onA.welcome.resumed, onB.welcome.resumed]).toEqual([false, false]);
    await new Promise((r) => setTimeout(r, 500));
    expect(moved.ended).toBe(false);
    expect((await moved.send(ann.id, 'OFFER', '{"still":"me"}')).ok).toBe(true);
    expect(await ann.nextOf('Signal')).toMatchObject({ from: bob.id, payload: '{"still":"me"}' });
    // The current token still works once: back to instance A.
    moved.cut();
    await new Promise((r) => setTimeout(r, 300));
    const home = await enter(a.wsUrl, room.slug, undefined, moved.resumeToken);
    expect(home.welcome).toMatchObject({ resumed: true, me: { id: bob.id } });
    for (const p of [ann, home, onA, onB]) p.close();
  }, 60_000);

  it('media state: set on either instance, announced across, seen by late joiners and moved participants', async () => {
    const room = await createRoom(a.url, 'Media Across');
    const ann = await enter(a.wsUrl, room.slug, 'Ann');
    const bob = await enter(b.wsUrl, room.slug, 'Bob');
    await ann.nextOf('ParticipantJoined');
    const on = { audio: true, video: true, screen: false, screenStreamId: null };
    // Ann's token on Bob's instance: any instance takes a mutation.
    const res = await setMediaOverHttp(b.url, { token: ann.token, audio: false });
    expect(res.data!.setMediaState).toEqual({ id: ann.id, displayName: 'Ann', media: { ...on, audio: false } });
    expect(await bob.next()).toEqual({ __typename: 'ParticipantUpdated', participant: { id: ann.id, displayName: 'Ann', media: { ...on, audio: false } } });
    await setMediaOverHttp(a.url, { token: ann.token, video: false, screen: true, screenStreamId: '{s}' });
    const ann2 = { audio: false, video: false, screen: true, screenStreamId: '{s}' };
    expect((await bob.next())!.participant).toEqual({ id: ann.id, displayName: 'Ann', media: ann2 });
    await setMediaOverHttp(a.url, { token: ann.token, screen: false });
    const ann3 = { ...ann2, screen: false, screenStreamId: null };
    expect((await bob.next())!.participant!.media).toEqual(ann3);
    expect(ann.drain()).toEqual([]); // the caller is not told about itself

    // A late joiner on the other instance, and room.participants on both, see the state.
    const cat = await enter(b.wsUrl, room.slug, 'Cat');
    expect(cat.welcome.room!.participants.map((p) => [p.id, p.media])).toEqual([
      [ann.id, ann3],
      [bob.id, on],
      [cat.id, on],
    ]);
    for (const via of [a, b]) {
      const r = await gql<{ room: { participants: { id: string; media: typeof on }[] } }>(via.url, 'query($s: String!) { room(slug: $s) { participants { id media { audio video screen screenStreamId } } } }', { s: room.slug });
      expect(r.data!.room.participants[0]).toEqual({ id: ann.id, media: ann3 });
    }
    // Ann moves to the other instance with her resume token: her state comes with her.
    ann.cut();
    const back = await enter(b.wsUrl, room.slug, undefined, ann.resumeToken);
    expect(back.welcome.me).toMatchObject({ id: ann.id, media: ann3 });
    // Errors: unknown and left tokens, on either instance; nothing announced.
    const code = async (via: { url: string }, input: Parameters<typeof setMediaOverHttp>[1]) =>
      (await setMediaOverHttp(via.url, input)).errors?.map((e) => e.extensions?.code);
    expect(await code(a, { token: 'nope', audio: true })).toEqual(['UNAUTHENTICATED']);
    expect(await code(a, { token: bob.token, screen: true, screenStreamId: '' })).toEqual(['BAD_USER_INPUT']);
    const catToken = cat.token;
    cat.leave();
    await bob.nextOf('ParticipantLeft');
    expect(await code(a, { token: catToken, audio: false })).toEqual(['UNAUTHENTICATED']);
    expect(bob.drain().filter((e) => e.__typename === 'ParticipantUpdated')).toEqual([]);
    back.close();
    bob.close();
  }, 60_000);

  it('empty rooms leave no Redis subscription, member or token behind', async () => {
    const { redis, prefix } = cluster;
    const settled = async () => {
      const channels = (await redis.channels(prefix)).filter((c) => c.startsWith(`${prefix}p:`));
      const keys = (await redis.keys(prefix)).filter((k) => /:(room|tok|media):/.test(k));
      return { channels, keys };
    };
    let state = await settled();
    for (let i = 0; i < 50 && (state.channels.length || state.keys.length); i++) {
      await new Promise((r) => setTimeout(r, 200));
      state = await settled();
    }
    expect(state).toEqual({ channels: [], keys: [] });
  }, 30_000);
});

describe('an instance dies', () => {
  it('SIGKILL: survivors remove its participants within 15 s; they resume on a survivor', async () => {
    const c = await cluster.add('api-c');
    const room = await createRoom(a.url, 'Crash');
    const stay = await enter(a.wsUrl, room.slug, 'Stays');
    const mover = await enter(c.wsUrl, room.slug, 'Mover');
    const lost = await enter(c.wsUrl, room.slug, 'Lost');
    await stay.nextOf('ParticipantJoined');
    await stay.nextOf('ParticipantJoined');

    const t0 = Date.now();
    c.kill();
    // One comes back at once on a survivor: taken over from the dead instance, never seen leaving.
    await eventually(() => mover.ended, 5_000);
    const moved = await enter(b.wsUrl, room.slug, undefined, mover.resumeToken);
    expect(moved.welcome).toMatchObject({ resumed: true, me: { id: mover.id } });

    const left = await stay.nextOf('ParticipantLeft', 15_000);
    const ms = Date.now() - t0;
    expect(left).toEqual({ __typename: 'ParticipantLeft', participant: { id: lost.id, displayName: 'Lost' } });
    console.info(`cluster: SIGKILL of an instance -> ParticipantLeft on a survivor after ${ms} ms (budget 15000 ms)`);
    expect(ms).toBeLessThanOrEqual(15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(stay.drain()).toEqual([]); // once, and nothing about the mover

    // The swept one resumes too, as itself; the others hear it join again (same id).
    const back = await enter(a.wsUrl, room.slug, undefined, lost.resumeToken);
    expect(back.welcome).toMatchObject({ resumed: true, me: { id: lost.id, displayName: 'Lost' } });
    expect(back.welcome.room!.participants.map((p) => p.id)).toEqual([stay.id, mover.id, lost.id]);
    expect(await stay.next()).toEqual({ __typename: 'ParticipantJoined', participant: { id: lost.id, displayName: 'Lost' } });
    // The mover was in the call (on its new instance) when the dead one was swept: it saw the leave too.
    expect(await moved.next()).toEqual({ __typename: 'ParticipantLeft', participant: { id: lost.id, displayName: 'Lost' } });
    expect(await moved.next()).toEqual({ __typename: 'ParticipantJoined', participant: { id: lost.id, displayName: 'Lost' } });
    expect((await back.send(moved.id, 'OFFER', '{"after":"crash"}')).ok).toBe(true);
    expect(await moved.next()).toMatchObject({ __typename: 'Signal', from: lost.id, payload: '{"after":"crash"}' });
    for (const p of [stay, moved, back]) p.close();
  }, 60_000);
});
