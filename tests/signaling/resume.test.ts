/**
 * Coming back as oneself: after a lost connection within the grace window (same
 * participant, no leave/join seen by others, signals sent meanwhile delivered), and
 * after a server restart (tokens signed with a key kept in the database).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from '../support/in-process.js';
import { Participant, createRoom } from '../support/participant.js';
import { startServer } from '../support/server.js';

describe('within one server', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcess({ resumeGraceMs: 5_000 });
  });
  afterAll(() => server.close());

  it('a client whose connection drops resumes as itself and gets what was sent meanwhile', async () => {
    const room = await createRoom(server.url, 'Blip');
    const a = await Participant.join(server.wsUrl, room.slug, 'A');
    const b = await Participant.join(server.wsUrl, room.slug, 'B');
    await a.nextOf('ParticipantJoined');
    b.cut();
    await new Promise((r) => setTimeout(r, 200));
    expect((await a.send(b.id, 'OFFER', '{"while":"away"}')).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1_500)); // a blip of a couple of seconds
    const back = await Participant.join(server.wsUrl, room.slug, undefined, b.resumeToken);
    expect(back.welcome).toMatchObject({ resumed: true, me: { id: b.id, displayName: 'B' } });
    expect(back.welcome.room!.participants.map((p) => p.id)).toEqual([a.id, b.id]);
    expect(await back.next()).toEqual({ __typename: 'Signal', from: a.id, kind: 'OFFER', payload: '{"while":"away"}' });
    expect((await back.send(a.id, 'ANSWER', '{}')).ok).toBe(true);
    expect(await a.next()).toMatchObject({ __typename: 'Signal', from: b.id });
    await new Promise((r) => setTimeout(r, 6_000)); // past the grace: still nothing
    expect(a.drain()).toEqual([]);
    a.close();
    back.close();
  }, 30_000);

  it('a resume token works once: new tokens, the old signal token is UNAUTHENTICATED, the old resume token brings nobody back', async () => {
    const room = await createRoom(server.url, 'Once');
    const a = await Participant.join(server.wsUrl, room.slug, 'A');
    const b = await Participant.join(server.wsUrl, room.slug, 'B');
    await a.nextOf('ParticipantJoined');
    b.cut();
    await new Promise((r) => setTimeout(r, 200));
    const back = await Participant.join(server.wsUrl, room.slug, undefined, b.resumeToken);
    expect(back.welcome).toMatchObject({ resumed: true, me: { id: b.id } });
    expect(back.token).not.toBe(b.token);
    expect(back.resumeToken).not.toBe(b.resumeToken);
    const stale = await back.send(a.id, 'OFFER', '{}', b.token);
    expect(stale.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await back.send(a.id, 'OFFER', '{"fresh":1}')).ok).toBe(true);
    expect(await a.next()).toMatchObject({ __typename: 'Signal', from: b.id, payload: '{"fresh":1}' });
    // A second holder of the spent token: a new participant, and the rightful one keeps its stream.
    const thief = await Participant.join(server.wsUrl, room.slug, undefined, b.resumeToken);
    expect(thief.welcome).toMatchObject({ resumed: false });
    expect(thief.id).not.toBe(b.id);
    expect(await a.next()).toMatchObject({ __typename: 'ParticipantJoined', participant: { id: thief.id } });
    await new Promise((r) => setTimeout(r, 300));
    expect(back.ended).toBe(false);
    expect((await back.send(a.id, 'OFFER', '{"still":1}')).ok).toBe(true);
    a.close();
    back.close();
    thief.close();
  }, 30_000);

  it('two holders of one unspent token: one is the participant, the other joins as someone new; neither is thrown out again', async () => {
    const room = await createRoom(server.url, 'Two Holders');
    const a = await Participant.join(server.wsUrl, room.slug, 'A');
    const copy = a.resumeToken;
    const one = await Participant.join(server.wsUrl, room.slug, undefined, copy);
    expect(one.welcome).toMatchObject({ resumed: true, me: { id: a.id } });
    expect(await a.next(5_000)).toBeNull(); // the original socket's stream ended (taken over)
    // The original client comes back with the token it has, as the web client does on `complete`.
    const again = await Participant.join(server.wsUrl, room.slug, undefined, copy);
    expect(again.id).not.toBe(a.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(one.ended).toBe(false);
    expect(one.drain()).toEqual([{ __typename: 'ParticipantJoined', participant: { id: again.id, displayName: 'A' } }]);
    one.close();
    again.close();
  }, 30_000);
});

describe('across a server restart', () => {
  it('participants resume as themselves and presence is whole again', async () => {
    const first = await startServer();
    const room = await createRoom(first.url, 'Restart');
    const a = await Participant.join(first.wsUrl, room.slug, 'A');
    const b = await Participant.join(first.wsUrl, room.slug, 'B');
    await a.nextOf('ParticipantJoined');
    await first.stop();
    expect(a.ended || (await a.next(2_000)) === null).toBe(true);

    const second = await startServer({ env: { ...first.env, PORT: String(first.port) } });
    const t0 = Date.now();
    const a2 = await Participant.join(second.wsUrl, room.slug, undefined, a.resumeToken);
    const b2 = await Participant.join(second.wsUrl, room.slug, undefined, b.resumeToken);
    expect(a2.welcome).toMatchObject({ resumed: true, me: { id: a.id, displayName: 'A' } });
    expect(b2.welcome).toMatchObject({ resumed: true, me: { id: b.id, displayName: 'B' } });
    expect(b2.welcome.room!.participants.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
    // A learns that B is back (same id it already knew); nobody ever left.
    expect(await a2.next()).toEqual({ __typename: 'ParticipantJoined', participant: { id: b.id, displayName: 'B' } });
    console.info(`restart: presence whole again ${Date.now() - t0} ms after the server answered`);
    expect((await b2.send(a.id, 'OFFER', '{}')).ok).toBe(true);
    expect(await a2.next()).toMatchObject({ __typename: 'Signal', from: b.id });
    a2.close();
    b2.close();
    await second.stop();
  }, 90_000);
});
