/**
 * What travels between instances, as JSON text. A participant's channel carries
 * `{"t":"e","e":<event>}` (its room events, in order) and the takeover marker
 * `{"t":"h","to":<node>}`; an instance channel carries `{"t":"handed",...}`. Dates travel
 * as epoch milliseconds.
 */
import { mediaOf, type MediaState } from '../signaling/media.js';
import type { ParticipantView, RoomEvent } from '../signaling/types.js';

/** A member as stored in a room's hash. `instance` comes right after `seq` (the takeover script relies on it). */
export interface StoredMember {
  seq: number;
  instance: string;
  id: string;
  displayName: string;
  joinedAt: number;
  token: string;
}

/** A participant on the wire; `media` is absent where a script has none (a swept member's leave). */
export interface WireParticipant {
  id: string;
  displayName: string;
  joinedAt: number;
  media?: MediaState;
}

export type WireEvent =
  | { __typename: 'ParticipantJoined' | 'ParticipantLeft' | 'ParticipantUpdated'; participant: WireParticipant }
  | { __typename: 'Signal'; from: string; kind: string; payload: string }
  | { __typename: 'ChatMessage'; id: string; seq: number; fromId: string; fromName: string; text: string; sentAt: number };

export type ParticipantMessage = { t: 'e'; e: WireEvent } | { t: 'h'; to: string };
export type InstanceMessage = { t: 'handed'; p: string; events: WireEvent[] };

/** The stored member's JSON minus its leading `{"seq":N,`, which the join script adds. */
export function memberBody(node: string, p: ParticipantView, token: string): string {
  return JSON.stringify({ instance: node, id: p.id, displayName: p.displayName, joinedAt: p.joinedAt.getTime(), token }).slice(1);
}

export function toWire(event: RoomEvent): WireEvent {
  switch (event.__typename) {
    case 'ParticipantJoined':
    case 'ParticipantLeft':
    case 'ParticipantUpdated':
      return { __typename: event.__typename, participant: { ...event.participant, joinedAt: event.participant.joinedAt.getTime() } };
    case 'Signal':
      return event;
    case 'ChatMessage':
      return { ...event, sentAt: event.sentAt.getTime() };
    default:
      throw new Error(`${event.__typename} does not travel between instances`);
  }
}

export function fromWire(event: WireEvent): RoomEvent {
  if (event.__typename === 'ChatMessage') return { ...event, sentAt: new Date(event.sentAt) };
  if (event.__typename === 'Signal') {
    return { __typename: 'Signal', from: event.from, kind: event.kind as 'OFFER', payload: event.payload };
  }
  return { __typename: event.__typename, participant: viewOf(event.participant) };
}

export function viewOf(m: { id: string; displayName: string; joinedAt: number; media?: Partial<MediaState> | null }): ParticipantView {
  return { id: m.id, displayName: m.displayName, joinedAt: new Date(m.joinedAt), media: mediaOf(m.media) };
}

export function eventMessage(event: RoomEvent): string {
  return JSON.stringify({ t: 'e', e: toWire(event) } satisfies ParticipantMessage);
}
