/**
 * `window.__parley`: what the browser tests in tests/call read, and nothing else does.
 * It exposes the mesh's connections and a summary of their getStats(); it changes no
 * state. Installed by the room page while a call runs.
 */
import type { Mesh } from './mesh';

export interface PeerSnapshot {
  id: string;
  iceConnectionState: RTCIceConnectionState;
  connectionState: RTCPeerConnectionState;
  signalingState: RTCSignalingState;
}

export interface InboundSummary {
  id: string;
  /** Summed over the inbound-rtp entries of that kind. */
  video: { framesDecoded: number; frameWidth: number; frameHeight: number };
  audio: { audioLevel: number; totalAudioEnergy: number; totalSamplesDuration: number };
}

export interface ParleyTestHook {
  me(): string | null;
  peers(): PeerSnapshot[];
  /** Peers closed since the call started (participants who left). */
  departed(): PeerSnapshot[];
  stats(): Promise<InboundSummary[]>;
}

declare global {
  interface Window {
    __parley?: ParleyTestHook;
  }
}

function snapshot(id: string, pc: RTCPeerConnection): PeerSnapshot {
  return {
    id,
    iceConnectionState: pc.iceConnectionState,
    connectionState: pc.connectionState,
    signalingState: pc.signalingState,
  };
}

async function inbound(id: string, pc: RTCPeerConnection): Promise<InboundSummary> {
  const summary: InboundSummary = {
    id,
    video: { framesDecoded: 0, frameWidth: 0, frameHeight: 0 },
    audio: { audioLevel: 0, totalAudioEnergy: 0, totalSamplesDuration: 0 },
  };
  const report = await pc.getStats();
  report.forEach((s: Record<string, unknown>) => {
    if (s.type !== 'inbound-rtp') return;
    const n = (key: string) => (typeof s[key] === 'number' ? (s[key] as number) : 0);
    if (s.kind === 'video') {
      summary.video.framesDecoded += n('framesDecoded');
      summary.video.frameWidth = Math.max(summary.video.frameWidth, n('frameWidth'));
      summary.video.frameHeight = Math.max(summary.video.frameHeight, n('frameHeight'));
    } else if (s.kind === 'audio') {
      summary.audio.audioLevel = Math.max(summary.audio.audioLevel, n('audioLevel'));
      summary.audio.totalAudioEnergy += n('totalAudioEnergy');
      summary.audio.totalSamplesDuration += n('totalSamplesDuration');
    }
  });
  return summary;
}

/** Points window.__parley at a mesh (or at nothing). */
export function installTestHook(mesh: () => Mesh | null): void {
  window.__parley = {
    me: () => mesh()?.me?.id ?? null,
    peers: () => [...(mesh()?.peers ?? [])].map(([id, peer]) => snapshot(id, peer.connection)),
    departed: () => (mesh()?.departed ?? []).map((peer) => snapshot(peer.remoteId, peer.connection)),
    stats: () => Promise.all([...(mesh()?.peers ?? [])].map(([id, peer]) => inbound(id, peer.connection))),
  };
}
