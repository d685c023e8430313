/**
 * A call as the room page sees it: who is in it, one tile per other participant with
 * its stream, media state, speaking flag and link quality, and our mute/camera switches.
 * Wraps a Mesh (which knows nothing about Svelte), the speaker and stats samplers, and
 * our LocalMediaState; turns their callbacks into reactive state. Components only read
 * this and call its methods.
 */
import type { GraphQLRequestError } from '$lib/graphql/errors';
import { policyWanted, type BandwidthView, type PeerBandwidth } from '$lib/rtc/bandwidth/controller';
import { fetchIceServers } from '$lib/rtc/ice-servers';
import { describeMedia } from '$lib/rtc/media';
import { DEFAULT_MEDIA, type MediaState } from '$lib/rtc/media-state';
import { Mesh } from '$lib/rtc/mesh';
import type { PeerState } from '$lib/rtc/peer';
import type { LinkQuality } from '$lib/rtc/quality';
import type { LinkStatus, RoomMember } from '$lib/rtc/signaling-channel';
import { SpeakerSampler } from '$lib/rtc/speaker-sampler';
import { StatsSampler } from '$lib/rtc/stats-sampler';
import { installTestHook } from '$lib/rtc/test-hook';
import { ChatState } from '$lib/chat/chat.svelte';
import { ScreenShareState } from './screen.svelte';
import type { LocalMediaState } from './local-media.svelte';

export type CallPhase = 'joining' | 'live' | 'ended';

export interface RemoteTile {
  id: string;
  name: string;
  state: PeerState;
  stream: MediaStream | null;
  media: MediaState;
  speaking: boolean;
  quality: LinkQuality | null;
}

interface RemoteMedia {
  state: PeerState;
  stream: MediaStream | null;
}

export class Call {
  readonly local: LocalMediaState;
  /** The room chat (lib/chat): fed by the mesh, sent over the call's socket. */
  readonly chat: ChatState;
  /** Screen sharing: ours, and the others' screens (./screen.svelte.ts). */
  readonly screen: ScreenShareState;
  #phase = $state<CallPhase>('joining');
  #me = $state.raw<RoomMember | null>(null);
  #participants = $state.raw<readonly RoomMember[]>([]);
  #remote = $state.raw<ReadonlyMap<string, RemoteMedia>>(new Map());
  #speaking = $state.raw<ReadonlySet<string>>(new Set());
  #activeSpeaker = $state<string | null>(null);
  #quality = $state.raw<ReadonlyMap<string, LinkQuality>>(new Map());
  #error = $state<string | null>(null);
  #link = $state<LinkStatus>('connected');
  #mesh: Mesh | null = null;
  #bandwidth = $state.raw<BandwidthView>(new Map());
  #stats: StatsSampler | null = null;
  #speakers: SpeakerSampler | null = null;
  #unlisten: (() => void) | null = null;

  readonly #members = $derived(new Map(this.#participants.map((p) => [p.id, p])));

