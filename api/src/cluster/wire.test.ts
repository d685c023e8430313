import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../signaling/types.js';
import { eventMessage, fromWire, memberBody, type ParticipantMessage, type StoredMember } from './wire.js';

const ann = { id: 'p-1', displayName: 'Ann "A" ✓', joinedAt: new Date(1_750_000_000_123) };

describe('wire', () => {
  it.each<RoomEvent>([
    { __typename: 'ParticipantJoined', participant: ann },
    { __typename: 'ParticipantLeft', participant: ann },
    { __typename: 'Signal', from: 'p-1', kind: 'ICE_CANDIDATE', payload: '{"candidate":"x","n":null}' },
    { __typename: 'ChatMessage', id: 'm-1', seq: 3, fromId: 'p-1', fromName: 'Ann', text: '<b>hi</b>\n"there"', sentAt: new Date(1_750_000_000_456) },
  ])('a %s survives the trip between instances', (event) => {
    const msg = JSON.parse(eventMessage(event)) as ParticipantMessage;
    expect(msg.t).toBe('e');
    expect(msg.t === 'e' && fromWire(msg.e)).toEqual(event);
  });

  it('stores a member with instance right after seq (the takeover script rewrites it in place)', () => {
    const stored = JSON.parse(`{"seq":7,${memberBody('api-1-abc', ann, 'tok')}`) as StoredMember;
    expect(stored).toEqual({ seq: 7, instance: 'api-1-abc', id: 'p-1', displayName: ann.displayName, joinedAt: 1_750_000_000_123, token: 'tok' });
    expect(Object.keys(stored).slice(0, 2)).toEqual(['seq', 'instance']);
  });
});
