/**
 * setMediaState over real sockets: everyone else gets ParticipantUpdated, the caller does
 * not; late joiners see the state in Welcome and room.participants; absent fields keep
 * their value; rapid toggles converge on the last state; bad, old and left tokens get
 * UNAUTHENTICATED and bad stream ids BAD_USER_INPUT, changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../support/graphql.js';
import { startInProcess, type InProcessServer } from '../support/in-process.js';
import { Participant, createRoom, setMediaOverHttp, type MediaData } from '../support/participant.js';

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess({ maxParticipants: 8 });
});
afterAll(() => server.close());

const ON: MediaData = { audio: true, video: true, screen: false, screenStreamId: null };
const ROSTER = 'query($slug: String!) { room(slug: $slug) { participants { id media { audio video screen screenStreamId } } } }';

describe('setMediaState', () => {
  it('announces changes to the others, shows them to late joiners and in room.participants', async () => {
    const room = await createRoom(server.url, 'Media State');
    const ann = await Participant.join(server.wsUrl, room.slug, 'Ann');
    const bob = await Participant.join(server.wsUrl, room.slug, 'Bob');
    expect(bob.welcome.me!.media).toEqual(ON);
    await ann.nextOf('ParticipantJoined');

    const res = await setMediaOverHttp(server.url, { token: ann.token, audio: false });
    expect(res.errors).toBeUndefined();
    expect(res.data!.setMediaState).toEqual({ id: ann.id, displayName: 'Ann', media: { ...ON, audio: false } });
    expect(await bob.next()).toEqual({ __typename: 'ParticipantUpdated', participant: { id: ann.id, displayName: 'Ann', media: { ...ON, audio: false } } });

    // Absent fields keep their value; a screen share carries its stream id.
    await setMediaOverHttp(server.url, { token: ann.token, video: false, screen: true, screenStreamId: '{screen-1}' });
    const sharing = { audio: false, video: false, screen: true, screenStreamId: '{screen-1}' };
    expect((await bob.next())!.participant).toMatchObject({ id: ann.id, media: sharing });

    const cat = await Participant.join(server.wsUrl, room.slug, 'Cat');
    expect(cat.welcome.room!.participants.map((p) => [p.id, p.media])).toEqual([
      [ann.id, sharing],
      [bob.id, ON],
      [cat.id, ON],
    ]);
    const roster = await gql<{ room: { participants: { id: string; media: MediaData }[] } }>(server.url, ROSTER, { slug: room.slug });
    expect(roster.data!.room.participants[0]).toEqual({ id: ann.id, media: sharing });

    // Rapid toggling: every event arrives in order and the last state wins everywhere.
    for (let i = 0; i < 10; i++) await setMediaOverHttp(server.url, { token: bob.token, audio: i % 2 === 1 });
    const seen: boolean[] = [];
    for (let i = 0; i < 10; i++) seen.push((await cat.nextOf('ParticipantUpdated'))!.participant!.media!.audio);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i % 2 === 1));
    expect((await gql<{ room: { participants: { id: string; media: MediaData }[] } }>(server.url, ROSTER, { slug: room.slug })).data!.room.participants[1]!.media.audio).toBe(true);
    expect(bob.drain().filter((e) => e.__typename === 'ParticipantUpdated' && e.participant!.id === bob.id)).toEqual([]);
    for (const p of [ann, bob, cat]) p.close();
  });

  it('refuses unknown, left and malformed input with the contract codes and changes nothing', async () => {
    const room = await createRoom(server.url, 'Media Errors');
    const ann = await Participant.join(server.wsUrl, room.slug, 'Ann');
    const bob = await Participant.join(server.wsUrl, room.slug, 'Bob');
    const code = async (input: Parameters<typeof setMediaOverHttp>[1]) => (await setMediaOverHttp(server.url, input)).errors?.[0]?.extensions;
    expect(await code({ token: 'not-a-token', audio: false })).toEqual({ code: 'UNAUTHENTICATED' });
    expect(await code({ token: bob.token, screen: true, screenStreamId: 'x'.repeat(200) })).toEqual({ code: 'BAD_USER_INPUT', field: 'screenStreamId' });
    const oldToken = bob.token;
    bob.leave();
    await ann.nextOf('ParticipantLeft');
    expect(await code({ token: oldToken, audio: false })).toEqual({ code: 'UNAUTHENTICATED' });
    expect(ann.drain().filter((e) => e.__typename === 'ParticipantUpdated')).toEqual([]);
    // A missing token is a GraphQL validation error, not a crash.
    const missing = await gql(server.url, 'mutation { setMediaState(input: { audio: false }) { id } }');
    expect(missing.errors?.length).toBeGreaterThan(0);
    ann.close();
  });
});
