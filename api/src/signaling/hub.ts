/**
 * The signaling core: who is in each room's call, and the relay of offers, answers and
 * ICE candidates between them. Pure: no Fastify, GraphQL or socket imports. The GraphQL
 * adapter (graphql/resolvers.ts) calls join/send/participants; a participant's events
 * come out of its Mailbox, in order, exactly once.
 *
 * A participant whose connection is lost (not closed on purpose) stays in the call for
 * `resumeGraceMs`, its events held, and can come back as itself with its resume token;
 * after a server restart, tokens issued before the restart are honoured for
 * `resumeAfterBootMs`. See docs/signaling.md.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RoomView } from '../rooms/model.js';
import { normalizeDisplayName, notInRoom, payloadProblem, roomFull, signalSelf, unauthenticated } from './checks.js';
import { Mailbox, ownedMailbox } from './mailbox.js';
import { DEFAULT_MEDIA, mediaPatchProblem, mergeMedia, type MediaPatch } from './media.js';
import { signResume, verifyResume } from './resume-token.js';
import type { ChatMessageView } from '../chat/model.js';
import type { ChatSender, Signaling } from './signaling.js';
import { Limits, type LeaveReason, type ParticipantView, type RoomEvent, type SignalKind } from './types.js';

/** What the transport tells the hub about one connection of a participant. */
export interface Connection {
  /** True once the connection died without a goodbye (resumable), false if closed on purpose. */
  lost(): boolean;
}

/** A joined participant as the hub keeps it. `events` is what its current transport reads. */
export interface Member {
  readonly participant: ParticipantView;
  readonly token: string;
  readonly roomId: string;
  readonly resumeToken: string;
  events: Mailbox<RoomEvent>;
  connection: Connection;
  /** Set while the participant's connection is lost and it may still resume. */
  awayTimer: NodeJS.Timeout | null;
}

export interface HubOptions {
  maxParticipants: number;
  /** Signs resume tokens; the same across restarts and instances. */
  secret: Buffer;
  mailboxCapacity?: number;
  /** How long a participant whose connection was lost stays in the call. 0: leaves at once. */
  resumeGraceMs?: number;
  /** After start, how long tokens issued before it are honoured for participants it never saw. */
  resumeAfterBootMs?: number;
  /** Told when a member leaves, e.g. to close a slow consumer's socket. */
  onLeave?: (member: Member, reason: LeaveReason) => void;
  now?: () => number;
}

const openConnection: Connection = { lost: () => false };

export class SignalingHub implements Signaling {
  readonly #rooms = new Map<string, Map<string, Member>>();
  readonly #byToken = new Map<string, Member>();
  readonly #options: HubOptions;
  readonly #now: () => number;
  readonly #bootedAt: number;

  constructor(options: HubOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#bootedAt = this.#now();
  }

  /**
   * Adds a participant to a room's call. Its mailbox starts with Welcome; everyone
   * already there gets ParticipantJoined. Throws ROOM_FULL or BAD_USER_INPUT.
   */
  join(room: RoomView, displayName?: string | null, connection: Connection = openConnection): Member {
    const name = normalizeDisplayName(displayName);
    this.#checkRoom(room);
    return this.#admit(room, { id: randomUUID(), displayName: name, joinedAt: new Date(this.#now()), media: DEFAULT_MEDIA }, connection);
  }

