/**
 * The call's link to the server: presence (who is in the call) and the relay of offers,
 * answers and ICE candidates. `SignalingChannel` is all a Peer's negotiation needs;
 * `GraphQLRoomChannel` implements it over the joinRoom subscription and the sendSignal
 * mutation, both on the one graphql-ws socket so signals keep their order. When the
 * socket drops (anything but our own leave) it reconnects with backoff and resumes as the
 * same participant (docs/signaling.md, "Coming back: resume"). Used by mesh.ts; nothing
 * here knows about RTCPeerConnection.
 */
import { mutate, subscribe } from '$lib/graphql/client';
import { GraphQLRequestError } from '$lib/graphql/errors';
import { backoffDelay } from './backoff';
import type { SignalKind } from '$lib/graphql/generated/graphql';
import { JoinRoomDocument, SendChatMessageDocument, SendSignalDocument, SetMediaStateDocument } from '$lib/graphql/operations';
import type { ChatEntry } from '$lib/chat/order';
import { MediaStatePublisher, type MediaState } from './media-state';

export type { SignalKind } from '$lib/graphql/generated/graphql';

/** Someone in the call, as the server names them. */
export interface RoomMember {
  id: string;
  displayName: string;
  joinedAt: string;
  /** What they say they send (mute, camera, screen). */
  media: MediaState;
}

/** A signal addressed to us; `payload` is already parsed from its JSON text. */
export interface IncomingSignal {
  from: string;
  kind: SignalKind;
  payload: unknown;
}

/** Sends signals to, and receives them from, the other participants. */
export interface SignalingChannel {
  /** Resolves once the server accepted the signal; rejects with its error otherwise. */
  send(to: string, kind: SignalKind, payload: unknown): Promise<void>;
  /** Registers the receiver of every incoming signal; returns the unregister function. */
  onSignal(cb: (signal: IncomingSignal) => void): () => void;
}

/** Whether the socket to the server is up; the call's media does not depend on it. */
export type LinkStatus = 'connected' | 'reconnecting';

/** What the room tells the mesh besides signals. */
export interface PresenceHandlers {
  /** A fresh join: the first Welcome, or one after a resume came too late (a new id). */
  welcome(me: RoomMember, participants: RoomMember[]): void;
  /** Back on a new socket as the same participant: keep the call as it is. */
  resumed(me: RoomMember, participants: RoomMember[]): void;
  joined(participant: RoomMember): void;
  left(participant: RoomMember): void;
  /** Someone else's media state changed. */
  updated?(participant: RoomMember): void;
  /** The socket dropped (we are reconnecting) or came back. */
  link(status: LinkStatus): void;
  /** The subscription ended for good: `error` unless we left ourselves. */
  ended(error?: GraphQLRequestError): void;
  /** Chat: a Welcome's history, then each ChatMessage as it comes (lib/chat merges by seq). */
  chat?(messages: ChatEntry[]): void;
}

/** Errors after which coming back cannot work: the call ends with them. */
const FINAL_CODES = new Set(['ROOM_NOT_FOUND', 'ROOM_FULL', 'BAD_USER_INPUT']);
/** Signals waiting for the socket; past this the oldest go (a resume fixes ICE anyway). */
const OUTBOX_LIMIT = 256;

interface Outgoing {
  to: string;
  kind: SignalKind;
  payload: unknown;
  done: { resolve(): void; reject(err: unknown): void };
}

/** The few things of graphql/client.ts the channel uses; tests pass fakes. */
export interface RoomTransport {
  subscribe: typeof subscribe;
  mutate: typeof mutate;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

const browserTransport: RoomTransport = {
  subscribe,
  mutate,
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  random: Math.random,
};

export class GraphQLRoomChannel implements SignalingChannel {
  readonly #slug: string;
  readonly #displayName: string | undefined;
  readonly #handlers: PresenceHandlers;
  readonly #io: RoomTransport;
  readonly #receivers = new Set<(signal: IncomingSignal) => void>();
  #token: string | null = null;
  #resumeToken: string | null = null;
  #meId: string | null = null;
  /** Ends the current subscription; null while none runs (at most one ever does). */
  #stop: (() => void) | null = null;
  /** Which subscription is current: events of an older one are ignored. */
  #generation = 0;
  #attempt = 0;
  #retryTimer: unknown = null;
  #status: LinkStatus = 'connected';
  #left = false;
  #outbox: Outgoing[] = [];
  readonly #media: MediaStatePublisher;

  /** Joins the room's call now; presence reaches `handlers`, signals reach onSignal. */
  constructor(
    slug: string,
    displayName: string | undefined,
    handlers: PresenceHandlers,
    transport: RoomTransport = browserTransport,
    initialMedia?: MediaState,
  ) {
    this.#slug = slug;
    this.#displayName = displayName;
    this.#handlers = handlers;
    this.#io = transport;
    this.#media = new MediaStatePublisher((state) => this.#sendMedia(state), initialMedia);
    this.#connect();
  }

  /** Announces our media state (absent fields keep their value); the last change wins. */
  setMedia(patch: Partial<MediaState>): void {
    this.#media.set(patch);
  }

  async #sendMedia(state: MediaState): Promise<MediaState> {
    const token = this.#token;
    if (!token || this.#left) throw new Error('not joined');
    const { setMediaState } = await this.#io.mutate(SetMediaStateDocument, { input: { token, ...state } });
    return setMediaState.media;
  }

