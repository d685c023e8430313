/**
 * The signaling core when REDIS_URL is set: several API processes share one world.
 * Membership and signal tokens live in Redis (./scripts.ts keeps each change atomic with
 * the events announcing it); every event for a participant travels on its own channel
 * `p:<id>`, which the instance holding the participant subscribes to and feeds into the
 * participant's Mailbox. All publishes of an instance go through one connection, so
 * signals from one sender to one recipient arrive in order. Dead instances are swept by
 * ./liveness.ts. The GraphQL adapter uses it through the Signaling port, like SignalingHub.
 *
 * Moving between instances (resume after a dropped socket or a dead instance): the new
 * instance subscribes to the participant's channel, then the TAKEOVER script moves the
 * member and puts a marker in its stream. The old instance, at the marker, hands over
 * what it held (`i:<node>`); the new one delivers Welcome, the handed events, then what
 * came after the marker: the stream stays in order, once.
 *
 * A resume token works once: the member record in Redis holds the nonce of its current
 * resume token, and every resume swaps in a new nonce and a new signal token in the same
 * script that checks the old nonce (TAKEOVER), on whichever instance it lands.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RoomView } from '../rooms/model.js';
import type { Connection, Member } from '../signaling/hub.js';
import { Mailbox, ownedMailbox } from '../signaling/mailbox.js';
import { normalizeDisplayName, notInRoom, payloadProblem, roomFull, signalSelf, unauthenticated } from '../signaling/checks.js';
import { DEFAULT_MEDIA, mediaPatchProblem, type MediaPatch } from '../signaling/media.js';
import { issueResume, resumeNonce, verifyResume, type ResumeClaims } from '../signaling/resume-token.js';
import type { ChatMessageView } from '../chat/model.js';
import type { ChatSender, Signaling } from '../signaling/signaling.js';
import { Limits, eventBytes, type LeaveReason, type ParticipantView, type RoomEvent, type SignalKind } from '../signaling/types.js';
import { Directory } from './directory.js';
import { Keys } from './keys.js';
import { Liveness } from './liveness.js';
import { Reconciler, retryLeave } from './reconcile.js';
import { ErrorCode, ParleyError } from '../rooms/errors.js';
import type { RedisLinks } from './redis.js';
import { eventMessage, fromWire, toWire, viewOf, type InstanceMessage, type ParticipantMessage } from './wire.js';

/** How long a new instance waits for a live old one to hand over a moving participant's events. */
export const HANDOFF_TIMEOUT_MS = 2_000;

export interface ClusterHubOptions {
  redis: RedisLinks;
  prefix: string;
  /** This process in Redis: INSTANCE_ID plus a random suffix per start. */
  node: string;
  maxParticipants: number;
  secret: Buffer;
  resumeGraceMs?: number;
  /** How long a resume token is good for after it was issued. */
  resumeTokenTtlMs?: number;
  mailboxCapacity?: number;
  /** What a participant's queued events may weigh (eventBytes) before it is cut off. */
  mailboxBytes?: number;
  onLeave?: (member: Member, reason: LeaveReason) => void;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** A participant channel this instance listens to, and where its events go. */
interface Stream {
  member: Member | null;
  /** Welcome delivered: events go straight into the mailbox. */
  ready: boolean;
  /** Events that came before Welcome (a join) or during a takeover. */
  early: RoomEvent[];
  takeover?: { marked: boolean; after: RoomEvent[]; handed(events: RoomEvent[]): void };
}

const openConnection: Connection = { lost: () => false };

export class ClusterHub implements Signaling {
  readonly #streams = new Map<string, Stream>();
  readonly #o: ClusterHubOptions;
  readonly #keys: Keys;
  readonly #directory: Directory;
  readonly #liveness: Liveness;
  readonly #reconciler: Reconciler;
  readonly #participantPrefix: string;
  readonly #instanceChannel: string;

