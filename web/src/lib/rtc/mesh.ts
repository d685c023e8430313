/**
 * The call as a full mesh: one Peer per other participant, kept in step with presence.
 * Who offers: the newcomer, to everyone listed in its Welcome; those already there make a
 * Peer on ParticipantJoined and wait for its offer. A participant who leaves has its Peer
 * closed. Media state goes to the server through the channel; track changes (camera
 * off/on, another device) are replaceTrack on every Peer: no renegotiation.
 * After a resume (same participant, new socket) the mesh stays as it is: media is peer to
 * peer and never stopped; presence is reconciled by ./reconcile.ts. Owned by the page's call state (routes/room/[slug]/call.svelte.ts); reports upward only
 * through MeshHandlers. Knows nothing about Svelte.
 */
import type { GraphQLRequestError } from '$lib/graphql/errors';
import { BandwidthController } from './bandwidth/controller';
import type { ChatEntry } from '$lib/chat/order';
import type { MediaState } from './media-state';
import { Peer, type PeerOptions, type PeerState } from './peer';
import { ADOPT_AFTER_MS, MISSING_GRACE_MS, reconcileResume } from './reconcile';
import {
  GraphQLRoomChannel,
  type IncomingSignal,
  type LinkStatus,
  type PresenceHandlers,
  type RoomMember,
  type SignalingChannel,
} from './signaling-channel';

export interface MeshHandlers {
  /** Everyone in the call (us included), after every presence change. */
  roster(participants: readonly RoomMember[], me: RoomMember): void;
  peerState(id: string, state: PeerState): void;
  peerStream(id: string, stream: MediaStream): void;
  /** Another stream of theirs besides the camera (a shared screen; ./screen-share.ts). */
  peerExtraStream?(id: string, stream: MediaStream): void;
  /** The participant left (or we rejoined): its Peer is closed. */
  peerRemoved(id: string): void;
  /** The call ended: `error` when the server or the network ended it. */
  ended(error?: GraphQLRequestError): void;
  /** A negotiation step failed; logged, the call goes on. */
  peerError?(id: string, error: unknown): void;
  /** The signaling socket dropped (the call goes on) or came back. */
  link?(status: LinkStatus): void;
  /** Chat messages from the room (history on Welcome, then each new one). */
  chat?(messages: ChatEntry[]): void;
}

/** What the mesh did since it started, for the test hook. */
export interface MeshCounters {
  peersCreated: number;
  welcomes: number;
  resumes: number;
}

export interface MeshOptions {
  slug: string;
  displayName: string | undefined;
  localStream: MediaStream;
  iceServers: RTCIceServer[];
  handlers: MeshHandlers;
  /** What we announce at the first Welcome (no camera or microphone: off). */
  initialMedia?: MediaState;
  /** Tests replace the GraphQL channel and the RTCPeerConnection. */
  openChannel?: (presence: PresenceHandlers) => MeshChannel;
  createConnection?: PeerOptions['createConnection'];
  /** false: measure links but leave encoders alone (`?bandwidth=off`, for comparisons). */
  bandwidthPolicy?: boolean;
}

type MeshChannel = SignalingChannel & { leave(): void; setMedia?(patch: Partial<MediaState>): void; sendChat?(text: string): Promise<void> };

/** The longest the page waits after a Welcome for our offers before it shows the call. */
export const UI_AFTER_OFFERS_MAX_MS = 500;

/** How many closed Peers the test hook can still inspect. */
const DEPARTED_KEPT = 16;

export class Mesh {
  readonly #options: MeshOptions;
  readonly #channel: MeshChannel;
  readonly #peers = new Map<string, Peer>();
  readonly #members = new Map<string, RoomMember>();
  readonly #departed: Peer[] = [];
  /** Participants missing from a resumed Welcome: closed when their timer fires. */
  readonly #missing = new Map<string, ReturnType<typeof setTimeout>>();
  /** Participants we found in a resumed Welcome without a Peer: offered to if silent. */
  readonly #adopting = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #counters: MeshCounters = { peersCreated: 0, welcomes: 0, resumes: 0 };
  readonly #bandwidth: BandwidthController;
  #me: RoomMember | null = null;
  #left = false;
  #link: LinkStatus = 'connected';
  /** The screen we share, given to every Peer now and to come. */
  #screen: MediaStream | null = null;

