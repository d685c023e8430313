/**
 * One link's memory in the bandwidth policy: how much video it can carry (its ceiling,
 * lowered at once by measurements and raised slowly) and whether its video is on, paused
 * to keep audio clear, or coming back. Pure: `stepLink` takes the last memory and one
 * sample and returns the next memory. Called by policy.ts once per sample per peer.
 */
import {
  AUDIO_ONLY_BELOW_BPS,
  AUDIO_RESERVE_BPS,
  BAD_HOLD_MS,
  BAD_LOSS,
  BAD_RTT_S,
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
  };
}

const kbps = (bps: number) => `${Math.round(bps / 1000)} kbps`;
const percent = (x: number) => `${Math.round(x * 100)}%`;

/** What makes a sample bad for video, or null when it is not. */
function badness(s: LinkSample, budget: number): string | null {
  if (s.loss !== null && s.loss > BAD_LOSS) return `loss ${percent(s.loss)}`;
  if (s.rtt !== null && s.rtt > BAD_RTT_S) return `round trip ${s.rtt.toFixed(1)} s`;
  if (budget < AUDIO_ONLY_BELOW_BPS) return `uplink for video ${kbps(budget)}`;
  return null;
}

function healthy(s: LinkSample): boolean {
  return (s.loss === null || s.loss < GOOD_LOSS) && (s.rtt === null || s.rtt < GOOD_RTT_S);
}

/**
 * The next memory of a link after `sample`. `share` is what the link would get from the
 * participant's budget if measurements allowed everything (the budget split by peer count).
 */
export function stepLink(mem: LinkMemory, s: LinkSample, share: number): LinkMemory {
  if (mem.mode === 'paused') return stepPaused(mem, s, share);
  const dt = mem.lastAt === null ? 0 : Math.max(0, s.at - mem.lastAt) / 1000;
  const estimate = s.availableOutgoingBitrate === null ? null : Math.max(0, s.availableOutgoingBitrate - AUDIO_RESERVE_BPS);
  const recent = estimate === null ? mem.recent : [...mem.recent.filter((r) => s.at - r.at < PEAK_WINDOW_MS), { at: s.at, bps: estimate }];
  const peak = Math.max(0, ...recent.map((r) => r.bps));
  // A falling estimate means congestion only while the encoder is held back by it: the
  // browser's estimate also sinks when we simply send little (a small tile, a busy CPU),
  // and following it down then would spiral. An estimate still ramping up is no reason either.
  const falling =
    estimate !== null && s.qualityLimitationReason === 'bandwidth' && estimate < mem.ceiling && estimate < peak * ESTIMATE_DROP;
  const lossy = s.loss !== null && s.loss > CONGESTED_LOSS;
  let ceiling = mem.ceiling;
  let why = mem.why;
  let lowered = false;
  if (falling || lossy) {
    const fromEstimate = falling ? estimate! * LOWER_MARGIN : Infinity;
    const fromLoss = lossy ? mem.ceiling * (1 - Math.min(0.5, s.loss!)) : Infinity;
    ceiling = Math.min(mem.ceiling, fromEstimate, fromLoss);
    lowered = true;
    why = lossy && fromLoss <= fromEstimate ? `loss ${percent(s.loss!)}` : `uplink measured at ${kbps(estimate! + AUDIO_RESERVE_BPS)}`;
  } else if (estimate === null || estimate >= mem.ceiling * 0.95) {
    // Room on the link: climb slowly, so a recovering uplink is not flooded at once.
    ceiling = Math.min(CAMERA_PEER_CAP_BPS, mem.ceiling + Math.max(RAISE_MIN_BPS_PER_S, mem.ceiling * RAISE_PER_S) * dt);
  }
  const next: LinkMemory = { ...mem, ceiling, lowered, why, recent, lastAt: s.at };

  const bad = badness(s, Math.min(ceiling, share));
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

function stepPaused(mem: LinkMemory, s: LinkSample, share: number): LinkMemory {
  const base = { ...mem, lastAt: s.at, lowered: false };
  // With video off the estimate says little (nothing probes the link): judge by loss and RTT.
  if (!healthy(s) || share < AUDIO_ONLY_BELOW_BPS) {
    const bad = badness(s, share);
    return { ...base, goodSince: null, why: bad ?? mem.why };
  }
  const goodSince = mem.goodSince ?? s.at;
  if (s.at - goodSince < mem.hold) return { ...base, goodSince };
  return {
    ...base,
    mode: 'probing',
    ceiling: Math.min(PROBE_BPS, share),
    recent: [],
    goodSince: null,
    badSince: null,
    resumedAt: s.at,
    why: 'recovering',
  };
}
