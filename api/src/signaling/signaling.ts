/**
 * The signaling port the GraphQL adapter talks to. Two implementations:
 *  - SignalingHub (./hub.ts): one process holds every call, all synchronous;
 *  - ClusterHub (../cluster/cluster-hub.ts): REDIS_URL set, several processes share calls
 *    through Redis, so joining, resuming, relaying and the roster may be asynchronous.
 * Either way a participant's events come out of its Member's mailbox, in order.
 */
import type { ChatMessageView } from '../chat/model.js';
import type { RoomView } from '../rooms/model.js';
import type { Connection, Member } from './hub.js';
import type { MediaPatch } from './media.js';
import type { ParticipantView, SignalKind } from './types.js';

export interface ChatSender {
  participant: ParticipantView;
  roomId: string;
}

export interface Signaling {
  join(room: RoomView, displayName?: string | null, connection?: Connection): Member | Promise<Member>;
  resume(room: RoomView, resumeToken: string, displayName?: string | null, connection?: Connection): Member | Promise<Member>;
  /** Ends a member's presence (idempotent): its stream closes, the others see it leave. */
  leave(member: Member): void;
  /** Relays a signal; throws (or rejects with) a ParleyError with the contract's code. */
  send(token: string, to: string, kind: SignalKind, payload: string): void | Promise<void>;
  /**
   * Applies a media state patch to the token's owner and tells everyone else in its room
   * (ParticipantUpdated); returns the owner as it is now. UNAUTHENTICATED for a bad token.
   */
  setMediaState(token: string, patch: MediaPatch): ParticipantView | Promise<ParticipantView>;
  /** The room's members this process holds, in join order (in-process: everyone; tests and stats). */
  participants(roomId: string): ParticipantView[];
  /** Everyone in the room's call, in join order, across every instance. */
  roster(roomId: string): ParticipantView[] | Promise<ParticipantView[]>;
  /** Ends every local member's stream without announcing leaves (shutdown). */
  closeAll(): void | Promise<void>;
  /** Who a token belongs to, for chat; throws UNAUTHENTICATED unless they are in a call. */
  chatSender(token: string): ChatSender | Promise<ChatSender>;
  /** Gives a stored chat message to everyone in the room; calls are delivered in call order. */
  deliverChat(roomId: string, message: ChatMessageView): void | Promise<void>;
  /** Counts for /healthz and tests: this process's members. */
  stats(): { rooms: number; participants: number; away: number };
}
