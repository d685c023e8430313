import { describe, expect, it, vi } from 'vitest';
import { SignalingHub, type HubOptions, type Member } from './hub.js';
import type { RoomView } from '../rooms/model.js';
import type { RoomEvent } from './types.js';

const secret = Buffer.alloc(32, 7);
const newHub = (o: Omit<HubOptions, 'secret'>) => new SignalingHub({ secret, ...o });
const room = (id = 'r1'): RoomView => ({ id, slug: id, title: id, createdAt: new Date(0) });

function take(member: Member): RoomEvent[] {
  const out: RoomEvent[] = [];
  while (member.events.size) {
    void member.events.next().then((r) => out.push(r.value as RoomEvent));
  }
  return out;
}

async function drain(member: Member): Promise<RoomEvent[]> {
  const events = take(member);
  await Promise.resolve();
  return events;
}

describe('SignalingHub', () => {
  it('welcomes first, announces joins and leaves to the others', async () => {
    const hub = newHub({ maxParticipants: 8 });
    const a = hub.join(room(), 'Ann');
    const b = hub.join(room(), null);
    const aEvents = await drain(a);
    expect(aEvents.map((e) => e.__typename)).toEqual(['Welcome', 'ParticipantJoined']);
    const bEvents = await drain(b);
    expect(bEvents[0]).toMatchObject({ __typename: 'Welcome', me: { id: b.participant.id }, token: b.token });
    expect(b.participant.displayName).toMatch(/^Guest \d{4}$/);
    expect(hub.participants('r1').map((p) => p.id)).toEqual([a.participant.id, b.participant.id]);
    hub.leave(b);
    hub.leave(b); // idempotent
    expect(await drain(a)).toEqual([{ __typename: 'ParticipantLeft', participant: b.participant }]);
    expect(hub.stats()).toEqual({ rooms: 1, participants: 1, away: 0 });
    hub.leave(a);
    expect(hub.stats()).toEqual({ rooms: 0, participants: 0, away: 0 });
  });

  it('ids and tokens are random and tokens carry at least 128 bits', () => {
    const hub = newHub({ maxParticipants: 100 });
    const members = Array.from({ length: 50 }, () => hub.join(room(), 'x'));
    expect(new Set(members.map((m) => m.token)).size).toBe(50);
    expect(new Set(members.map((m) => m.participant.id)).size).toBe(50);
    for (const m of members) expect(Buffer.from(m.token, 'base64url').length).toBeGreaterThanOrEqual(16);
  });

  it('relays with the sender stamped, and refuses misuse with the contract codes', async () => {
    const hub = newHub({ maxParticipants: 8 });
    const a = hub.join(room('r1'), 'A');
    const b = hub.join(room('r1'), 'B');
    const c = hub.join(room('r2'), 'C');
    await drain(a);
    await drain(b);
    hub.send(a.token, b.participant.id, 'OFFER', '{"sdp":"x"}');
    expect(await drain(b)).toEqual([{ __typename: 'Signal', from: a.participant.id, kind: 'OFFER', payload: '{"sdp":"x"}' }]);
    const code = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        return (err as { code: string }).code;
      }
      return 'no error';
    };
    expect(code(() => hub.send('nope', b.participant.id, 'OFFER', '{}'))).toBe('UNAUTHENTICATED');
    expect(code(() => hub.send(a.token, c.participant.id, 'OFFER', '{}'))).toBe('NOT_IN_ROOM');
    expect(code(() => hub.send(a.token, b.participant.id, 'OFFER', JSON.stringify('x'.repeat(65536))))).toBe('PAYLOAD_TOO_LARGE');
    expect(code(() => hub.send(a.token, b.participant.id, 'OFFER', '{'))).toBe('BAD_USER_INPUT');
    hub.leave(a);
    expect(code(() => hub.send(a.token, b.participant.id, 'OFFER', '{}'))).toBe('UNAUTHENTICATED');
    expect(await drain(c)).toHaveLength(1); // only its Welcome
  });

  it('refuses a join past maxParticipants with ROOM_FULL and bad names with BAD_USER_INPUT', () => {
    const hub = newHub({ maxParticipants: 2 });
    hub.join(room(), 'A');
    hub.join(room(), 'B');
    expect(() => hub.join(room(), 'C')).toThrow(expect.objectContaining({ code: 'ROOM_FULL' }));
    expect(() => hub.join(room('r2'), ' ')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'displayName' }));
    expect(() => hub.join(room('r2'), 'x'.repeat(41))).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(hub.join(room('r2'), 'x'.repeat(40)).participant.displayName).toHaveLength(40);
  });

  it('cuts off a member whose mailbox overflows; it leaves and onLeave hears why', async () => {
    const onLeave = vi.fn();
    const hub = newHub({ maxParticipants: 8, mailboxCapacity: 5, onLeave });
    const slow = hub.join(room(), 'Slow');
    const other = hub.join(room(), 'Other');
    await drain(other);
    for (let i = 0; i < 10; i++) {
      try {
        hub.send(other.token, slow.participant.id, 'ICE_CANDIDATE', '{}');
      } catch (err) {
        expect((err as { code: string }).code).toBe('NOT_IN_ROOM');
      }
    }
    expect(onLeave).toHaveBeenCalledWith(slow, 'overflow');
    expect(slow.events.closed).toBe(true);
    expect(await drain(other)).toEqual([{ __typename: 'ParticipantLeft', participant: slow.participant }]);
    expect(hub.participants('r1')).toEqual([other.participant]);
  });

  it('a reader ending its stream leaves the room', async () => {
    const hub = newHub({ maxParticipants: 8 });
    const a = hub.join(room(), 'A');
    const b = hub.join(room(), 'B');
    await drain(a);
    await b.events.return();
    expect(await drain(a)).toEqual([{ __typename: 'ParticipantLeft', participant: b.participant }]);
  });
});

