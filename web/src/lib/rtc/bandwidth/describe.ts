/**
 * The words and figures of a link's details popover, pure: from the controller's
 * PeerBandwidth to label/value rows. Used by the room page's LinkDetails component.
 */
import type { PeerBandwidth } from './controller';

export interface DetailRow {
  label: string;
  value: string;
}

const kbps = (bps: number) => `${Math.round(bps / 1000)} kbps`;
const size = (w: number, h: number) => (w > 0 && h > 0 ? `${w}×${h}` : '–');

/** One line: how our video to them fares. */
export function describeSending(b: PeerBandwidth): string {
  if (b.quality === 'audio-only') return `Video paused to keep audio clear${b.reason ? ` (${b.reason})` : ''}`;
  if (b.quality === 'limited') return `Limited${b.reason ? `: ${b.reason}` : ''}`;
  return b.reason ? `Good (${b.reason})` : 'Good';
}

export function detailRows(b: PeerBandwidth): DetailRow[] {
  const s = b.stats;
  const rows: DetailRow[] = [{ label: 'Your video to them', value: describeSending(b) }];
  if (b.remotePaused) rows.push({ label: 'Their video', value: `Paused by them to keep audio clear${b.remoteReason ? ` (${b.remoteReason})` : ''}` });
  if (s) {
    rows.push(
      { label: 'Sent', value: `${kbps(s.sentBitrate)}, ${size(s.sentWidth, s.sentHeight)}, ${Math.round(s.sentFps)} fps` },
      { label: 'Received', value: `${kbps(s.receivedBitrate)}, ${size(s.receivedWidth, s.receivedHeight)}, ${Math.round(s.receivedFps)} fps` },
      { label: 'Loss', value: s.sample.loss === null ? '–' : `${(s.sample.loss * 100).toFixed(1)}%` },
      { label: 'Round trip', value: s.sample.rtt === null ? '–' : `${Math.round(s.sample.rtt * 1000)} ms` },
      { label: 'Uplink estimate', value: s.sample.availableOutgoingBitrate === null ? '–' : kbps(s.sample.availableOutgoingBitrate) },
    );
  }
  if (b.camera) {
    const scale = b.camera.scaleResolutionDownBy;
    rows.push({ label: 'Camera cap', value: `${kbps(b.camera.maxBitrate)}, ${b.camera.maxFramerate} fps${scale > 1 ? `, scaled down ${scale}×` : ''}${b.tile ? ` for a ${size(b.tile.width, b.tile.height)} tile` : ''}` });
  }
  if (s?.sample.qualityLimitationReason && s.sample.qualityLimitationReason !== 'none') {
    rows.push({ label: 'Encoder limited by', value: s.sample.qualityLimitationReason });
  }
  return rows;
}
