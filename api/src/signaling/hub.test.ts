import { describe, expect, it, vi } from 'vitest';
import { SignalingHub, type Member } from './hub.js';
import type { RoomView } from '../rooms/model.js';
import type { RoomEvent } from './types.js';

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
    const hub = new SignalingHub({ maxParticipants: 8 });
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
    expect(hub.stats()).toEqual({ rooms: 1, participants: 1 });
    hub.leave(a);
    expect(hub.stats()).toEqual({ rooms: 0, participants: 0 });
  });

  it('ids and tokens are random and tokens carry at least 128 bits', () => {
    const hub = new SignalingHub({ maxParticipants: 100 });
    const members = Array.from({ length: 50 }, () => hub.join(room(), 'x'));
    expect(new Set(members.map((m) => m.token)).size).toBe(50);
    expect(new Set(members.map((m) => m.participant.id)).size).toBe(50);
    for (const m of members) expect(Buffer.from(m.token, 'base64url').length).toBeGreaterThanOrEqual(16);
  });

  it('relays with the sender stamped, and refuses misuse with the contract codes', async () => {
    const hub = new SignalingHub({ maxParticipants: 8 });
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
    const hub = new SignalingHub({ maxParticipants: 2 });
    hub.join(room(), 'A');
    hub.join(room(), 'B');
    expect(() => hub.join(room(), 'C')).toThrow(expect.objectContaining({ code: 'ROOM_FULL' }));
    expect(() => hub.join(room('r2'), ' ')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'displayName' }));
    expect(() => hub.join(room('r2'), 'x'.repeat(41))).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(hub.join(room('r2'), 'x'.repeat(40)).participant.displayName).toHaveLength(40);
  });

  it('cuts off a member whose mailbox overflows; it leaves and onLeave hears why', async () => {
    const onLeave = vi.fn();
    const hub = new SignalingHub({ maxParticipants: 8, mailboxCapacity: 5, onLeave });
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
    const hub = new SignalingHub({ maxParticipants: 8 });
    const a = hub.join(room(), 'A');
    const b = hub.join(room(), 'B');
    await drain(a);
    await b.events.return();
    expect(await drain(a)).toEqual([{ __typename: 'ParticipantLeft', participant: b.participant }]);
  });
});
