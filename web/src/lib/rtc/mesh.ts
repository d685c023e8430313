/**
 * The call as a full mesh: one Peer per other participant, kept in step with presence.
 * Who offers: the newcomer, to everyone listed in its Welcome; those already there make a
 * Peer on ParticipantJoined and wait for its offer. A participant who leaves has its Peer
 * closed. Mute and camera off toggle `track.enabled`, which needs no renegotiation.
 * Owned by the page's call state (routes/room/[slug]/call.svelte.ts); reports upward only
 * through MeshHandlers. Knows nothing about Svelte.
 */
import type { GraphQLRequestError } from '$lib/graphql/errors';
import { Peer, type PeerOptions, type PeerState } from './peer';
import {
  GraphQLRoomChannel,
  type IncomingSignal,
  type PresenceHandlers,
  type RoomMember,
  type SignalingChannel,
} from './signaling-channel';

export interface MeshHandlers {
  /** Everyone in the call (us included), after every presence change. */
  roster(participants: readonly RoomMember[], me: RoomMember): void;
  peerState(id: string, state: PeerState): void;
  peerStream(id: string, stream: MediaStream): void;
  /** The participant left (or we rejoined): its Peer is closed. */
  peerRemoved(id: string): void;
  /** The call ended: `error` when the server or the network ended it. */
  ended(error?: GraphQLRequestError): void;
  /** A negotiation step failed; logged, the call goes on. */
  peerError?(id: string, error: unknown): void;
}

export interface MeshOptions {
  slug: string;
  displayName: string | undefined;
  localStream: MediaStream;
  iceServers: RTCIceServer[];
  handlers: MeshHandlers;
  /** Tests replace the GraphQL channel and the RTCPeerConnection. */
  openChannel?: (presence: PresenceHandlers) => SignalingChannel & { leave(): void };
  createConnection?: PeerOptions['createConnection'];
}

/** How many closed Peers the test hook can still inspect. */
const DEPARTED_KEPT = 16;

export class Mesh {
  readonly #options: MeshOptions;
  readonly #channel: SignalingChannel & { leave(): void };
  readonly #peers = new Map<string, Peer>();
  readonly #members = new Map<string, RoomMember>();
  readonly #departed: Peer[] = [];
  #me: RoomMember | null = null;
  #left = false;

  /** Joins the call at once; the Welcome starts the negotiations. */
  constructor(options: MeshOptions) {
    this.#options = options;
    const presence: PresenceHandlers = {
      welcome: (me, participants) => this.#onWelcome(me, participants),
      joined: (p) => this.#onJoined(p),
      left: (p) => this.#onLeft(p),
      ended: (err) => this.#onEnded(err),
    };
    this.#channel = options.openChannel
      ? options.openChannel(presence)
      : new GraphQLRoomChannel(options.slug, options.displayName, presence);
    this.#channel.onSignal((s) => this.#onSignal(s));
  }

  get me(): RoomMember | null {
    return this.#me;
  }

  /** The live Peers by participant id (read-only use: stats, the test hook). */
  get peers(): ReadonlyMap<string, Peer> {
    return this.#peers;
  }

  /** Recently closed Peers, newest last. */
  get departed(): readonly Peer[] {
    return this.#departed;
  }

  /** Mute/unmute or camera off/on for everyone at once. */
  setEnabled(kind: 'audio' | 'video', enabled: boolean): void {
    for (const track of this.#options.localStream.getTracks()) if (track.kind === kind) track.enabled = enabled;
  }

  /** Leaves the call: every Peer closed, the subscription ended. Idempotent. */
  leave(): void {
    if (this.#left) return;
    this.#left = true;
    this.#closeAll();
    this.#channel.leave();
  }

  #onWelcome(me: RoomMember, participants: RoomMember[]): void {
    // A second Welcome means graphql-ws re-joined on a new socket: we are someone new.
    this.#closeAll();
    this.#me = me;
    this.#members.clear();
    for (const p of participants) this.#members.set(p.id, p);
    this.#members.set(me.id, me);
    this.#roster();
    for (const p of participants) if (p.id !== me.id) this.#peer(p.id).start();
  }

  #onJoined(p: RoomMember): void {
    this.#members.set(p.id, p);
    this.#roster();
    this.#peer(p.id); // waits for the newcomer's offer
  }

  #onLeft(p: RoomMember): void {
    this.#members.delete(p.id);
    this.#roster();
    this.#remove(p.id);
  }

  #onEnded(error?: GraphQLRequestError): void {
    if (this.#left) return;
    this.#left = true;
    this.#closeAll();
    this.#options.handlers.ended(error);
  }

  #onSignal({ from, kind, payload }: IncomingSignal): void {
    if (!this.#me || from === this.#me.id) return;
    // Normally ParticipantJoined came first; a Peer made here waits for the offer too.
    this.#peer(from).handleSignal(kind, payload);
  }

  /** The Peer for a participant, created (not started) when there is none. */
  #peer(id: string): Peer {
    const existing = this.#peers.get(id);
    if (existing) return existing;
    const me = this.#me!;
    const { handlers } = this.#options;
    const peer = new Peer({
      remoteId: id,
      // Deterministic and opposite on the two sides: the larger id yields on glare.
      polite: me.id > id,
      configuration: { iceServers: this.#options.iceServers },
      localStream: this.#options.localStream,
      send: (kind, payload) =>
        this.#channel.send(id, kind, payload).catch((err: unknown) => {
          // NOT_IN_ROOM: they left while we spoke; their ParticipantLeft is on its way.
          if ((err as GraphQLRequestError).code !== 'NOT_IN_ROOM') throw err;
        }),
      createConnection: this.#options.createConnection,
    });
    peer.on('state', (state) => handlers.peerState(id, state));
    peer.on('stream', (stream) => handlers.peerStream(id, stream));
    peer.on('error', (err) => handlers.peerError?.(id, err));
    this.#peers.set(id, peer);
    handlers.peerState(id, peer.state);
    return peer;
  }

  #remove(id: string): void {
    const peer = this.#peers.get(id);
    if (!peer) return;
    this.#peers.delete(id);
    peer.close();
    this.#departed.push(peer);
    if (this.#departed.length > DEPARTED_KEPT) this.#departed.shift();
    this.#options.handlers.peerRemoved(id);
  }

  #closeAll(): void {
    for (const id of [...this.#peers.keys()]) this.#remove(id);
  }

  #roster(): void {
    if (this.#me) this.#options.handlers.roster([...this.#members.values()], this.#me);
  }
}
