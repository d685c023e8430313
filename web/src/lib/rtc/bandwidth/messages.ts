/**
 * What two participants tell each other about bandwidth, over the per-peer control data
 * channel (see docs/signaling.md, "Control channel"): the receiver says how large it
 * draws the sender's video, the sender says when it paused its video to keep audio clear.
 * JSON text, one message per send; unknown or malformed messages are ignored (a newer
 * client may say more). Pure.
 */

/** The per-peer control data channel: negotiated out of band, so both sides use this id. */
export const CONTROL_CHANNEL_ID = 0;
export const CONTROL_CHANNEL_LABEL = 'parley-control';

export type VideoKind = 'camera' | 'screen';

export type ControlMessage =
  /** Receiver -> sender: I draw your `kind` video at width x height device pixels. */
  | { t: 'tile'; kind: VideoKind; width: number; height: number }
  /** Sender -> receiver: I stopped (or resumed) sending you my video; `reason` says why. */
  | { t: 'video'; paused: boolean; reason: string | null };

/** Larger than any screen: a bogus size cannot make the sender do anything odd. */
const MAX_SIDE = 16_384;

const side = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= MAX_SIDE;

export function encodeMessage(m: ControlMessage): string {
  return JSON.stringify(m);
}

/** The message in `text`, or null when it is not one we understand. */
export function decodeMessage(text: unknown): ControlMessage | null {
  if (typeof text !== 'string' || text.length > 1024) return null;
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null) return null;
  if (m.t === 'tile' && (m.kind === 'camera' || m.kind === 'screen') && side(m.width) && side(m.height)) {
    return { t: 'tile', kind: m.kind, width: Math.round(m.width), height: Math.round(m.height) };
  }
  if (m.t === 'video' && typeof m.paused === 'boolean' && (m.reason === null || (typeof m.reason === 'string' && m.reason.length <= 200))) {
    return { t: 'video', paused: m.paused, reason: m.reason as string | null };
  }
  return null;
}
