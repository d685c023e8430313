/** Every signaling misuse gets its contract error code, and the server stays healthy. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, eventually, type InProcessServer } from '../support/in-process.js';
import { JoinError, Participant, createRoom, sendOverHttp } from '../support/participant.js';

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess({ maxParticipants: 3 });
});
afterAll(() => server.close());

async function joinError(slug: string, name?: string): Promise<JoinError> {
  try {
    const p = await Participant.join(server.wsUrl, slug, name);
    p.close();
  } catch (err) {
    if (err instanceof JoinError) return err;
    throw err;
  }
  throw new Error('join succeeded but should have failed');
}

describe('joinRoom errors', () => {
  it('ROOM_NOT_FOUND for an unknown slug', async () => {
    const err = await joinError('no-such-room');
    expect(err.code).toBe('ROOM_NOT_FOUND');
    expect(err.errors[0]!.message).toMatch(/no-such-room/);
  });

  it('BAD_USER_INPUT for a display name that is blank or over 40 characters', async () => {
    const room = await createRoom(server.url, 'Names');
    for (const name of ['   ', 'x'.repeat(41)]) {
      const err = await joinError(room.slug, name);
      expect(err.code).toBe('BAD_USER_INPUT');
      expect(err.errors[0]!.extensions!.field).toBe('displayName');
    }
    expect(server.app.hub.stats().participants).toBe(0);
  });

  it('ROOM_FULL at MAX_PARTICIPANTS, and room again once someone leaves', async () => {
    const room = await createRoom(server.url, 'Full House');
    const three: Participant[] = [];
    for (let i = 0; i < 3; i++) three.push(await Participant.join(server.wsUrl, room.slug, `N${i}`));
    const err = await joinError(room.slug, 'Fourth');
    expect(err.code).toBe('ROOM_FULL');
    three[0]!.close();
    expect(await eventually(() => server.app.hub.participants(three[1]!.welcome.room!.id).length === 2)).toBe(true);
    const fourth = await Participant.join(server.wsUrl, room.slug, 'Fourth');
    fourth.close();
    for (const p of three) p.close();
  });
});

describe('sendSignal errors', () => {
  it('UNAUTHENTICATED, NOT_IN_ROOM, PAYLOAD_TOO_LARGE, BAD_USER_INPUT; a token dies with its participant', async () => {
    const r1 = await createRoom(server.url, 'Errors One');
    const r2 = await createRoom(server.url, 'Errors Two');
    const a = await Participant.join(server.wsUrl, r1.slug, 'A');
    const b = await Participant.join(server.wsUrl, r1.slug, 'B');
    const c = await Participant.join(server.wsUrl, r2.slug, 'C');

    const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
    expect(code(await a.send(b.id, 'OFFER', '{}', 'not-a-token'))).toBe('UNAUTHENTICATED');
    expect(code(await a.send(c.id, 'OFFER', '{}'))).toBe('NOT_IN_ROOM');
    expect(code(await a.send('00000000-0000-0000-0000-000000000000', 'OFFER', '{}'))).toBe('NOT_IN_ROOM');
    const big = JSON.stringify({ sdp: 'x'.repeat(64 * 1024) });
    expect(code(await a.send(b.id, 'OFFER', big))).toBe('PAYLOAD_TOO_LARGE');
    // Exactly 64 KiB is allowed.
    const exact = JSON.stringify('x'.repeat(64 * 1024 - 2));
    expect(Buffer.byteLength(exact)).toBe(64 * 1024);
    expect(await a.send(b.id, 'OFFER', exact)).toEqual({ ok: true });
    expect(code(await a.send(b.id, 'OFFER', 'not json'))).toBe('BAD_USER_INPUT');
    expect(code(await a.send(a.id, 'OFFER', '{}'))).toBe('BAD_USER_INPUT');
    // Over HTTP the same rules hold.
    expect(code(await sendOverHttp(server.url, { token: 'nope', to: b.id, kind: 'OFFER', payload: '{}' }))).toBe('UNAUTHENTICATED');
    // An unknown kind is a GraphQL validation error.
    const badKind = await sendOverHttp(server.url, { token: a.token, to: b.id, kind: 'BOGUS', payload: '{}' });
    expect(code(badKind)).toBe('GRAPHQL_VALIDATION_FAILED');

    // A leaves; its token no longer works, over either transport.
    const token = a.token;
    a.leave();
    expect(await b.nextOf('ParticipantLeft')).toMatchObject({ participant: { id: a.id } });
    expect(code(await sendOverHttp(server.url, { token, to: b.id, kind: 'OFFER', payload: '{}' }))).toBe('UNAUTHENTICATED');
    expect(code(await b.send(b.id, 'OFFER', '{}', token))).toBe('UNAUTHENTICATED');

    // B received only what was meant for it, nothing from the failed sends.
    const signals = b.events.filter((e) => e.__typename === 'Signal');
    expect(signals).toHaveLength(1);
    expect(c.events.filter((e) => e.__typename === 'Signal')).toHaveLength(0);

    a.close();
    b.close();
    c.close();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await eventually(() => server.app.hub.stats().participants === 0)).toBe(true);
  });
});