  constructor(options: ClusterHubOptions) {
    this.#o = options;
    this.#keys = new Keys(options.prefix);
    this.#directory = new Directory(options.redis.command, this.#keys, options.node, options.maxParticipants);
    this.#participantPrefix = this.#keys.participantChannel('');
    this.#instanceChannel = this.#keys.instanceChannel(options.node);
    this.#liveness = new Liveness({
      redis: options.redis.command,
      keys: this.#keys,
      node: options.node,
      log: options.log,
      onPresumedDead: () => this.#endAll('shutdown'),
    });
    this.#reconciler = new Reconciler({
      redis: options.redis.command,
      keys: this.#keys,
      node: options.node,
      log: options.log,
      holds: (id) => this.#streams.has(id),
      held: () => {
        const byRoom = new Map<string, Set<string>>();
        for (const [id, s] of this.#streams) {
          if (s.member && s.ready) byRoom.set(s.member.roomId, (byRoom.get(s.member.roomId) ?? new Set()).add(id));
        }
        return byRoom;
      },
      remove: (roomId, m) => this.#directory.leave(roomId, viewOf(m)),
      drop: (id) => {
        const stream = this.#streams.get(id);
        const member = stream?.ready ? stream.member : null;
        if (!stream || !member) return;
        this.#forget(stream);
        this.#o.onLeave?.(member, 'shutdown'); // its socket closes with "come back"
      },
    });
  }

  get node(): string {
    return this.#o.node;
  }

  /** Listens on this instance's channel and starts beating; call once before use. */
  async start(): Promise<void> {
    this.#o.redis.subscriber.on('message', (channel: string, text: string) => this.#onMessage(channel, text));
    await this.#o.redis.subscriber.subscribe(this.#instanceChannel);
    // After a lost link to Redis, listen again on every channel this instance serves. ioredis
    // resubscribes by itself, but only to what it had confirmed before the cut: a channel
    // whose SUBSCRIBE or UNSUBSCRIBE was in flight when the link dropped can go missing, and
    // then signals to that participant are unheard (SEND refuses them) until it leaves.
    this.#o.redis.subscriber.on('ready', () => {
      const channels = [this.#instanceChannel, ...[...this.#streams.keys()].map((id) => this.#keys.participantChannel(id))];
      this.#o.redis.subscriber.subscribe(...channels).catch((err: unknown) => this.#o.log.warn({ err }, 'cluster resubscribe failed'));
    });
    await this.#liveness.start();
    this.#reconciler.start();
    void this.#liveness.sweep();
  }

  /** Runs one reconcile pass now (tests); it also runs every RECONCILE_MS. */
  reconcile(): Promise<{ removed: number; dropped: number }> {
    return this.#reconciler.run();
  }

  async join(room: RoomView, displayName?: string | null, connection: Connection = openConnection): Promise<Member> {
    const name = normalizeDisplayName(displayName);
    const member = await this.#admit(room, { id: randomUUID(), displayName: name, joinedAt: new Date(), media: DEFAULT_MEDIA }, connection, null).catch(unavailable);
    return member!;
  }

  /**
   * Comes back as the participant a resume token names, if it is the participant's
   * current, unexpired token: on this instance (reattach), from another instance, live or
   * dead (takeover), or after a dead instance's members were swept (re-admission with the
   * same id, for 60 s); otherwise a fresh join. The token is spent either way.
   */
  async resume(room: RoomView, resumeToken: string, displayName?: string | null, connection: Connection = openConnection): Promise<Member> {
    const claims = verifyResume(this.#o.secret, resumeToken, Date.now());
    if (claims && claims.r === room.id) {
      return this.#resume(room, claims, displayName, connection).catch(unavailable);
    }
    return this.join(room, displayName ?? claims?.n, connection);
  }

  async #resume(room: RoomView, claims: ResumeClaims, displayName: string | null | undefined, connection: Connection): Promise<Member> {
    const local = this.#streams.get(claims.p);
    if (local?.member && local.ready && local.member.roomId === room.id) {
      if (local.member.resumeNonce === claims.t) {
        const back = await this.#reattach(local.member, room, connection, claims.t);
        if (back) return back;
      }
    } else if (!local) {
      const moved = await this.#takeOver(room, claims.p, connection, claims.t);
      if (moved) return moved;
      const view = { id: claims.p, displayName: claims.n, joinedAt: new Date(claims.j), media: DEFAULT_MEDIA };
      const back = await this.#admit(room, view, connection, claims.t);
      if (back) return back;
    }
    return this.join(room, displayName ?? claims.n, connection);
  }

  leave(member: Member, reason: LeaveReason = 'ended'): void {
    const stream = this.#streams.get(member.participant.id);
    if (stream?.member !== member) return;
    this.#forget(stream);
    // Retried through a Redis blip; if it still cannot get through, the reconciler removes the ghost later.
    void retryLeave(
      () => this.#directory.leave(member.roomId, member.participant),
      (err, last) =>
        this.#o.log[last ? 'error' : 'warn']({ err, participant: member.participant.id }, last ? 'cluster leave failed; reconcile will remove it' : 'cluster leave failed; retrying'),
    );
    this.#o.onLeave?.(member, reason);
  }

  /** One script: checks the token and the recipient in Redis, then publishes. Issued synchronously, so order holds. */
  async send(token: string, to: string, kind: SignalKind, payload: string): Promise<void> {
    const problem = payloadProblem(payload);
    const verdict = await this.#directory.send(token, to, problem?.code ?? null, kind, payload).catch(unavailable);
    if (verdict === 'OK') return;
    if (verdict === 'UNAUTHENTICATED') throw unauthenticated();
    if (problem) throw problem;
    if (verdict === 'SELF') throw signalSelf();
    if (verdict === 'UNHEARD') unavailable(new Error(`no instance subscribed to participant ${to}`));
    throw notInRoom();
  }

  /** One script: checks the token, merges and stores the state, tells the rest of the room. */
  async setMediaState(token: string, patch: MediaPatch): Promise<ParticipantView> {
    const problem = mediaPatchProblem(patch);
    if (problem) throw problem;
    const view = await this.#directory.setMedia(token, patch);
    if (!view) throw unauthenticated();
    const local = this.#streams.get(view.id)?.member;
    if (local) local.participant.media = view.media;
    return view;
  }

  /** Chat: the token's owner and room from Redis, or UNAUTHENTICATED. */
  async chatSender(token: string): Promise<ChatSender> {
    const sender = await this.#directory.chatSender(token);
    if (!sender) throw unauthenticated();
    return sender;
  }

  /**
   * Chat: one publish to every member's channel, wherever they are. Callers await it
   * while holding the room's row lock (chat/chat-repository.ts), so publishes, and hence
   * deliveries, follow the room's message order.
   */
  deliverChat(roomId: string, message: ChatMessageView): Promise<void> {
    return this.#directory.broadcast(roomId, eventMessage({ __typename: 'ChatMessage', ...message }));
  }

  /** Everyone in the room's call on every instance, in join order. */
  roster(roomId: string): Promise<ParticipantView[]> {
    return this.#directory.roster(roomId).catch(unavailable);
  }

  /** The members this instance holds in the room (roster() has everyone). */
  participants(roomId: string): ParticipantView[] {
    return [...this.#streams.values()].flatMap((s) => (s.member?.roomId === roomId ? [s.member.participant] : []));
  }

  /** Shutdown: ends local streams without leaves (clients resume elsewhere), stops beating, disconnects. */
  async closeAll(): Promise<void> {
    this.#reconciler.stop();
    this.#endAll(null);
    await this.#liveness.stop();
    await this.#o.redis.close();
  }

  stats(): { rooms: number; participants: number; away: number } {
    const rooms = new Set<string>();
    let participants = 0;
    let away = 0;
    for (const s of this.#streams.values()) {
      if (!s.member) continue;
      participants++;
      rooms.add(s.member.roomId);
      if (s.member.awayTimer) away++;
    }
    return { rooms: rooms.size, participants, away };
  }

  /** Runs one sweep now (tests); it also runs every SWEEP_MS. */
  sweep(): Promise<number> {
    return this.#liveness.sweep();
  }

  /** A join; `readmit` is the presented resume nonce when a swept member comes back as itself. */
  async #admit(room: RoomView, participant: ParticipantView, connection: Connection, readmit: string | null): Promise<Member | null> {
    const member = this.#member(room.id, participant, randomBytes(32).toString('base64url'), resumeNonce(), connection);
    const stream: Stream = { member, ready: false, early: [] };
    this.#streams.set(participant.id, stream);
    let result;
    try {
      await this.#o.redis.subscriber.subscribe(this.#keys.participantChannel(participant.id));
      result = await this.#directory.join(room.id, participant, member.token, member.resumeNonce, readmit);
    } catch (err) {
      this.#forget(stream);
      throw err;
    }
    if (!result.ok) {
      this.#forget(stream);
      if (result.reason === 'FULL') throw roomFull(this.#o.maxParticipants);
      return null;
    }
    this.#deliver(stream, member, { ...room, participants: result.roster }, readmit !== null, []);
    return member;
  }

  async #takeOver(room: RoomView, participantId: string, connection: Connection, rt: string): Promise<Member | null> {
    let handed: ((events: RoomEvent[] | null) => void) | null = null;
    const handedOver = new Promise<RoomEvent[] | null>((resolve) => (handed = resolve));
    const stream: Stream = { member: null, ready: false, early: [], takeover: { marked: false, after: [], handed: (e) => handed!(e) } };
    this.#streams.set(participantId, stream);
    let moved;
    try {
      await this.#o.redis.subscriber.subscribe(this.#keys.participantChannel(participantId));
      moved = await this.#directory.takeOver(room.id, participantId, rt, randomBytes(32).toString('base64url'), resumeNonce());
    } catch (err) {
      this.#forget(stream);
      throw err;
    }
    if (!moved) {
      this.#forget(stream);
      return null;
    }
    let fromOld: RoomEvent[] | null = null;
    if (moved.from !== this.#o.node && moved.fromUp) {
      const timer = setTimeout(() => handed!(null), HANDOFF_TIMEOUT_MS);
      fromOld = await handedOver;
      clearTimeout(timer);
      if (!fromOld) this.#o.log.warn({ participant: participantId, from: moved.from }, 'no handoff from the old instance; delivering what came since');
    }
    // With a live old instance, what came before the marker is in what it handed over;
    // without one, everything since we subscribed is new.
    const events = fromOld ? [...fromOld, ...stream.takeover!.after] : [...stream.early, ...stream.takeover!.after];
    const member = this.#member(room.id, viewOf(moved.member), moved.member.token, moved.member.rt, connection);
    stream.member = member;
    delete stream.takeover;
    stream.early = [];
    const participants = await this.roster(room.id);
    this.#deliver(stream, member, { ...room, participants }, true, events);
    return member;
  }

  /**
   * Same instance: the tokens are rotated in Redis (null if `rt` was spent meanwhile),
   * then the new connection takes the mailbox over, held events follow Welcome.
   */
  async #reattach(member: Member, room: RoomView, connection: Connection, rt: string): Promise<Member | null> {
    const rotated = await this.#directory.takeOver(room.id, member.participant.id, rt, randomBytes(32).toString('base64url'), resumeNonce());
    if (!rotated || !this.#current(member)) return null;
    member.token = rotated.member.token;
    member.resumeNonce = rotated.member.rt;
    member.resumeToken = this.#resumeToken(member.roomId, member.participant, member.resumeNonce);
    const participants = await this.roster(room.id);
    if (member.awayTimer) clearTimeout(member.awayTimer);
    member.awayTimer = null;
    const held = member.events.takeAll().filter((e) => e.__typename !== 'Welcome');
    const old = member.events;
    member.connection = connection;
    member.events = this.#mailbox(member);
    old.close(); // a still-open old connection ends; no leave is announced
    member.events.push(this.#welcome(member, { ...room, participants }, true));
    for (const event of held) member.events.push(event);
    return member;
  }

  #deliver(stream: Stream, member: Member, room: RoomView & { participants: ParticipantView[] }, resumed: boolean, before: RoomEvent[]): void {
    member.events.push(this.#welcome(member, room, resumed));
    for (const event of [...before, ...stream.early]) member.events.push(event);
    stream.early = [];
    stream.ready = true;
  }

  #onMessage(channel: string, text: string): void {
    if (channel === this.#instanceChannel) {
      const msg = JSON.parse(text) as InstanceMessage;
      if (msg.t === 'handed') this.#streams.get(msg.p)?.takeover?.handed(msg.events.map(fromWire));
      return;
    }
    if (!channel.startsWith(this.#participantPrefix)) return;
    const participantId = channel.slice(this.#participantPrefix.length);
    const stream = this.#streams.get(participantId);
    if (!stream) return;
    const msg = JSON.parse(text) as ParticipantMessage;
    if (msg.t === 'h') {
      if (msg.to === this.#o.node) {
        if (stream.takeover) stream.takeover.marked = true;
      } else {
        this.#handOff(stream, participantId, msg.to);
      }
      return;
    }
    const event = fromWire(msg.e);
    if (stream.takeover) (stream.takeover.marked ? stream.takeover.after : stream.early).push(event);
    else if (!stream.ready || !stream.member) stream.early.push(event);
    else stream.member.events.push(event);
  }

  /** Another instance took the participant over: give it what we held, drop ours without a leave. */
  #handOff(stream: Stream, participantId: string, to: string): void {
    const member = stream.member;
    const held = stream.ready && member ? member.events.takeAll() : stream.early;
    const events = held.filter((e) => e.__typename !== 'Welcome').map(toWire);
    this.#forget(stream);
    this.#directory
      .handOff(to, { t: 'handed', p: participantId, events })
      .catch((err: unknown) => this.#o.log.error({ err, participant: participantId }, 'cluster handoff failed'));
  }

  /** Drops a stream locally (no leave announced): its mailbox ends, its channel is unsubscribed. */
  #forget(stream: Stream): void {
    const member = stream.member;
    const id = member?.participant.id ?? [...this.#streams].find(([, s]) => s === stream)?.[0];
    if (member?.awayTimer) clearTimeout(member.awayTimer);
    if (member) {
      member.awayTimer = null;
      member.events.close();
    }
    if (id === undefined || this.#streams.get(id) !== stream) return;
    this.#streams.delete(id);
    this.#o.redis.subscriber.unsubscribe(this.#keys.participantChannel(id)).catch(() => undefined);
  }

  /** Ends every local member; `reason` null means silently (shutdown), else onLeave is told (sockets get closed). */
  #endAll(reason: LeaveReason | null): void {
    for (const stream of [...this.#streams.values()]) {
      const member = stream.member;
      this.#forget(stream);
      if (member && reason) this.#o.onLeave?.(member, reason);
    }
  }

  #member(roomId: string, participant: ParticipantView, token: string, rt: string, connection: Connection): Member {
    const member: Member = {
      participant,
      token,
      roomId,
      resumeToken: this.#resumeToken(roomId, participant, rt),
      resumeNonce: rt,
      events: undefined as unknown as Mailbox<RoomEvent>,
      connection,
      awayTimer: null,
    };
    member.events = this.#mailbox(member);
    return member;
  }

  #resumeToken(roomId: string, participant: ParticipantView, rt: string): string {
    return issueResume(this.#o.secret, participant, roomId, Date.now(), rt, this.#o.resumeTokenTtlMs);
  }

  #welcome(member: Member, room: RoomView & { participants: ParticipantView[] }, resumed: boolean): RoomEvent {
    // Redis holds the media state (any instance may have set it): me as the roster has it.
    const me = room.participants.find((p) => p.id === member.participant.id);
    if (me) member.participant.media = me.media;
    return { __typename: 'Welcome', me: member.participant, token: member.token, resumeToken: member.resumeToken, resumed, room };
  }

  #current(member: Member): boolean {
    return this.#streams.get(member.participant.id)?.member === member;
  }

  #mailbox(member: Member): Mailbox<RoomEvent> {
    return ownedMailbox(
      member,
      this.#o.mailboxCapacity ?? Limits.mailboxCapacity,
      () => this.leave(member, 'overflow'),
      () => this.#detached(member),
      { maxBytes: this.#o.mailboxBytes ?? Limits.mailboxBytes, weigh: eventBytes },
    );
  }

  /** The member's reader went away: a lost connection waits out the grace (events held); anything else leaves. */
  #detached(member: Member): void {
    const grace = this.#o.resumeGraceMs ?? 0;
    if (grace <= 0 || !member.connection.lost() || !this.#current(member)) {
      this.leave(member, 'ended');
      return;
    }
    member.events = this.#mailbox(member);
    member.awayTimer = setTimeout(() => this.leave(member, 'ended'), grace);
    member.awayTimer.unref?.();
  }
}

/** A Redis failure becomes SIGNALING_UNAVAILABLE (the client may retry: nothing was done); the cause stays in `cause`. */
function unavailable(err: unknown): never {
  if (err instanceof ParleyError) throw err;
  throw new ParleyError(
    ErrorCode.SIGNALING_UNAVAILABLE,
    'Calls cannot be reached right now (the server lost its link to Redis). Try again in a moment.',
    undefined,
    { cause: err },
  );
}
