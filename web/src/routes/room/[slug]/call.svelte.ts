/**
 * A call as the room page sees it: who is in it, one tile per other participant with
 * its stream and connection state, and our mute/camera switches. Wraps a Mesh (which
 * knows nothing about Svelte) and turns its callbacks into reactive state; components
 * only read this and call its methods.
 */
import type { GraphQLRequestError } from '$lib/graphql/errors';
import { fetchIceServers } from '$lib/rtc/ice-servers';
import { describeMedia, type LocalMedia } from '$lib/rtc/media';
import { Mesh } from '$lib/rtc/mesh';
import type { PeerState } from '$lib/rtc/peer';
import type { LinkStatus, RoomMember } from '$lib/rtc/signaling-channel';
import { installTestHook } from '$lib/rtc/test-hook';
import { ChatState } from '$lib/chat/chat.svelte';

export type CallPhase = 'joining' | 'live' | 'ended';

export interface RemoteTile {
  id: string;
  name: string;
  state: PeerState;
  stream: MediaStream | null;
}

interface RemoteMedia {
  state: PeerState;
  stream: MediaStream | null;
}

export class Call {
  readonly media: LocalMedia;
  /** The room chat (lib/chat): fed by the mesh, sent over the call's socket. */
  readonly chat: ChatState;
  #phase = $state<CallPhase>('joining');
  #me = $state.raw<RoomMember | null>(null);
  #participants = $state.raw<readonly RoomMember[]>([]);
  #remote = $state.raw<ReadonlyMap<string, RemoteMedia>>(new Map());
  #muted = $state(false);
  #videoOff = $state(false);
  #error = $state<string | null>(null);
  #link = $state<LinkStatus>('connected');
  #mesh: Mesh | null = null;

  readonly tiles = $derived.by((): RemoteTile[] => {
    const names = new Map(this.#participants.map((p) => [p.id, p.displayName]));
    return [...this.#remote].map(([id, m]) => ({ id, name: names.get(id) ?? 'Someone', ...m }));
  });

  constructor(
    readonly slug: string,
    readonly displayName: string | undefined,
    media: LocalMedia,
  ) {
    this.media = media;
    this.chat = new ChatState({
      send: (text) => this.#mesh?.sendChat(text) ?? Promise.reject(new Error('Not in the call yet.')),
      me: () => this.#me?.id ?? null,
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
    return this.#muted;
  }
  get videoOff(): boolean {
    return this.#videoOff;
  }
  get hasAudio(): boolean {
    return this.media.stream.getAudioTracks().length > 0;
  }
  get hasVideo(): boolean {
    return this.media.stream.getVideoTracks().length > 0;
  }
  /** 'reconnecting' while the socket to the server is down; the call's media goes on. */
  get link(): LinkStatus {
    return this.#link;
  }
  /** Why the call ended, when it was not our choice. */
  get error(): string | null {
    return this.#error;
  }
  /** The media fallback sentence ("…you joined with audio only."), if any. */
  get mediaNotice(): string | null {
    return describeMedia(this.media, true);
  }

  /** Joins once the ICE servers are known (pass a prefetched list to save a round trip). */
  async start(iceServersPromise: Promise<RTCIceServer[]> = fetchIceServers()): Promise<void> {
    const iceServers = await iceServersPromise;
    if (this.#phase === 'ended') return;
    this.#mesh = new Mesh({
      slug: this.slug,
      displayName: this.displayName,
      localStream: this.media.stream,
      iceServers,
      handlers: {
        roster: (participants, me) => {
          this.#me = me;
          this.#participants = participants;
          this.#phase = 'live';
        },
        peerState: (id, state) => this.#update(id, { state }),
        peerStream: (id, stream) => this.#update(id, { stream }),
        peerRemoved: (id) => {
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
    installTestHook(() => this.#mesh);
  }

  toggleMute(): void {
    this.#muted = !this.#muted;
    this.#setEnabled('audio', !this.#muted);
  }

  toggleVideo(): void {
    this.#videoOff = !this.#videoOff;
    this.#setEnabled('video', !this.#videoOff);
  }

  #setEnabled(kind: 'audio' | 'video', enabled: boolean): void {
    if (this.#mesh) this.#mesh.setEnabled(kind, enabled);
    else for (const t of this.media.stream.getTracks()) if (t.kind === kind) t.enabled = enabled;
  }

  /** Leaves the call (idempotent); the page decides what happens to the camera. */
  leave(): void {
    if (this.#phase === 'ended') return;
    this.#phase = 'ended';
    this.#mesh?.leave();
  }

  #end(err?: GraphQLRequestError): void {
    this.#phase = 'ended';
    this.#remote = new Map();
    if (err) this.#error = err.message;
  }

  #update(id: string, change: Partial<RemoteMedia>): void {
    if (this.#phase === 'ended') return;
    const next = new Map(this.#remote);
    const current = next.get(id) ?? { state: 'connecting' as const, stream: null };
    next.set(id, { ...current, ...change });
    this.#remote = next;
  }
}
