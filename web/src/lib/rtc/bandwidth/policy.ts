/**
 * Parley's mesh bandwidth policy, pure. Input: who we send to, the size each of them
 * draws our video at, and each link's latest measurements. Output: encoder settings for
 * every camera (and screen) sender, and a per-peer verdict (good / limited / audio-only
 * with a reason). The camera budget (2.5 Mbps, at most 1.5 Mbps per peer) is split among
 * the peers there are, each link's share is lowered by what it measures and raised
 * slowly, and a link that stays bad sends audio only until it has been healthy a while.
 * Called by controller.ts on every sample tick and whenever peers come or go.
 */
import { encodingFor, tileDemand, waterfill, type Encoding, type Size } from './encoding';
import {
  AUDIO_ONLY_BELOW_BPS,
  CAMERA_PEER_CAP_BPS,
  CAMERA_TOTAL_BPS,
  ONE_PEER_FLOOR_BPS,
  PROBE_BPS,
  SCREEN_LINK_SHARE,
  SCREEN_PEER_CAP_BPS,
  SCREEN_TOTAL_BPS,
} from './limits';
import { initialLink, stepLink, type LinkMemory, type LinkSample } from './link';

export type { Encoding, Size } from './encoding';
export type { LinkSample } from './link';

export interface PeerInput {
  id: string;
  /** The link's latest sample; the link's memory moves on only when `at` is newer. */
  sample: LinkSample | null;
  /** How large the peer draws our camera (device px); null until it says. */
  cameraTile: Size | null;
  /** We also send this peer a screen share. */
  screen: boolean;
  screenTile: Size | null;
}

export interface PolicyInput {
  peers: readonly PeerInput[];
  /** Our camera's capture size; null without a camera. */
  camera: Size | null;
  /** Our screen share's capture size, while sharing. */
  screen: Size | null;
}

export type PeerQuality = 'good' | 'limited' | 'audio-only';

export interface PeerDecision {
  id: string;
  quality: PeerQuality;
  /** Why it is not good, in words for the person ("loss 14%", "uplink measured at 420 kbps"). */
  reason: string | null;
  camera: Encoding;
  /** Settings for the screen sender to this peer, when there is one. */
  screen: Encoding | null;
  /** The link's current ceiling for video (bps). */
  ceiling: number;
}

export interface PolicyState {
  readonly links: ReadonlyMap<string, LinkMemory>;
}

export const initialPolicy = (): PolicyState => ({ links: new Map() });

/** The camera share per peer before any measurement: the budget split by peer count. */
export function cameraShare(peerCount: number): number {
  return peerCount === 0 ? 0 : Math.min(CAMERA_PEER_CAP_BPS, CAMERA_TOTAL_BPS / peerCount);
}

const DEFAULT_SOURCE: Size = { width: 640, height: 480 };

export function decide(state: PolicyState, input: PolicyInput): { state: PolicyState; decisions: PeerDecision[] } {
  const n = input.peers.length;
  const share = cameraShare(n);
  // People who left are forgotten: their share goes back to the others.
  const links = new Map<string, LinkMemory>();
  for (const p of input.peers) {
    const before = state.links.get(p.id) ?? initialLink();
    const fresh = p.sample !== null && (before.lastAt === null || p.sample.at > before.lastAt);
    links.set(p.id, fresh ? stepLink(before, p.sample!, share) : before);
  }

  // The screen goes first on each link, within its own budget.
  const screenLimits = new Map<string, number>();
  for (const p of input.peers) {
    const link = links.get(p.id)!;
    if (!p.screen || !input.screen || link.mode === 'paused') continue;
    screenLimits.set(p.id, Math.min(SCREEN_PEER_CAP_BPS, link.ceiling * SCREEN_LINK_SHARE, tileDemand(input.screen, p.screenTile) * 2));
  }
  const screenGiven = waterfill(SCREEN_TOTAL_BPS, screenLimits);

  const camera = input.camera ?? DEFAULT_SOURCE;
  const wants = new Map<string, number>();
  const limits = new Map<string, number>();
  for (const p of input.peers) {
    const link = links.get(p.id)!;
    // With one peer the contract wants at least 1 Mbps whatever the tile (unless the link says less).
    const want = Math.min(CAMERA_PEER_CAP_BPS, n === 1 ? Math.max(ONE_PEER_FLOOR_BPS, tileDemand(camera, p.cameraTile)) : tileDemand(camera, p.cameraTile));
    wants.set(p.id, want);
    const room = link.ceiling - (screenGiven.get(p.id) ?? 0);
    limits.set(p.id, link.mode === 'paused' || room < AUDIO_ONLY_BELOW_BPS ? 0 : Math.min(want, room));
  }
  const given = waterfill(CAMERA_TOTAL_BPS, limits);

  const decisions = input.peers.map((p): PeerDecision => {
    const link = links.get(p.id)!;
    const bps = given.get(p.id) ?? 0;
    const paused = link.mode === 'paused';
    const cameraOn = !paused && bps > 0;
    const screenBps = screenGiven.get(p.id);
    const screen = p.screen && input.screen ? encodingFor(input.screen, p.screenTile, screenBps ?? 0, !paused && (screenBps ?? 0) > 0) : null;
    // The link (not the tile or the peer count) holds the camera back.
    const linkBound = link.ceiling < Math.min(share, wants.get(p.id)!) * 0.95;
    let quality: PeerQuality = 'good';
    let reason: string | null = null;
    if (paused) [quality, reason] = ['audio-only', link.why];
    else if (link.mode === 'probing') [quality, reason] = ['limited', 'recovering'];
    else if (!cameraOn && screen) [quality, reason] = ['limited', 'screen share first'];
    else if (linkBound || link.lowered) [quality, reason] = ['limited', link.why ?? 'uplink'];
    else if (p.sample?.qualityLimitationReason === 'cpu') [quality, reason] = ['limited', 'encoder short of CPU'];
    return {
      id: p.id,
      quality,
      reason,
      // A paused sender keeps a small cap, so nothing floods the link the moment it resumes.
      camera: encodingFor(camera, p.cameraTile, cameraOn ? bps : Math.min(share, PROBE_BPS), cameraOn),
      screen,
      ceiling: Math.round(link.ceiling),
    };
  });
  return { state: { links }, decisions };
}
