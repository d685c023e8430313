/**
 * One link's memory in the bandwidth policy: how much video it can carry (its ceiling,
 * lowered at once by measurements and raised slowly) and whether its video is on, paused
 * to keep audio clear, or coming back. Pure: `stepLink` takes the last memory and one
 * sample and returns the next memory. Called by policy.ts once per sample per peer.
 */
import {
  AUDIO_RESERVE_BPS,
  BAD_HOLD_MS,
  BAD_LOSS,
  BAD_RTT_S,
  BOUND_BELOW_ASKED,
  BOUND_USE,
  CAMERA_PEER_CAP_BPS,
  CONGESTED_LOSS,
  ESTIMATE_DROP,
  GOOD_LOSS,
  GOOD_RTT_S,
  LOWER_MARGIN,
  PEAK_WINDOW_MS,
  PROBE_BPS,
  PROBE_SETTLE_MS,
  RAISE_MIN_BPS_PER_S,
  RAISE_PER_S,
  RELAPSE_WINDOW_MS,
  RESUME_HOLD_MAX_MS,
  RESUME_HOLD_MS,
  UNWELL_SAMPLES,
} from './limits';

export type QualityLimitationReason = 'none' | 'bandwidth' | 'cpu' | 'other';

/** One second of a link, as sample.ts derives it from two getStats() reports. */
export interface LinkSample {
  /** When (ms, any monotonic clock). */
  at: number;
  /** The selected candidate pair's `availableOutgoingBitrate` (bps): the browser's estimate. */
  availableOutgoingBitrate: number | null;
  /** Fraction of our packets the peer reported lost over the interval (0..1). */
  loss: number | null;
  /** Round trip time in seconds. */
  rtt: number | null;
  /** Why our camera encoder sends less than asked, per the browser. */
  qualityLimitationReason: QualityLimitationReason | null;
  /** Everything we sent on this link over the interval, headers included (bps); null when unknown. */
  sentTotalBitrate: number | null;
}

/** `video`: sending; `paused`: audio only; `probing`: video back at a small budget, climbing. */
export type LinkMode = 'video' | 'paused' | 'probing';

export interface LinkMemory {
  readonly mode: LinkMode;
  /** Video this link can carry (bps), from measurements; at most the per-peer cap. */
  readonly ceiling: number;
  /** Whether the last sample lowered the ceiling (the link is the limit right now). */
  readonly lowered: boolean;
  readonly lastAt: number | null;
  /** Recent video estimates, to tell a falling estimate from one still ramping up. */
  readonly recent: readonly { at: number; bps: number }[];
  readonly badSince: number | null;
  readonly goodSince: number | null;
  readonly resumedAt: number | null;
  /** How long the link must stay healthy before video is tried again. */
  readonly hold: number;
  /** Why video is paused (or was last lowered), in words a person can read. */
  readonly why: string | null;
  /** The camera bitrate the policy last gave this link (0: none); policy.ts sets it after each decision. */
  readonly asked: number;
  /** Unhealthy samples in a row while paused. */
  readonly unwell: number;
  /** While probing: the video came back from a pause for lack of uplink (policy.ts may take it back). */
  readonly uplinkProbe?: boolean;
}

export function initialLink(): LinkMemory {
  return {
    mode: 'video',
    ceiling: CAMERA_PEER_CAP_BPS,
    lowered: false,
    lastAt: null,
    recent: [],
    badSince: null,
    goodSince: null,
    resumedAt: null,
    hold: RESUME_HOLD_MS,
    why: null,
    asked: 0,
    unwell: 0,
  };
}

const kbps = (bps: number) => `${Math.round(bps / 1000)} kbps`;
const percent = (x: number) => `${Math.round(x * 100)}%`;

/** What makes a sample bad for video, or null when it is not. */
function badness(s: LinkSample, budget: number, floor: number): string | null {
  if (s.loss !== null && s.loss > BAD_LOSS) return `loss ${percent(s.loss)}`;
  if (s.rtt !== null && s.rtt > BAD_RTT_S) return `round trip ${s.rtt.toFixed(1)} s`;
  if (budget < floor) return uplinkWhy(budget);
  return null;
}

const UPLINK_PREFIX = 'uplink for video ';

/** Why a link is paused for lack of uplink, when it has `bps` for video. */
export const uplinkWhy = (bps: number): string => `${UPLINK_PREFIX}${kbps(bps)}`;

/** Whether a pause is for lack of uplink (shared by all links) rather than this link's loss or delay. */
export const pausedForUplink = (mem: LinkMemory): boolean => mem.mode === 'paused' && (mem.why?.startsWith(UPLINK_PREFIX) ?? false);

function healthy(s: LinkSample): boolean {
  return (s.loss === null || s.loss < GOOD_LOSS) && (s.rtt === null || s.rtt < GOOD_RTT_S);
}

/**
 * The next memory of a link after `sample`. `share` is what the link would get from the
 * participant's budget if measurements allowed everything (the budget split by peer count).
 */
