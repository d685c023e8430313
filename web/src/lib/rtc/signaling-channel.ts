/**
 * The call's link to the server: presence (who is in the call) and the relay of offers,
 * answers and ICE candidates. `SignalingChannel` is all a Peer's negotiation needs;
 * `GraphQLRoomChannel` implements it over the joinRoom subscription and the sendSignal
 * mutation, both on the one graphql-ws socket so signals keep their order. Used by
 * mesh.ts; nothing here knows about RTCPeerConnection.
 */
import { mutate, subscribe } from '$lib/graphql/client';
import type { GraphQLRequestError } from '$lib/graphql/errors';
import type { SignalKind } from '$lib/graphql/generated/graphql';
import { JoinRoomDocument, SendSignalDocument } from '$lib/graphql/operations';

export type { SignalKind } from '$lib/graphql/generated/graphql';

/** Someone in the call, as the server names them. */
export interface RoomMember {
  id: string;
  displayName: string;
  joinedAt: string;
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

/** What the room tells the mesh besides signals. */
export interface PresenceHandlers {
  /** First event of every join (again after graphql-ws re-subscribed on a new socket). */
  welcome(me: RoomMember, participants: RoomMember[]): void;
  joined(participant: RoomMember): void;
  left(participant: RoomMember): void;
  /** The subscription ended for good: `error` unless we left ourselves. */
  ended(error?: GraphQLRequestError): void;
}

export class GraphQLRoomChannel implements SignalingChannel {
  #token: string | null = null;
  #stop: (() => void) | null = null;
  readonly #receivers = new Set<(signal: IncomingSignal) => void>();

  /** Joins the room's call now; presence reaches `handlers`, signals reach onSignal. */
  constructor(slug: string, displayName: string | undefined, handlers: PresenceHandlers) {
    this.#stop = subscribe(JoinRoomDocument, { slug, displayName }, {
      next: ({ joinRoom: event }) => {
        switch (event.__typename) {
          case 'Welcome':
            this.#token = event.token;
            handlers.welcome(event.me, event.room.participants);
            break;
          case 'ParticipantJoined':
            handlers.joined(event.participant);
            break;
          case 'ParticipantLeft':
            handlers.left(event.participant);
            break;
          case 'Signal':
            this.#deliver(event.from, event.kind, event.payload);
            break;
        }
      },
      error: (err) => {
        this.#token = null;
        handlers.ended(err);
      },
      complete: () => {
        this.#token = null;
        handlers.ended();
      },
    });
  }

  async send(to: string, kind: SignalKind, payload: unknown): Promise<void> {
    const token = this.#token;
    if (!token) return; // not (or no longer) joined: nobody could receive it
    await mutate(SendSignalDocument, { input: { token, to, kind, payload: JSON.stringify(payload) } });
  }

  onSignal(cb: (signal: IncomingSignal) => void): () => void {
    this.#receivers.add(cb);
    return () => this.#receivers.delete(cb);
  }

  /** Ends the subscription, which is leaving the call. Idempotent. */
  leave(): void {
    this.#token = null;
    this.#stop?.();
    this.#stop = null;
    this.#receivers.clear();
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
