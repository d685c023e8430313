import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../signaling/types.js';
import { eventMessage, fromWire, memberBody, type ParticipantMessage, type StoredMember } from './wire.js';

const media = { audio: false, video: true, screen: true, screenStreamId: '{s-1}' };
const ann = { id: 'p-1', displayName: 'Ann "A" ✓', joinedAt: new Date(1_750_000_000_123), media };

describe('wire', () => {
  it.each<RoomEvent>([
    { __typename: 'ParticipantJoined', participant: ann },
    { __typename: 'ParticipantLeft', participant: ann },
    { __typename: 'ParticipantUpdated', participant: ann },
    { __typename: 'Signal', from: 'p-1', kind: 'ICE_CANDIDATE', payload: '{"candidate":"x","n":null}' },
    { __typename: 'ChatMessage', id: 'm-1', seq: 3, fromId: 'p-1', fromName: 'Ann', text: '<b>hi</b>\n"there"', sentAt: new Date(1_750_000_000_456) },
  ])('a %s survives the trip between instances', (event) => {
    const msg = JSON.parse(eventMessage(event)) as ParticipantMessage;
    expect(msg.t).toBe('e');
    expect(msg.t === 'e' && fromWire(msg.e)).toEqual(event);
  });

  it('a participant without media on the wire (a swept member) gets the default state', () => {
    const e = fromWire({ __typename: 'ParticipantLeft', participant: { id: 'p', displayName: 'P', joinedAt: 5 } });
    expect(e).toMatchObject({ participant: { media: { audio: true, video: true, screen: false, screenStreamId: null } } });
  });

  it('stores a member with instance right after seq (the takeover script rewrites it in place)', () => {
    const stored = JSON.parse(`{"seq":7,${memberBody('api-1-abc', ann, 'tok')}`) as StoredMember;
    expect(stored).toEqual({ seq: 7, instance: 'api-1-abc', id: 'p-1', displayName: ann.displayName, joinedAt: 1_750_000_000_123, token: 'tok' });
    expect(Object.keys(stored).slice(0, 2)).toEqual(['seq', 'instance']);
  });
});