export function stepLink(mem: LinkMemory, s: LinkSample, share: number, floor: number): LinkMemory {
  if (mem.mode === 'paused') return stepPaused(mem, s, share, floor);
  const dt = mem.lastAt === null ? 0 : Math.max(0, s.at - mem.lastAt) / 1000;
  const estimate = s.availableOutgoingBitrate === null ? null : Math.max(0, s.availableOutgoingBitrate - AUDIO_RESERVE_BPS);
  const recent = estimate === null ? mem.recent : [...mem.recent.filter((r) => s.at - r.at < PEAK_WINDOW_MS), { at: s.at, bps: estimate }];
  const peak = Math.max(0, ...recent.map((r) => r.bps));
  // A falling estimate means congestion only while the encoder is held back by it: the
  // browser's estimate also sinks when we simply send little (a small tile, a busy CPU),
  // and following it down then would spiral. An estimate still ramping up is no reason either.
  const falling =
    estimate !== null && s.qualityLimitationReason === 'bandwidth' && estimate < mem.ceiling && estimate < peak * ESTIMATE_DROP;
  // The link carries less than we asked of it, and we send about all it carries: its
  // estimate is the bound. Chromium's encoder reports a bandwidth limitation only when it
  // drops resolution or frame rate, which a small picture may never need; the estimate
  // and what is sent tell it either way. A sender that is short of content or CPU sends
  // well under the estimate (Chromium lets its estimate grow to about 1.5x what is
  // acknowledged), and that is no reason to lower anything.
  // We send about all the link's estimate allows (everything: audio, video, headers).
  const uses = s.availableOutgoingBitrate !== null && s.sentTotalBitrate !== null && s.sentTotalBitrate >= s.availableOutgoingBitrate * BOUND_USE;
  const bound =
    uses &&
    estimate !== null &&
    mem.asked > 0 &&
    estimate < Math.min(mem.ceiling, mem.asked) * BOUND_BELOW_ASKED &&
    // Not while the estimate climbs (a new link ramps up, a freed link takes more).
    mem.recent.length > 0 &&
    estimate <= mem.recent[mem.recent.length - 1]!.bps;
  const lossy = s.loss !== null && s.loss > CONGESTED_LOSS;
  let ceiling = mem.ceiling;
  let why = mem.why;
  let lowered = false;
  if (falling || bound || lossy) {
    const fromEstimate = falling || bound ? estimate! * LOWER_MARGIN : Infinity;
    const fromLoss = lossy ? mem.ceiling * (1 - Math.min(0.5, s.loss!)) : Infinity;
    ceiling = Math.min(mem.ceiling, fromEstimate, fromLoss);
    lowered = true;
    why = lossy && fromLoss <= fromEstimate ? `loss ${percent(s.loss!)}` : `uplink measured at ${kbps(estimate! + AUDIO_RESERVE_BPS)}`;
  } else if (estimate === null || estimate >= mem.ceiling * 0.95) {
    // Room on the link: climb slowly, so a recovering uplink is not flooded at once.
    ceiling = Math.min(CAMERA_PEER_CAP_BPS, mem.ceiling + Math.max(RAISE_MIN_BPS_PER_S, mem.ceiling * RAISE_PER_S) * dt);
  }
  const next: LinkMemory = { ...mem, ceiling, lowered, why, recent, lastAt: s.at };

  // What the link carries for video when we send about all its estimate allows: a ceiling
  // that saws up and down around it (lowered, then raised while there is room) must not
  // hide for ever that the link itself is short.
  const carried = uses && estimate !== null ? estimate : Infinity;
  const bad = badness(s, Math.min(ceiling, share, carried), floor);
  if (bad === null) {
    const settled = mem.mode === 'probing' && mem.resumedAt !== null && s.at - mem.resumedAt >= PROBE_SETTLE_MS;
    return { ...next, badSince: null, mode: settled ? 'video' : mem.mode };
  }
  const badSince = mem.badSince ?? s.at;
  if (s.at - badSince < BAD_HOLD_MS) return { ...next, badSince };
  // Sustained: pause. A relapse soon after resuming waits twice as long next time.
  const relapse = mem.resumedAt !== null && s.at - mem.resumedAt < RELAPSE_WINDOW_MS;
  return {
    ...next,
    mode: 'paused',
    badSince: null,
    goodSince: null,
    why: bad,
    hold: relapse ? Math.min(RESUME_HOLD_MAX_MS, mem.hold * 2) : RESUME_HOLD_MS,
  };
}

/** Video back on a paused link at `ceiling`, climbing from there. */
export function resumeVideo(mem: LinkMemory, at: number, ceiling: number): LinkMemory {
  return { ...mem, mode: 'probing', ceiling, recent: [], goodSince: null, badSince: null, unwell: 0, resumedAt: at, why: 'recovering' };
}

function stepPaused(mem: LinkMemory, s: LinkSample, share: number, floor: number): LinkMemory {
  const base = { ...mem, lastAt: s.at, lowered: false };
  // With video off the estimate says little (nothing probes the link): judge by loss and
  // RTT. One stray sample (a busy moment's round trip) does not start the wait over; two in a row do.
  if (!healthy(s) || share < floor) {
    const unwell = mem.unwell + 1;
    if (unwell < UNWELL_SAMPLES && share >= floor) return { ...base, unwell };
    const bad = badness(s, share, floor);
    return { ...base, unwell, goodSince: null, why: bad ?? mem.why };
  }
  const goodSince = mem.goodSince ?? s.at;
  if (s.at - goodSince < mem.hold) return { ...base, goodSince, unwell: 0 };
  return resumeVideo(base, s.at, Math.min(PROBE_BPS, share));
}
