/** The signaling core's public shapes: what a participant is and the events it receives. */
import type { ChatMessageView } from '../chat/model.js';
import type { RoomView } from '../rooms/model.js';
import type { MediaState } from './media.js';

export interface ParticipantView {
  id: string;
  displayName: string;
  joinedAt: Date;
  /** Replaced (never mutated) on each setMediaState, so events keep the state they announced. */
  media: MediaState;
}

export type SignalKind = 'OFFER' | 'ANSWER' | 'ICE_CANDIDATE';

/** One event in a participant's stream, tagged with its GraphQL union member name. */
export type RoomEvent =
  | {
      __typename: 'Welcome';
      me: ParticipantView;
      token: string;
      resumeToken: string;
      resumed: boolean;
      room: RoomView;
      /** Recent chat, put in by chat/chat-service.ts before the Welcome is read; absent: none. */
      chat?: ChatMessageView[];
    }
  | { __typename: 'ParticipantJoined'; participant: ParticipantView }
  | { __typename: 'ParticipantLeft'; participant: ParticipantView }
  | { __typename: 'ParticipantUpdated'; participant: ParticipantView }
  | { __typename: 'Signal'; from: string; kind: SignalKind; payload: string }
  | ({ __typename: 'ChatMessage' } & ChatMessageView);

/** Why a participant's stream ended. */
export type LeaveReason = 'ended' | 'overflow' | 'shutdown';

/** The limits of the protocol; see docs/signaling.md. */
export const Limits = {
  /** A signal payload's largest size in bytes (UTF-8). */
  maxPayloadBytes: 64 * 1024,
  /** Events queued for one participant before it is cut off as a slow consumer. */
  mailboxCapacity: 512,
} as const;