  /** Joins the call at once; the Welcome starts the negotiations. */
  constructor(options: MeshOptions) {
    this.#options = options;
    this.#bandwidth = new BandwidthController({ localStream: options.localStream, enabled: options.bandwidthPolicy ?? true });
    const presence: PresenceHandlers = {
      welcome: (me, participants) => this.#onWelcome(me, participants),
      resumed: (me, participants) => this.#onResumed(me, participants),
      joined: (p) => this.#onJoined(p),
      left: (p) => this.#onLeft(p),
      updated: (p) => {
        if (!this.#members.has(p.id)) return;
        this.#members.set(p.id, p);
        this.#roster();
      },
      link: (status) => {
        this.#link = status;
        options.handlers.link?.(status);
      },
      ended: (err) => this.#onEnded(err),
      chat: (messages) => options.handlers.chat?.(messages),
    };
    this.#channel = options.openChannel
      ? options.openChannel(presence)
      : new GraphQLRoomChannel(options.slug, options.displayName, presence, undefined, options.initialMedia);
    this.#channel.onSignal((s) => this.#onSignal(s));
  }

  get me(): RoomMember | null {
    return this.#me;
  }

  /** The live Peers by participant id (read-only use: stats, the test hook). */
  get peers(): ReadonlyMap<string, Peer> {
    return this.#peers;
  }

  get counters(): Readonly<MeshCounters> {
    return this.#counters;
  }

  /** Per-peer bandwidth verdicts and figures; tiles report their size through it. */
  get bandwidth(): BandwidthController {
    return this.#bandwidth;
  }

  get link(): LinkStatus {
    return this.#link;
  }

  /** Recently closed Peers, newest last. */
  get departed(): readonly Peer[] {
    return this.#departed;
  }

  /** Mute/unmute or camera off/on for everyone at once. */
  setEnabled(kind: 'audio' | 'video', enabled: boolean): void {
    for (const track of this.#options.localStream.getTracks()) if (track.kind === kind) track.enabled = enabled;
  }

  /** Posts to the room's chat over the call's socket (lib/chat/chat.svelte.ts calls it). */
  sendChat(text: string): Promise<void> {
    return this.#channel.sendChat?.(text) ?? Promise.reject(new Error('This channel has no chat'));
  }

  /** Shares a screen with everyone (null: stops); Peers made later get it too. */
  setScreen(stream: MediaStream | null): void {
    this.#screen = stream;
    for (const peer of this.#peers.values()) peer.setScreen(stream);
  }

  /** Tells the others what we send (mute, camera, screen); the last change wins. */
  setMedia(patch: Partial<MediaState>): void {
    this.#channel.setMedia?.(patch);
  }

  /** Sends `track` (null: nothing) instead of what went out of its kind, on every link; no renegotiation. */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    await Promise.all([...this.#peers.values()].map((peer) => peer.replaceTrack(kind, track)));
  }

  /** Leaves the call: every Peer closed, the subscription ended. Idempotent. */
  leave(): void {
    if (this.#left) return;
    this.#left = true;
    this.#closeAll();
    this.#bandwidth.stop();
    this.#channel.leave();
  }

  #onWelcome(me: RoomMember, participants: RoomMember[]): void {
    this.#counters.welcomes++;
    // A second fresh Welcome means our resume came too late: we are someone new.
    this.#closeAll();
    this.#me = me;
    this.#members.clear();
    for (const p of participants) this.#members.set(p.id, p);
    this.#members.set(me.id, me);
    // The offers first, the page after them: telling the page makes it render everyone's
    // tiles, the longest task of a join on a busy machine, and an offer that finished
    // behind it would wait for it. So the page hears of the Welcome once every offer is
    // on its way (or after UI_AFTER_OFFERS_MAX_MS), and renders while the offers travel
    // (docs/call-setup.md).
    const offers: Promise<void>[] = [];
    const fresh: string[] = [];
    for (const p of participants) {
      if (p.id === me.id) continue;
      fresh.push(p.id);
      offers.push(this.#peer(p.id, false).start());
    }
    if (offers.length === 0) return this.#roster();
    const welcome = this.#counters.welcomes;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, UI_AFTER_OFFERS_MAX_MS)));
    void Promise.race([Promise.allSettled(offers), cap]).then(() => {
      clearTimeout(timer);
      // A later Welcome or leaving made this one stale.
      if (this.#counters.welcomes !== welcome || this.#left) return;
      for (const id of fresh) {
        const peer = this.#peers.get(id);
        if (peer) this.#options.handlers.peerState(id, peer.state);
      }
      this.#roster();
    });
  }

  /** Same participant on a new socket: keep every Peer, reconcile who is here. */
  #onResumed(me: RoomMember, participants: RoomMember[]): void {
    this.#counters.resumes++;
    this.#me = me;
    const plan = reconcileResume(me.id, [...this.#peers.keys()], participants);
    const before = new Map(this.#members);
    this.#members.clear();
    for (const p of participants) this.#members.set(p.id, p);
    this.#members.set(me.id, me);
    for (const id of plan.keep) this.#clearMissing(id);
    for (const id of plan.missing) {
      // Maybe not back yet after a server restart: kept (and listed) for a while.
      const known = before.get(id);
      if (known) this.#members.set(id, known);
      if (!this.#missing.has(id)) this.#missing.set(id, setTimeout(() => this.#expireMissing(id), MISSING_GRACE_MS));
    }
    for (const id of plan.adopt) this.#adopt(id);
    this.#roster();
  }

  #onJoined(p: RoomMember): void {
    this.#members.set(p.id, p);
    this.#roster();
    // Someone we still have a Peer for came back after a server restart: nothing to do.
    this.#clearMissing(p.id);
    this.#clearAdopt(p.id);
    this.#peer(p.id); // waits for the newcomer's offer (or is the Peer we already have)
  }

  #onLeft(p: RoomMember): void {
    this.#clearMissing(p.id);
    this.#clearAdopt(p.id);
    this.#members.delete(p.id);
    this.#roster();
    this.#remove(p.id);
  }

  #onEnded(error?: GraphQLRequestError): void {
    if (this.#left) return;
    this.#left = true;
    this.#closeAll();
    this.#bandwidth.stop();
    this.#options.handlers.ended(error);
  }

  #onSignal({ from, kind, payload }: IncomingSignal): void {
    if (!this.#me || from === this.#me.id) return;
    // Normally ParticipantJoined came first; a Peer made here waits for the offer too.
    this.#peer(from).handleSignal(kind, payload);
  }

  /**
   * The Peer for a participant, created (not started) when there is none. `announce`:
   * false when the caller tells the page about it later (#onWelcome).
   */
  #peer(id: string, announce = true): Peer {
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
    this.#counters.peersCreated++;
    peer.on('state', (state) => {
      // One missing since a resume whose link also fails is not coming back.
      if (state === 'failed' && this.#missing.has(id)) return this.#expireMissing(id);
      handlers.peerState(id, state);
    });
    peer.on('stream', (stream) => handlers.peerStream(id, stream));
    peer.on('extraStream', (stream) => handlers.peerExtraStream?.(id, stream));
    if (this.#screen) peer.setScreen(this.#screen);
    peer.on('error', (err) => handlers.peerError?.(id, err));
    this.#peers.set(id, peer);
    this.#bandwidth.add(id, peer);
    if (announce) handlers.peerState(id, peer.state);
    return peer;
  }

  #remove(id: string): void {
    const peer = this.#peers.get(id);
    if (!peer) return;
    this.#peers.delete(id);
    this.#bandwidth.remove(id);
    peer.close();
    this.#departed.push(peer);
    if (this.#departed.length > DEPARTED_KEPT) this.#departed.shift();
    this.#options.handlers.peerRemoved(id);
  }

  #closeAll(): void {
    for (const id of [...this.#missing.keys()]) this.#clearMissing(id);
    for (const id of [...this.#adopting.keys()]) this.#clearAdopt(id);
    for (const id of [...this.#peers.keys()]) this.#remove(id);
  }

  /**
   * A participant listed in a resumed Welcome we have no Peer for. Either they joined
   * while we were away (their offer is among the events held for us, right behind the
   * Welcome) or they joined a restarted server before we were back (nobody will offer):
   * wait for their offer a moment, then offer ourselves.
   */
  #adopt(id: string): void {
    const peer = this.#peer(id);
    if (peer.negotiating || this.#adopting.has(id)) return;
    this.#adopting.set(
      id,
      setTimeout(() => {
        this.#adopting.delete(id);
        const current = this.#peers.get(id);
        if (current && !current.negotiating) current.start();
      }, ADOPT_AFTER_MS),
    );
  }

  #clearAdopt(id: string): void {
    const timer = this.#adopting.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.#adopting.delete(id);
  }

  #clearMissing(id: string): void {
    const timer = this.#missing.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.#missing.delete(id);
  }

  /** A participant missing since our resume who never came back: they are gone. */
  #expireMissing(id: string): void {
    this.#clearMissing(id);
    this.#members.delete(id);
    this.#roster();
    this.#remove(id);
  }


  #roster(): void {
    if (this.#me) this.#options.handlers.roster([...this.#members.values()], this.#me);
  }
}
