/**
 * `window.__parley`: what the browser tests in tests/call read, and nothing else does.
 * It exposes the mesh's connections, counters and a summary of their getStats(); the one
 * thing it can change is `forceIceRestart`, which runs the same recovery a failed ICE
 * link gets. Installed by the room page while a call runs.
 *
 * Only test builds carry it (`pnpm --filter @parley/web build:test`, which sets
 * __PARLEY_TEST_HOOK__; see vite.config.ts): in a production build installTestHook does
 * nothing and the bundler drops the rest of this module (tests/build checks web/build).
 */
import type { PeerBandwidth } from './bandwidth/controller';
import type { LinkStatus } from './signaling-channel';
import type { Mesh, MeshCounters } from './mesh';
import type { Peer, PeerCounters, PeerState } from './peer';

export interface PeerSnapshot {
  id: string;
  iceConnectionState: RTCIceConnectionState;
  connectionState: RTCPeerConnectionState;
  signalingState: RTCSignalingState;
  /** Which RTCPeerConnection object this is: numbered on first sight, per page. */
  connection: number;
  /** The tile's state (Peer's own view). */
  state: PeerState;
  /** ICE credentials in use (a restart changes both). */
  localUfrag: string | null;
  remoteUfrag: string | null;
  counters: PeerCounters;
}

export interface Counters extends MeshCounters {
  /** Summed over live and departed Peers. */
  offersSent: number;
  iceRestarts: number;
}

export interface InboundSummary {
  id: string;
  /** Summed over the inbound-rtp entries of that kind. */
  video: { framesDecoded: number; frameWidth: number; frameHeight: number; freezeCount: number };
  audio: { audioLevel: number; totalAudioEnergy: number; totalSamplesDuration: number; packetsReceived: number; concealedSamples: number; totalSamplesReceived: number };
}

/** The bandwidth policy's view of one link, and what it set on our camera sender. */
export interface BandwidthSnapshot {
  id: string;
  quality: string;
  reason: string | null;
  remotePaused: boolean;
  /** The size they said they draw our camera at. */
  tile: { width: number; height: number } | null;
  /** Our camera sender's encodings[0] as the browser has them. */
  camera: { active: boolean; maxBitrate: number | null; scaleResolutionDownBy: number | null; maxFramerate: number | null } | null;
  /** The remote description we applied asks our Opus encoder for DTX and FEC. */
  opusDtxFec: boolean;
  controlChannel: RTCDataChannelState | null;
  stats: PeerBandwidth['stats'];
}

/** What one link sends of a kind: the track's device label (a switch changes it). */
export interface SenderSnapshot {
  id: string;
  kind: string;
  trackId: string | null;
  label: string | null;
  readyState: string | null;
}

export interface ParleyTestHook {
  me(): string | null;
  peers(): PeerSnapshot[];
  /** Peers closed since the call started (participants who left). */
  departed(): PeerSnapshot[];
  stats(): Promise<InboundSummary[]>;
  counters(): Counters | null;
  /** The signaling socket: 'reconnecting' while it is down. */
  link(): LinkStatus | null;
  bandwidth(): { enabled: boolean; applyErrors: number; lastApplyError: string | null; peers: BandwidthSnapshot[] } | null;
  /** Every link's senders: which local track each one sends now. */
  senders(): SenderSnapshot[];
  /** Runs the ICE-failure recovery (an ICE restart) on the link to `peerId`. */
  forceIceRestart(peerId: string): boolean;
}

declare global {
  interface Window {
    __parley?: ParleyTestHook;
  }
}

const serials = new WeakMap<RTCPeerConnection, number>();
let nextSerial = 1;

function serial(pc: RTCPeerConnection): number {
  let n = serials.get(pc);
  if (n === undefined) serials.set(pc, (n = nextSerial++));
  return n;
}

function ufrag(desc: RTCSessionDescription | null): string | null {
  return desc?.sdp.match(/^a=ice-ufrag:(\S+)/m)?.[1] ?? null;
}

function snapshot(id: string, peer: Peer): PeerSnapshot {
  const pc = peer.connection;
  return {
    id,
    iceConnectionState: pc.iceConnectionState,
    connectionState: pc.connectionState,
    signalingState: pc.signalingState,
    connection: serial(pc),
    state: peer.state,
    localUfrag: ufrag(pc.currentLocalDescription),
    remoteUfrag: ufrag(pc.currentRemoteDescription),
    counters: { ...peer.counters },
  };
}

