/**
 * The numbers of Parley's mesh bandwidth policy, in one place. The camera figures are the
 * contract's ("A camera sender's bitrate", CONTRACT.md); the others are tuning, explained
 * where they are used (link.ts, allocate.ts, encoding.ts).
 */

/** Camera video summed over a participant's peers. */
export const CAMERA_TOTAL_BPS = 2_500_000;
/** Camera video to any one peer. */
export const CAMERA_PEER_CAP_BPS = 1_500_000;
/** With one peer the camera gets at least this, unless the measured uplink is smaller. */
export const ONE_PEER_FLOOR_BPS = 1_000_000;

/** A screen share has its own budget, beside the camera's (a screen is worth more than a face). */
export const SCREEN_TOTAL_BPS = 2_500_000;
export const SCREEN_PEER_CAP_BPS = 1_500_000;
/** On a link that cannot carry both in full, the screen takes up to this part of it first. */
export const SCREEN_LINK_SHARE = 0.7;

/** What audio and RTCP take out of a link's estimate before video gets any of it. */
export const AUDIO_RESERVE_BPS = 50_000;
/**
 * Below this much video budget on a link, video is not worth sending: audio only. That is
 * for a picture of 640x480 or more; a smaller one (the receiver's tile, or our camera) is
 * worth sending down to less, in proportion to pixels^0.75 (how VP8's bitrate for the same
 * look scales), but never under AUDIO_ONLY_FLOOR_BPS. encoding.ts `videoFloor`.
 */
export const AUDIO_ONLY_BELOW_BPS = 150_000;
export const AUDIO_ONLY_FULL_PIXELS = 640 * 480;
export const AUDIO_ONLY_FLOOR_BPS = 60_000;
/** ...once that has lasted (BAD_HOLD_MS); until then video goes on at no less than this. */
export const MIN_VIDEO_BPS = 30_000;

/** A link is bad when loss or round trip time pass these... */
export const BAD_LOSS = 0.1;
export const BAD_RTT_S = 1.0;
/** ...for this long without a break: then its video pauses. */
export const BAD_HOLD_MS = 3_000;
/** A paused link counts as healthy again under these (lower than the bad marks: hysteresis). */
export const GOOD_LOSS = 0.04;
export const GOOD_RTT_S = 0.5;
/** Unhealthy samples in a row that start a paused link's wait over. */
export const UNWELL_SAMPLES = 2;
/** How long a paused link must stay healthy before video is tried again; doubles on each relapse. */
export const RESUME_HOLD_MS = 6_000;
export const RESUME_HOLD_MAX_MS = 60_000;
/** A relapse within this long after resuming doubles the next hold. */
export const RELAPSE_WINDOW_MS = 30_000;
/** Video comes back at this budget and climbs from there. */
export const PROBE_BPS = 250_000;
/** Resumed video counts as settled (no longer "limited" for recovering) after this long. */
export const PROBE_SETTLE_MS = 5_000;

/** Budget per link goes up by at most this fraction per second (raise slowly)... */
export const RAISE_PER_S = 0.08;
/** ...or by this much, whichever is more. */
export const RAISE_MIN_BPS_PER_S = 30_000;
/** Loss above this on a link lowers its budget, as a falling estimate does. */
export const CONGESTED_LOSS = 0.05;
/** A link whose estimate is under this part of what we asked of it... */
export const BOUND_BELOW_ASKED = 0.9;
/** ...while everything we send on it is at least this part of the estimate, is held back by the link. */
export const BOUND_USE = 0.75;
/** The estimate counts as falling when under this part of its recent peak. */
export const ESTIMATE_DROP = 0.85;
/** How long the recent peak of a link's estimate is remembered. */
export const PEAK_WINDOW_MS = 8_000;
/** A budget lowered by a measurement keeps this margin under what was measured. */
export const LOWER_MARGIN = 0.9;

/** Frame rate when a link is roomy, and when its budget is small. */
export const FULL_FPS = 30;
export const LOW_FPS = 15;
export const LOW_FPS_BELOW_BPS = 300_000;
/** Bits per pixel per frame below which the encoder should send fewer pixels instead. */
export const MIN_BITS_PER_PIXEL = 0.05;
/** Never scale a camera below this height (px). */
export const MIN_HEIGHT_PX = 90;
