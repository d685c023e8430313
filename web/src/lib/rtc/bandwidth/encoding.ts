/**
 * From a budget to encoder settings: how much video a tile of a given size is worth,
 * and the `RTCRtpEncodingParameters` that send no more pixels than the receiver draws
 * and no more than the budget carries. Pure; used by policy.ts.
 */
import {
  AUDIO_ONLY_BELOW_BPS,
  AUDIO_ONLY_FLOOR_BPS,
  AUDIO_ONLY_FULL_PIXELS,
  FULL_FPS,
  LOW_FPS,
  LOW_FPS_BELOW_BPS,
  MIN_BITS_PER_PIXEL,
  MIN_HEIGHT_PX,
} from './limits';

/** A size in device pixels. */
export interface Size {
  width: number;
  height: number;
}

/** The four encoding parameters the policy sets on a sender. */
export interface Encoding {
  active: boolean;
  /** bps */
  maxBitrate: number;
  maxFramerate: number;
  scaleResolutionDownBy: number;
}

/** Bits per pixel per frame that make a face look sharp in VP8 at tile size. */
const TILE_BITS_PER_PIXEL = 0.1;
/** Even a thumbnail gets this much: below it VP8 smears at any size. */
const TILE_FLOOR_BPS = 150_000;

/** What a tile of `tile` pixels is worth drawing `source` into (bps); null tile: the whole source. */
export function tileDemand(source: Size, tile: Size | null): number {
  const sourcePixels = source.width * source.height;
  const pixels = tile ? Math.min(sourcePixels, tile.width * tile.height) : sourcePixels;
  return Math.max(TILE_FLOOR_BPS, pixels * FULL_FPS * TILE_BITS_PER_PIXEL);
}

/** The least video budget (bps) worth sending `source` drawn at `tile`: under it, audio only. */
export function videoFloor(source: Size, tile: Size | null): number {
  const sourcePixels = source.width * source.height;
  const pixels = tile ? Math.min(sourcePixels, tile.width * tile.height) : sourcePixels;
  const part = Math.min(1, pixels / AUDIO_ONLY_FULL_PIXELS) ** 0.75;
  return Math.round(Math.max(AUDIO_ONLY_FLOOR_BPS, AUDIO_ONLY_BELOW_BPS * part));
}

/** Quarter steps, so a tile resized by a few pixels does not touch the encoder. */
const quarter = (x: number) => Math.round(x * 4) / 4;

/**
 * Encoder settings for `bps` of `source` drawn at `tile`. The scale covers the tile
 * (object-fit: cover needs both sides), and grows further when the budget is too thin for
 * the pixels (fewer, sharper pixels beat many blurred ones).
 */
export function encodingFor(source: Size, tile: Size | null, bps: number, active: boolean): Encoding {
  const maxFramerate = bps < LOW_FPS_BELOW_BPS ? LOW_FPS : FULL_FPS;
  const fitTile = tile && tile.width > 0 && tile.height > 0 ? Math.min(source.width / tile.width, source.height / tile.height) : 1;
  const pixelsAffordable = bps / (maxFramerate * MIN_BITS_PER_PIXEL);
  const fitBudget = Math.sqrt((source.width * source.height) / Math.max(1, pixelsAffordable));
  const most = Math.max(1, source.height / MIN_HEIGHT_PX);
  const scale = Math.min(most, Math.max(1, quarter(fitTile), quarter(fitBudget)));
  // Down, never up: rounded shares must not add up past the budget.
  return { active, maxBitrate: Math.floor(bps), maxFramerate, scaleResolutionDownBy: scale };
}

/**
 * Splits `total` among demands so that nobody gets more than it asks and what some
 * cannot use goes to the others in equal parts (water-filling).
 */
export function waterfill(total: number, limits: ReadonlyMap<string, number>): Map<string, number> {
  const order = [...limits].sort((a, b) => a[1] - b[1]);
  const out = new Map<string, number>();
  let left = total;
  order.forEach(([id, limit], i) => {
    const give = Math.max(0, Math.min(limit, left / (order.length - i)));
    out.set(id, give);
    left -= give;
  });
  return out;
}