describe('resume', () => {
  const lost = { lost: () => true };
  const gone = { lost: () => false };

  it('a lost connection stays for the grace window, events held, and resumes as itself', async () => {
    vi.useFakeTimers();
    try {
      const hub = newHub({ maxParticipants: 8, resumeGraceMs: 5000 });
      const a = hub.join(room(), 'A', lost);
      const b = hub.join(room(), 'B');
      await drain(a);
      await drain(b);
      await a.events.return(); // its socket died
      expect(hub.stats()).toMatchObject({ participants: 2, away: 1 });
      hub.send(b.token, a.participant.id, 'OFFER', '{"n":1}'); // held for A
      vi.advanceTimersByTime(4000);
      expect(await drain(b)).toEqual([]); // no leave yet
      const again = hub.resume(room(), a.resumeToken, null, lost);
      expect(again).toBe(a);
      const events = await drain(again);
      expect(events[0]).toMatchObject({ __typename: 'Welcome', resumed: true, me: { id: a.participant.id }, token: a.token });
      expect(events[1]).toMatchObject({ __typename: 'Signal', payload: '{"n":1}' });
      vi.advanceTimersByTime(10_000);
      expect(await drain(b)).toEqual([]); // never left, never re-joined
      expect(hub.stats()).toMatchObject({ participants: 2, away: 0 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('after the grace window the others see it leave, and the resume token joins afresh', async () => {
    vi.useFakeTimers();
    try {
      const hub = newHub({ maxParticipants: 8, resumeGraceMs: 5000, resumeAfterBootMs: 0 });
      const a = hub.join(room(), 'A', lost);
      const b = hub.join(room(), 'B');
      await drain(b);
      await a.events.return();
      vi.advanceTimersByTime(5001);
      expect(await drain(b)).toEqual([{ __typename: 'ParticipantLeft', participant: a.participant }]);
      const fresh = hub.resume(room(), a.resumeToken, null);
      expect(fresh.participant.id).not.toBe(a.participant.id);
      expect(fresh.participant.displayName).toBe('A');
      expect((await drain(fresh))[0]).toMatchObject({ __typename: 'Welcome', resumed: false });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a connection closed on purpose leaves at once', async () => {
    const hub = newHub({ maxParticipants: 8, resumeGraceMs: 5000 });
    const a = hub.join(room(), 'A', gone);
    const b = hub.join(room(), 'B');
    await drain(b);
    await a.events.return();
    expect(await drain(b)).toEqual([{ __typename: 'ParticipantLeft', participant: a.participant }]);
  });

  it('a restarted hub honours tokens issued before it started, for a while, as the same participant', async () => {
    let now = 1_000_000;
    const first = newHub({ maxParticipants: 8, now: () => now });
    const a = first.join(room(), 'A');
    now += 10_000; // the server restarts
    const second = newHub({ maxParticipants: 8, now: () => now, resumeAfterBootMs: 60_000 });
    const b = second.join(room(), 'B');
    await drain(b);
    const back = second.resume(room(), a.resumeToken, null);
    expect(back.participant).toEqual(a.participant);
    expect(back.token).not.toBe(a.token);
    expect((await drain(back))[0]).toMatchObject({ __typename: 'Welcome', resumed: true });
    expect(await drain(b)).toEqual([{ __typename: 'ParticipantJoined', participant: a.participant }]);
    // Too long after a restart, the same token gives a new identity.
    const c = second.join(room(), 'C');
    now += 5_000;
    const third = newHub({ maxParticipants: 8, now: () => now, resumeAfterBootMs: 60_000 });
    now += 60_001;
    const renamed = third.resume(room(), c.resumeToken, null);
    expect(renamed.participant.id).not.toBe(c.participant.id);
    expect(renamed.participant.displayName).toBe('C');
  });

  // The signature's last base64url character carries 4 bits (16 values: A, E, I, M, Q, ...):
  // replacing it with 'A' left the token unchanged, and valid, 1 time in 16.
  const lastCharChanged = (token: string) => token.replace(/.$/, (c) => (c === 'A' ? 'Q' : 'A'));

  it('a forged, tampered or other-room token never resumes', () => {
    const hub = newHub({ maxParticipants: 8, resumeGraceMs: 5000 });
    const a = hub.join(room('r1'), 'A', lost);
    const other = new SignalingHub({ secret: Buffer.alloc(32, 9), maxParticipants: 8 }).join(room('r1'), 'X');
    const [body, sig] = a.resumeToken.split('.');
    const tampered = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), n: 'Mallory' })).toString('base64url')}.${sig}`;
    for (const token of [other.resumeToken, tampered, 'junk', '', lastCharChanged(a.resumeToken)]) {
      expect(hub.resume(room('r1'), token, 'Z').participant.id).not.toBe(a.participant.id);
    }
    expect(hub.resume(room('r2'), a.resumeToken, 'Z').participant.id).not.toBe(a.participant.id);
  });

  it('resuming while the old connection is still open takes over without a leave', async () => {
    const hub = newHub({ maxParticipants: 8, resumeGraceMs: 5000 });
    const a = hub.join(room(), 'A', lost);
    const b = hub.join(room(), 'B');
    await drain(b);
    const oldBox = a.events;
    hub.resume(room(), a.resumeToken, null, lost);
    expect(oldBox.closed).toBe(true);
    await oldBox.return(); // the old transport finishing must not count as leaving
    expect(await drain(b)).toEqual([]);
    expect(hub.participants('r1')).toHaveLength(2);
  });

  it('setMediaState: starts on, announces each change to the others only, late joiners see it', async () => {
    const hub = newHub({ maxParticipants: 8 });
    const a = hub.join(room(), 'A');
    const b = hub.join(room(), 'B');
    await drain(a);
    await drain(b);
    expect(a.participant.media).toEqual({ audio: true, video: true, screen: false, screenStreamId: null });
    const muted = hub.setMediaState(a.token, { audio: false });
    expect(muted).toMatchObject({ id: a.participant.id, media: { audio: false, video: true } });
    hub.setMediaState(a.token, { video: false, audio: null });
    expect(await drain(a)).toEqual([]);
    const seen = await drain(b);
    expect(seen.map((e) => e.__typename)).toEqual(['ParticipantUpdated', 'ParticipantUpdated']);
    // Each event keeps the state it announced.
    expect(seen.map((e) => e.__typename === 'ParticipantUpdated' && e.participant.media)).toEqual([
      { audio: false, video: true, screen: false, screenStreamId: null },
      { audio: false, video: false, screen: false, screenStreamId: null },
    ]);
    const c = hub.join(room(), 'C');
    const welcome = (await drain(c))[0];
    expect(welcome?.__typename === 'Welcome' && welcome.room).toBeTruthy();
    expect(hub.roster('r1').find((p) => p.id === a.participant.id)?.media).toMatchObject({ audio: false, video: false });
  });

  it('setMediaState refuses bad or old tokens (UNAUTHENTICATED) and bad stream ids, changing nothing', async () => {
    const hub = newHub({ maxParticipants: 8 });
    const a = hub.join(room(), 'A');
    const b = hub.join(room(), 'B');
    await drain(b);
    const code = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        return (err as { code: string }).code;
      }
      return 'no error';
    };
    expect(code(() => hub.setMediaState('nope', { audio: false }))).toBe('UNAUTHENTICATED');
    expect(code(() => hub.setMediaState(a.token, { screen: true, screenStreamId: '' }))).toBe('BAD_USER_INPUT');
    expect(a.participant.media.screen).toBe(false);
    hub.leave(a);
    expect(code(() => hub.setMediaState(a.token, { audio: false }))).toBe('UNAUTHENTICATED');
    expect((await drain(b)).map((e) => e.__typename)).toEqual(['ParticipantLeft']);
  });

  it('a resumed participant keeps its media state', async () => {
    const hub = newHub({ maxParticipants: 8, resumeGraceMs: 5000 });
    const a = hub.join(room(), 'A', lost);
    hub.setMediaState(a.token, { video: false });
    const back = hub.resume(room(), a.resumeToken, null, lost);
    const welcome = (await drain(back)).find((e) => e.__typename === 'Welcome');
    expect(welcome?.__typename === 'Welcome' && welcome.me.media.video).toBe(false);
  });
});
