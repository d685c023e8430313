/**
 * Parley's mesh bandwidth policy, pure. Input: who we send to, the size each of them
 * draws our video at, and each link's latest measurements. Output: encoder settings for
 * every camera (and screen) sender, and a per-peer verdict (good / limited / audio-only
 * with a reason). The camera budget (2.5 Mbps, at most 1.5 Mbps per peer) is split among
 * the peers there are, each link's share is lowered by what it measures and raised
 * slowly, and a link that stays bad sends audio only until it has been healthy a while.
 * Called by controller.ts on every sample tick and whenever peers come or go.
 */
import { encodingFor, tileDemand, videoFloor, waterfill, type Encoding, type Size } from './encoding';
import {
  AUDIO_ONLY_BELOW_BPS,
  AUDIO_RESERVE_BPS,
  CAMERA_PEER_CAP_BPS,
  MIN_VIDEO_BPS,
  CAMERA_TOTAL_BPS,
  ONE_PEER_FLOOR_BPS,
  PROBE_BPS,
  RESUME_HOLD_MAX_MS,
  RESUME_HOLD_MS,
  SCREEN_LINK_SHARE,
  SCREEN_PEER_CAP_BPS,
  SCREEN_TOTAL_BPS,
} from './limits';
import { initialLink, pausedForUplink, resumeVideo, stepLink, uplinkWhy, type LinkMemory, type LinkSample } from './link';

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

interface Step {
  id: string;
  before: LinkMemory;
  after: LinkMemory;
  sample: LinkSample | null;
  /** The least video budget worth sending on this link (encoding.ts videoFloor). */
  floor: number;
}

/** Room the links that send video measure beyond what they were given (bps), or null when none sends. */
function spareUplink(steps: Step[]): number | null {
  const sending = steps.filter((x) => x.after.mode !== 'paused' && x.before.asked > 0 && x.sample?.availableOutgoingBitrate != null);
  if (sending.length === 0) return null;
  return sending.reduce((n, x) => n + Math.max(0, x.sample!.availableOutgoingBitrate! - AUDIO_RESERVE_BPS - x.before.asked), 0);
}

/**
 * The links share one uplink, so they pause and come back one at a time. When several
 * would go audio-only for lack of uplink in the same second (they all measure the same
 * narrow uplink), only the one with the least room pauses; the others start their bad
 * hold again, to use what it frees (their estimates climb as its video stops). And one
 * paused link probes at a time: two coming back together would congest the uplink again.
 */
function coordinate(steps: Step[]): void {
  // Video that came back on a narrow uplink and leaves another link starving was a probe
  // that failed: it goes back to audio only at once, and waits twice as long next time.
  const prober = steps.find((x) => x.after.mode === 'probing' && x.after.uplinkProbe);
  const starving = steps.filter((x) => x !== prober && x.after.mode !== 'paused' && x.after.ceiling < x.floor);
  if (prober && starving.length > 0) {
    const least = Math.min(...starving.map((x) => x.after.ceiling));
    prober.after = { ...prober.after, mode: 'paused', why: uplinkWhy(least), hold: Math.min(RESUME_HOLD_MAX_MS, prober.before.hold * 2), goodSince: null, badSince: null, uplinkProbe: false };
    for (const x of starving) x.after = { ...x.after, badSince: null };
  }
  const pausing = steps.filter((x) => x.before.mode !== 'paused' && pausedForUplink(x.after));
  if (pausing.length > 0) {
    const first = pausing.reduce((a, b) => (b.after.ceiling < a.after.ceiling ? b : a));
    const at = first.after.lastAt;
    for (const x of steps) {
      if (x === first || (x.after.mode === 'paused' && !pausing.includes(x))) continue;
      if (pausing.includes(x)) x.after = { ...x.after, mode: x.before.mode, why: x.before.why, hold: x.before.hold, badSince: at };
      else if (x.after.badSince !== null) x.after = { ...x.after, badSince: at };
    }
  }
  let probing = steps.some((x) => x.before.mode === 'probing' && x.after.mode === 'probing');
  // The links that send video say whether the uplink is still the limit right now.
  const pressed = steps.some((x) => x.after.mode !== 'paused' && x.after.lowered);
  const spare = spareUplink(steps);
  for (const x of steps) {
    if (x.before.mode !== 'paused') continue;
    const forUplink = pausedForUplink(x.before);
    const at = x.after.lastAt ?? 0;
    // The links that send show plenty of room (a probe's worth beyond what they use): the
    // uplink is back, and a link paused for lack of it need not sit out its whole (doubled) wait.
    const roomy =
      forUplink && x.after.mode === 'paused' && !probing && !pressed && spare !== null && spare >= PROBE_BPS &&
      x.after.goodSince !== null && at - x.after.goodSince >= RESUME_HOLD_MS;
    if (roomy) x.after = resumeVideo(x.after, at, PROBE_BPS);
    if (x.after.mode !== 'probing') continue;
    // Paused for lack of uplink: back only while no sending link is being held back, at
    // about the room the others measure beyond what they use (at least what its picture
    // is worth: Chromium's estimate on a link grows only to about 1.5x what it carries, so
    // the room it shows is a floor). If that is too much, the uplink says so again and
    // the link that has least pauses again, waiting twice as long next time.
    if (probing || (forUplink && pressed)) {
      x.after = { ...x.before, lastAt: x.after.lastAt };
      continue;
    }
    if (forUplink) x.after = { ...x.after, uplinkProbe: true, ceiling: spare === null ? x.after.ceiling : Math.min(x.after.ceiling, Math.max(x.floor, spare)) };
    probing = true;
  }
}

export function decide(state: PolicyState, input: PolicyInput): { state: PolicyState; decisions: PeerDecision[] } {
  const n = input.peers.length;
  const share = cameraShare(n);
  // People who left are forgotten: their share goes back to the others.
  const links = new Map<string, LinkMemory>();
  const steps = input.peers.map((p) => {
    const before = state.links.get(p.id) ?? initialLink();
    const fresh = p.sample !== null && (before.lastAt === null || p.sample.at > before.lastAt);
    const floor = videoFloor(input.camera ?? DEFAULT_SOURCE, p.cameraTile);
    return { id: p.id, before, after: fresh ? stepLink(before, p.sample!, share, floor) : before, sample: p.sample, floor };
  });
  coordinate(steps);
  for (const { id, after } of steps) links.set(id, after);

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
    // Under the audio-only mark video goes on, smaller, until the link has been short a
    // while (link.ts pauses it then); only a screen share takes the camera's place at once.
    const screenFirst = (screenGiven.get(p.id) ?? 0) > 0 && room < AUDIO_ONLY_BELOW_BPS;
    limits.set(p.id, link.mode === 'paused' || screenFirst || room < MIN_VIDEO_BPS ? 0 : Math.min(want, room));
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
  // What each link was given, for the next sample to compare with what it carried.
  for (const d of decisions) links.set(d.id, { ...links.get(d.id)!, asked: d.camera.active ? d.camera.maxBitrate : 0 });
  return { state: { links }, decisions };
}