  readonly tiles = $derived.by((): RemoteTile[] =>
    [...this.#remote].map(([id, m]) => {
      const member = this.#members.get(id);
      return {
        id,
        name: member?.displayName ?? 'Someone',
        ...m,
        media: member?.media ?? DEFAULT_MEDIA,
        speaking: this.#speaking.has(id),
        quality: this.#quality.get(id) ?? null,
      };
    }),
  );

  constructor(
    readonly slug: string,
    readonly displayName: string | undefined,
    local: LocalMediaState,
  ) {
    this.local = local;
    this.chat = new ChatState({
      send: (text) => this.#mesh?.sendChat(text) ?? Promise.reject(new Error('Not in the call yet.')),
      me: () => this.#me?.id ?? null,
    });
    this.screen = new ScreenShareState({
      share: (stream) => {
        this.#mesh?.setScreen(stream);
        this.#mesh?.setMedia(stream ? { screen: true, screenStreamId: stream.id } : { screen: false, screenStreamId: null });
      },
      people: () =>
        this.#participants.flatMap((p) => (p.id === this.#me?.id ? [] : [{ id: p.id, name: p.displayName, media: p.media }])),
    });
  }

  get phase(): CallPhase {
    return this.#phase;
  }
  get me(): RoomMember | null {
    return this.#me;
  }
  get participants(): readonly RoomMember[] {
    return this.#participants;
  }
  get muted(): boolean {
    return this.local.muted || !this.local.hasMic;
  }
  get videoOff(): boolean {
    return this.local.videoOff || !this.local.hasCamera;
  }
  /** The remote participant heard last (kept until someone else speaks). */
  get activeSpeaker(): string | null {
    return this.#activeSpeaker;
  }
  /** 'reconnecting' while the socket to the server is down; the call's media goes on. */
  get link(): LinkStatus {
    return this.#link;
  }
  /** How our video to `id` fares and what they told us about theirs (./bandwidth). */
  bandwidthOf(id: string): PeerBandwidth | null {
    return this.#bandwidth.get(id) ?? null;
  }
  /** Reports the size a remote tile is drawn at to its sender; returns the stop. */
  observeTile(id: string, element: Element): () => void {
    return this.#mesh?.bandwidth.observeTile(id, element) ?? (() => {});
  }
  /** Why the call ended, when it was not our choice. */
  get error(): string | null {
    return this.#error;
  }
  /** The media fallback sentence ("…you joined with audio only."), if any. */
  get mediaNotice(): string | null {
    return this.local.current ? describeMedia(this.local.current, true) : null;
  }
  /** The stats sampler, for whoever acts on link figures (bandwidth, details). */
  get stats(): StatsSampler | null {
    return this.#stats;
  }

  /** Joins once the ICE servers are known (pass a prefetched list to save a round trip). */
  async start(iceServersPromise: Promise<RTCIceServer[]> = fetchIceServers()): Promise<void> {
    const iceServers = await iceServersPromise;
    const tracks = this.local.tracks;
    if (this.#phase === 'ended' || !tracks) return;
    const mesh = new Mesh({
      slug: this.slug,
      displayName: this.displayName,
      localStream: tracks.stream,
      iceServers,
      bandwidthPolicy: policyWanted(location.search),
      // Without a camera or microphone (or denied) we show as camera off / muted.
      initialMedia: { ...DEFAULT_MEDIA, audio: !this.muted, video: !this.videoOff },
      handlers: {
        roster: (participants, me) => {
          this.#me = me;
          this.#participants = participants;
          this.#phase = 'live';
        },
        peerState: (id, state) => this.#update(id, { state }),
        peerStream: (id, stream) => this.#update(id, { stream }),
        peerExtraStream: (id, stream) => this.screen.addStream(id, stream),
        peerRemoved: (id) => {
          this.screen.forget(id);
          const next = new Map(this.#remote);
          next.delete(id);
          this.#remote = next;
        },
        ended: (err) => this.#end(err),
        link: (status) => (this.#link = status),
        peerError: (id, err) => console.warn(`Parley: negotiation with ${id} hit a snag`, err),
        chat: (messages) => this.chat.receive(messages),
      },
    });
    this.#mesh = mesh;
    this.#unlisten = tracks.onTrack((kind, track) => void mesh.replaceTrack(kind, track));
    const links = () => [...mesh.peers].map(([id, peer]): [string, RTCPeerConnection] => [id, peer.connection]);
    const media = (id: string) => this.#members.get(id)?.media ?? DEFAULT_MEDIA;
    this.#stats = new StatsSampler(links, (id) => media(id).video);
    this.#stats.onSample((id, _sample, quality) => (this.#quality = new Map(this.#quality).set(id, quality)));
    this.#speakers = new SpeakerSampler(links, (id) => !media(id).audio, ({ speaking, active }) => {
      this.#speaking = speaking;
      if (active) this.#activeSpeaker = active;
    });
    this.#stats.start();
    this.#speakers.start();
    mesh.bandwidth.subscribe((view) => (this.#bandwidth = view));
    installTestHook(() => this.#mesh);
  }

  toggleMute(): void {
    const muted = !this.local.muted;
    this.local.setMuted(muted);
    this.#mesh?.setMedia({ audio: !muted && this.local.hasMic });
  }

  /** Stop video releases the camera; Start video opens it again. Rejects if it cannot. */
  async toggleVideo(): Promise<void> {
    const off = !this.local.videoOff;
    if (off) this.#mesh?.setMedia({ video: false });
    await this.local.setVideoOff(off);
    if (!off) this.#mesh?.setMedia({ video: true });
  }

  /** Leaves the call (idempotent); the page decides what happens to the camera. */
  leave(): void {
    if (this.#phase === 'ended') return;
    this.#phase = 'ended';
    this.#stopSamplers();
    this.screen.stop();
    this.#mesh?.leave();
  }

  #end(err?: GraphQLRequestError): void {
    this.#phase = 'ended';
    this.screen.stop();
    this.#stopSamplers();
    this.#remote = new Map();
    if (err) this.#error = err.message;
  }

  #stopSamplers(): void {
    this.#stats?.stop();
    this.#speakers?.stop();
    this.#unlisten?.();
    this.#unlisten = null;
  }

  #update(id: string, change: Partial<RemoteMedia>): void {
    if (this.#phase === 'ended') return;
    const next = new Map(this.#remote);
    const current = next.get(id) ?? { state: 'connecting' as const, stream: null };
    next.set(id, { ...current, ...change });
    this.#remote = next;
    if (!this.#members.has(id) && this.#activeSpeaker === id) this.#activeSpeaker = null;
  }
}
