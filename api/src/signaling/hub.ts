/**
 * The signaling core: who is in each room's call, and the relay of offers, answers and
 * ICE candidates between them. Pure: no Fastify, GraphQL or socket imports. The GraphQL
 * adapter (graphql/signaling-resolvers.ts) calls join/send/participants; a participant's
 * events come out of its Mailbox, in order, exactly once.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { ErrorCode, ParleyError, badInput } from '../rooms/errors.js';
import type { RoomView } from '../rooms/model.js';
import { displayNameProblem } from '../rooms/slug.js';
import { Mailbox } from './mailbox.js';
import { Limits, type LeaveReason, type ParticipantView, type RoomEvent, type SignalKind } from './types.js';

/** A joined participant as the hub keeps it. `events` is what its transport reads. */
export interface Member {
  readonly participant: ParticipantView;
  readonly token: string;
  readonly roomId: string;
  readonly events: Mailbox<RoomEvent>;
}

export interface HubOptions {
  maxParticipants: number;
  mailboxCapacity?: number;
  /** Told when a member leaves, e.g. to close a slow consumer's socket. */
  onLeave?: (member: Member, reason: LeaveReason) => void;
}

export class SignalingHub {
  readonly #rooms = new Map<string, Map<string, Member>>();
  readonly #byToken = new Map<string, Member>();
  readonly #options: HubOptions;

  constructor(options: HubOptions) {
    this.#options = options;
  }

  /**
   * Adds a participant to a room's call. Its mailbox starts with Welcome; everyone
   * already there gets ParticipantJoined. Throws ROOM_FULL or BAD_USER_INPUT.
   */
  join(room: RoomView, displayName?: string | null): Member {
    const name = normalizeDisplayName(displayName);
    const members = this.#rooms.get(room.id) ?? new Map<string, Member>();
    if (members.size >= this.#options.maxParticipants) {
      throw new ParleyError(
        ErrorCode.ROOM_FULL,
        `This call is full: it holds at most ${this.#options.maxParticipants} people. Try again when someone leaves.`,
      );
    }
    const participant: ParticipantView = { id: randomUUID(), displayName: name, joinedAt: new Date() };
    const member: Member = {
      participant,
      token: randomBytes(32).toString('base64url'),
      roomId: room.id,
      events: new Mailbox<RoomEvent>(
        this.#options.mailboxCapacity ?? Limits.mailboxCapacity,
        () => this.#leave(member, 'overflow'),
        () => this.#leave(member, 'ended'),
      ),
    };
    for (const other of members.values()) {
      other.events.push({ __typename: 'ParticipantJoined', participant });
    }
    members.set(participant.id, member);
    this.#rooms.set(room.id, members);
    this.#byToken.set(member.token, member);
    member.events.push({ __typename: 'Welcome', me: participant, token: member.token, room });
    return member;
  }

  /** Ends a member's presence (idempotent): its stream closes, the others see it leave. */
  leave(member: Member, reason: LeaveReason = 'ended'): void {
    member.events.close();
    this.#leave(member, reason);
  }

  /**
   * Relays a signal from the token's owner to `to`, stamped with the sender's id.
   * Synchronous, so signals sent in order are queued in order.
   */
  send(token: string, to: string, kind: SignalKind, payload: string): void {
    const sender = this.#byToken.get(token);
    if (!sender) {
      throw new ParleyError(ErrorCode.UNAUTHENTICATED, 'This token is unknown or its participant has left the call. Join again.');
    }
    if (Buffer.byteLength(payload, 'utf8') > Limits.maxPayloadBytes) {
      throw new ParleyError(ErrorCode.PAYLOAD_TOO_LARGE, `A signal payload can be at most ${Limits.maxPayloadBytes} bytes.`);
    }
    if (!isJson(payload)) throw badInput('payload', 'The payload must be JSON text.');
    if (to === sender.participant.id) throw badInput('to', 'A participant cannot signal itself.');
    const recipient = this.#rooms.get(sender.roomId)?.get(to);
    if (!recipient) {
      throw new ParleyError(ErrorCode.NOT_IN_ROOM, 'The recipient is not in your call (it may just have left).');
    }
    recipient.events.push({ __typename: 'Signal', from: sender.participant.id, kind, payload });
  }

  /** Everyone in a room's call, in join order. */
  participants(roomId: string): ParticipantView[] {
    const members = this.#rooms.get(roomId);
    return members ? [...members.values()].map((m) => m.participant) : [];
  }

  /** Ends every member's presence, e.g. on shutdown. */
  leaveAll(reason: LeaveReason): void {
    for (const member of [...this.#byToken.values()]) this.leave(member, reason);
  }

  stats(): { rooms: number; participants: number } {
    return { rooms: this.#rooms.size, participants: this.#byToken.size };
  }

  #leave(member: Member, reason: LeaveReason): void {
    if (this.#byToken.get(member.token) !== member) return;
    this.#byToken.delete(member.token);
    const members = this.#rooms.get(member.roomId);
    members?.delete(member.participant.id);
    if (members && members.size === 0) this.#rooms.delete(member.roomId);
    for (const other of members?.values() ?? []) {
      other.events.push({ __typename: 'ParticipantLeft', participant: member.participant });
    }
    this.#options.onLeave?.(member, reason);
  }
}

function normalizeDisplayName(name: string | null | undefined): string {
  if (name == null) return `Guest ${randomInt(1000, 10000)}`;
  const problem = displayNameProblem(name);
  if (problem) throw badInput('displayName', problem);
  return name.trim();
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
