import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../signaling/types.js';
import { eventMessage, fromWire, memberBody, type ParticipantMessage, type StoredMember } from './wire.js';

const ann = { id: 'p-1', displayName: 'Ann "A" ✓', joinedAt: new Date(1_750_000_000_123) };

describe('wire', () => {
  it.each<RoomEvent>([
    { __typename: 'ParticipantJoined', participant: ann },
    { __typename: 'ParticipantLeft', participant: ann },
    { __typename: 'Signal', from: 'p-1', kind: 'ICE_CANDIDATE', payload: '{"candidate":"x","n":null}' },
  ])('a %s survives the trip between instances', (event) => {
    const msg = JSON.parse(eventMessage(event)) as ParticipantMessage;
    expect(msg.t).toBe('e');
    expect(msg.t === 'e' && fromWire(msg.e)).toEqual(event);
  });

  it('stores a member as the join script completes it (seq first), with its tokens', () => {
    const stored = JSON.parse(`{"seq":7,${memberBody('api-1-abc', ann, 'tok', 'nonce')}`) as StoredMember;
    expect(stored).toEqual({ seq: 7, instance: 'api-1-abc', id: 'p-1', displayName: ann.displayName, joinedAt: 1_750_000_000_123, token: 'tok', rt: 'nonce' });
  });
});