  /**
   * Comes back as the participant a resume token names: reattaches it if the hub still
   * has it (its old connection, if any, is ended without a leave), re-admits it if this
   * process started after the token was issued and recently; otherwise joins afresh.
   * Welcome says which (`resumed`).
   */
  resume(room: RoomView, resumeToken: string, displayName?: string | null, connection: Connection = openConnection): Member {
    const claims = verifyResume(this.#options.secret, resumeToken);
    if (claims && claims.r === room.id) {
      const existing = this.#rooms.get(room.id)?.get(claims.p);
      if (existing) return this.#reattach(existing, room, connection);
      const sinceBoot = this.#now() - this.#bootedAt;
      if (claims.i < this.#bootedAt && sinceBoot <= (this.#options.resumeAfterBootMs ?? 60_000)) {
        this.#checkRoom(room);
        return this.#admit(room, { id: claims.p, displayName: claims.n, joinedAt: new Date(claims.j), media: DEFAULT_MEDIA }, connection, true);
      }
    }
    return this.join(room, displayName ?? claims?.n, connection);
  }

  /** Ends a member's presence (idempotent): its stream closes, the others see it leave. */
  leave(member: Member, reason: LeaveReason = 'ended'): void {
    if (this.#byToken.get(member.token) !== member) return;
    if (member.awayTimer) clearTimeout(member.awayTimer);
    member.awayTimer = null;
    member.events.close();
    this.#byToken.delete(member.token);
    const members = this.#rooms.get(member.roomId);
    members?.delete(member.participant.id);
    if (members && members.size === 0) this.#rooms.delete(member.roomId);
    for (const other of members?.values() ?? []) {
      other.events.push({ __typename: 'ParticipantLeft', participant: member.participant });
    }
    this.#options.onLeave?.(member, reason);
  }

  /**
   * Relays a signal from the token's owner to `to`, stamped with the sender's id.
   * Synchronous, so signals sent in order are queued in order.
   */
  send(token: string, to: string, kind: SignalKind, payload: string): void {
    const sender = this.#byToken.get(token);
    if (!sender) throw unauthenticated();
    const problem = payloadProblem(payload);
    if (problem) throw problem;
    if (to === sender.participant.id) throw signalSelf();
    const recipient = this.#rooms.get(sender.roomId)?.get(to);
    if (!recipient) throw notInRoom();
    recipient.events.push({ __typename: 'Signal', from: sender.participant.id, kind, payload });
  }

  /** Sets the token owner's media state and announces it to the rest of the room. */
  setMediaState(token: string, patch: MediaPatch): ParticipantView {
    const member = this.#byToken.get(token);
    if (!member) throw unauthenticated();
    const problem = mediaPatchProblem(patch);
    if (problem) throw problem;
    member.participant.media = mergeMedia(member.participant.media, patch);
    // A snapshot: a later change must not rewrite what this event announced.
    const participant = { ...member.participant };
    for (const other of this.#rooms.get(member.roomId)?.values() ?? []) {
      if (other !== member) other.events.push({ __typename: 'ParticipantUpdated', participant });
    }
    return participant;
  }

  /** Chat: the token's owner and room, or UNAUTHENTICATED. */
  chatSender(token: string): ChatSender {
    const member = this.#byToken.get(token);
    if (!member) throw unauthenticated();
    return { participant: member.participant, roomId: member.roomId };
  }

  /** Chat: the message to everyone in the room (those briefly away get it on return). */
  deliverChat(roomId: string, message: ChatMessageView): void {
    for (const member of this.#rooms.get(roomId)?.values() ?? []) member.events.push({ __typename: 'ChatMessage', ...message });
  }

  /** Everyone in a room's call (including those briefly away), in join order. */
  participants(roomId: string): ParticipantView[] {
    const members = this.#rooms.get(roomId);
    return members ? [...members.values()].map((m) => m.participant) : [];
  }

  /** The same as participants(): the Signaling port's name for it. */
  roster(roomId: string): ParticipantView[] {
    return this.participants(roomId);
  }

  /** Ends every member's stream without announcing leaves, e.g. on shutdown. */
  closeAll(): void {
    for (const member of [...this.#byToken.values()]) {
      if (member.awayTimer) clearTimeout(member.awayTimer);
      member.awayTimer = null;
      member.events.close();
    }
  }

  stats(): { rooms: number; participants: number; away: number } {
    let away = 0;
    for (const m of this.#byToken.values()) if (m.awayTimer) away++;
    return { rooms: this.#rooms.size, participants: this.#byToken.size, away };
  }

  #checkRoom(room: RoomView): void {
    const size = this.#rooms.get(room.id)?.size ?? 0;
    if (size >= this.#options.maxParticipants) throw roomFull(this.#options.maxParticipants);
  }

  #admit(room: RoomView, participant: ParticipantView, connection: Connection, resumed = false): Member {
    const members = this.#rooms.get(room.id) ?? new Map<string, Member>();
    const member: Member = {
      participant,
      token: randomBytes(32).toString('base64url'),
      roomId: room.id,
      resumeToken: signResume(this.#options.secret, {
        p: participant.id,
        r: room.id,
        n: participant.displayName,
        j: participant.joinedAt.getTime(),
        i: this.#now(),
      }),
      events: undefined as unknown as Mailbox<RoomEvent>,
      connection,
      awayTimer: null,
    };
    member.events = this.#mailbox(member);
    for (const other of members.values()) {
      other.events.push({ __typename: 'ParticipantJoined', participant });
    }
    members.set(participant.id, member);
    this.#rooms.set(room.id, members);
    this.#byToken.set(member.token, member);
    member.events.push(this.#welcome(member, room, resumed));
    return member;
  }

  #reattach(member: Member, room: RoomView, connection: Connection): Member {
    if (member.awayTimer) clearTimeout(member.awayTimer);
    member.awayTimer = null;
    const held = member.events.takeAll();
    const old = member.events;
    member.connection = connection;
    member.events = this.#mailbox(member);
    old.close(); // a still-open old connection ends; no leave is announced
    member.events.push(this.#welcome(member, room, true));
    for (const event of held) member.events.push(event);
    return member;
  }

  #welcome(member: Member, room: RoomView, resumed: boolean): RoomEvent {
    return { __typename: 'Welcome', me: member.participant, token: member.token, resumeToken: member.resumeToken, resumed, room };
  }

  /** A mailbox whose end means something only while it is the member's current one. */
  #mailbox(member: Member): Mailbox<RoomEvent> {
    return ownedMailbox(
      member,
      this.#options.mailboxCapacity ?? Limits.mailboxCapacity,
      () => this.leave(member, 'overflow'),
      () => this.#detached(member),
    );
  }

  /** The member's reader went away: a lost connection waits out the grace; anything else leaves. */
  #detached(member: Member): void {
    const grace = this.#options.resumeGraceMs ?? 0;
    if (grace <= 0 || !member.connection.lost() || this.#byToken.get(member.token) !== member) {
      this.leave(member, 'ended');
      return;
    }
    // Hold events for the participant's return, within the same bound.
    member.events = this.#mailbox(member);
    member.awayTimer = setTimeout(() => this.leave(member, 'ended'), grace);
    member.awayTimer.unref?.();
  }
}