async function inbound(id: string, pc: RTCPeerConnection): Promise<InboundSummary> {
  const summary: InboundSummary = {
    id,
    video: { framesDecoded: 0, frameWidth: 0, frameHeight: 0, freezeCount: 0 },
    audio: { audioLevel: 0, totalAudioEnergy: 0, totalSamplesDuration: 0, packetsReceived: 0, concealedSamples: 0, totalSamplesReceived: 0 },
  };
  const report = await pc.getStats();
  report.forEach((s: Record<string, unknown>) => {
    if (s.type !== 'inbound-rtp') return;
    const n = (key: string) => (typeof s[key] === 'number' ? (s[key] as number) : 0);
    if (s.kind === 'video') {
      summary.video.framesDecoded += n('framesDecoded');
      summary.video.frameWidth = Math.max(summary.video.frameWidth, n('frameWidth'));
      summary.video.frameHeight = Math.max(summary.video.frameHeight, n('frameHeight'));
      summary.video.freezeCount += n('freezeCount');
    } else if (s.kind === 'audio') {
      summary.audio.audioLevel = Math.max(summary.audio.audioLevel, n('audioLevel'));
      summary.audio.totalAudioEnergy += n('totalAudioEnergy');
      summary.audio.totalSamplesDuration += n('totalSamplesDuration');
      summary.audio.packetsReceived += n('packetsReceived');
      summary.audio.concealedSamples += n('concealedSamples');
      summary.audio.totalSamplesReceived += n('totalSamplesReceived');
    }
  });
  return summary;
}

function bandwidthOf(mesh: Mesh): ReturnType<ParleyTestHook['bandwidth']> {
  const view = mesh.bandwidth.view;
  const peers = [...mesh.peers].map(([id, peer]): BandwidthSnapshot => {
    const b = view.get(id);
    const e = peer.sender('video')?.getParameters().encodings?.[0];
    const sdp = peer.connection.currentRemoteDescription?.sdp ?? '';
    return {
      id,
      quality: b?.quality ?? 'unknown',
      reason: b?.reason ?? null,
      remotePaused: b?.remotePaused ?? false,
      tile: b?.tile ?? null,
      camera: e ? { active: e.active ?? true, maxBitrate: e.maxBitrate ?? null, scaleResolutionDownBy: e.scaleResolutionDownBy ?? null, maxFramerate: e.maxFramerate ?? null } : null,
      opusDtxFec: /^a=fmtp:\d+ (?=.*useinbandfec=1)(?=.*usedtx=1)/m.test(sdp),
      controlChannel: peer.control?.readyState ?? null,
      stats: b?.stats ?? null,
    };
  });
  return { enabled: mesh.bandwidth.enabled, applyErrors: mesh.bandwidth.applyErrors, lastApplyError: mesh.bandwidth.lastApplyError, peers };
}

/** Points window.__parley at a mesh (or at nothing) in a test build; nothing in production. */
export const installTestHook: (mesh: () => Mesh | null) => void = __PARLEY_TEST_HOOK__ ? install : () => {};

function install(mesh: () => Mesh | null): void {
  window.__parley = {
    me: () => mesh()?.me?.id ?? null,
    peers: () => [...(mesh()?.peers ?? [])].map(([id, peer]) => snapshot(id, peer)),
    departed: () => (mesh()?.departed ?? []).map((peer) => snapshot(peer.remoteId, peer)),
    stats: () => Promise.all([...(mesh()?.peers ?? [])].map(([id, peer]) => inbound(id, peer.connection))),
    counters: () => {
      const m = mesh();
      if (!m) return null;
      const all = [...m.peers.values(), ...m.departed];
      return {
        ...m.counters,
        offersSent: all.reduce((n, p) => n + p.counters.offersSent, 0),
        iceRestarts: all.reduce((n, p) => n + p.counters.iceRestarts, 0),
      };
    },
    link: () => mesh()?.link ?? null,
    bandwidth: () => {
      const m = mesh();
      return m ? bandwidthOf(m) : null;
    },
    senders: () =>
      [...(mesh()?.peers ?? [])].flatMap(([id, peer]) =>
        peer.connection
          .getTransceivers()
          .filter((t) => t.currentDirection !== 'stopped')
          .map((t) => ({
            id,
            kind: t.receiver.track.kind,
            trackId: t.sender.track?.id ?? null,
            label: t.sender.track?.label ?? null,
            readyState: t.sender.track?.readyState ?? null,
          })),
      ),
    forceIceRestart: (peerId) => {
      const peer = mesh()?.peers.get(peerId);
      peer?.restartIce();
      return peer !== undefined;
    },
  };
}