  get status(): LinkStatus {
    return this.#status;
  }

  async send(to: string, kind: SignalKind, payload: unknown): Promise<void> {
    if (this.#left) return;
    const token = this.#token;
    if (!token || this.#status !== 'connected') {
      // Held until we are back: a resumed participant's peers are still the same.
      return new Promise((resolve, reject) => {
        this.#outbox.push({ to, kind, payload, done: { resolve, reject } });
        if (this.#outbox.length > OUTBOX_LIMIT) this.#outbox.shift()!.done.resolve();
      });
    }
    await this.#io.mutate(SendSignalDocument, { input: { token, to, kind, payload: JSON.stringify(payload) } });
  }

  /** Posts to the room's chat; rejects with the server's error (or when we are not in the call). */
  async sendChat(text: string): Promise<void> {
    const token = this.#token;
    if (this.#left || !token || this.#status !== 'connected') {
      throw GraphQLRequestError.local('NETWORK_ERROR', 'Not connected to the call right now; try again in a moment.');
    }
    await this.#io.mutate(SendChatMessageDocument, { input: { token, text } });
  }

  onSignal(cb: (signal: IncomingSignal) => void): () => void {
    this.#receivers.add(cb);
    return () => this.#receivers.delete(cb);
  }

  /** Ends the subscription, which is leaving the call at once. Idempotent. */
  leave(): void {
    if (this.#left) return;
    this.#left = true;
    this.#token = null;
    this.#generation++;
    if (this.#retryTimer !== null) this.#io.clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#stop?.();
    this.#stop = null;
    this.#receivers.clear();
    this.#dropOutbox();
  }

  /** Starts a joinRoom subscription, resuming when we have been welcomed before. */
  #connect(): void {
    this.#retryTimer = null;
    if (this.#left) return;
    const generation = ++this.#generation;
    this.#stop?.(); // never two subscriptions at once
    const current = () => generation === this.#generation && !this.#left;
    const variables = { slug: this.#slug, displayName: this.#displayName, resume: this.#resumeToken };
    this.#stop = this.#io.subscribe(JoinRoomDocument, variables, {
      next: ({ joinRoom: event }) => {
        if (!current()) return;
        switch (event.__typename) {
          case 'Welcome':
            this.#onWelcome(event.me, event.room.participants, event.token, event.resumeToken, event.resumed);
            this.#handlers.chat?.(event.chat);
            break;
          case 'ChatMessage':
            this.#handlers.chat?.([event]);
            break;
          case 'ParticipantJoined':
            this.#handlers.joined(event.participant);
            break;
          case 'ParticipantLeft':
            this.#handlers.left(event.participant);
            break;
          case 'ParticipantUpdated':
            this.#handlers.updated?.(event.participant);
            break;
          case 'Signal':
            this.#deliver(event.from, event.kind, event.payload);
            break;
        }
      },
      error: (err) => {
        if (current()) this.#onDrop(err);
      },
      // The server ends our subscription itself only when it shuts down (before closing
      // the socket with 1012) or when a newer socket took over: both mean "come back".
      complete: () => {
        if (current()) this.#onDrop();
      },
    });
  }

  #onWelcome(me: RoomMember, participants: RoomMember[], token: string, resumeToken: string, resumed: boolean): void {
    const first = this.#meId === null;
    const same = !first && resumed && me.id === this.#meId;
    this.#token = token;
    this.#resumeToken = resumeToken;
    this.#meId = me.id;
    this.#attempt = 0;
    this.#setStatus('connected');
    if (same) this.#handlers.resumed(me, participants);
    else this.#handlers.welcome(me, participants);
    if (same) this.#flushOutbox();
    else this.#dropOutbox(); // addressed to peers of a participant we no longer are
    this.#media.welcomed(me.media);
  }

  #onDrop(error?: GraphQLRequestError): void {
    this.#stop = null;
    const final = error?.code !== undefined && FINAL_CODES.has(error.code);
    // Before the first Welcome there is nothing to resume: the join simply failed.
    if (this.#meId === null || final) {
      this.#left = true;
      this.#token = null;
      this.#dropOutbox();
      this.#handlers.ended(error);
      return;
    }
    this.#setStatus('reconnecting');
    this.#media.offline();
    let delay = backoffDelay(this.#attempt++, this.#io.random);
    const retryAfter = error?.errors[0]?.extensions?.retryAfterMs;
    if (error?.code === 'RATE_LIMITED' && typeof retryAfter === 'number') delay = Math.max(delay, retryAfter);
    this.#retryTimer = this.#io.setTimeout(() => this.#connect(), delay);
  }

  #setStatus(status: LinkStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#handlers.link(status);
  }

  #flushOutbox(): void {
    const queued = this.#outbox;
    this.#outbox = [];
    for (const { to, kind, payload, done } of queued) this.send(to, kind, payload).then(done.resolve, done.reject);
  }

  #dropOutbox(): void {
    const queued = this.#outbox;
    this.#outbox = [];
    for (const { done } of queued) done.resolve();
  }

  #deliver(from: string, kind: SignalKind, text: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      return; // the server only relays JSON; anything else is not ours to act on
    }
    for (const cb of this.#receivers) cb({ from, kind, payload });
  }
}
