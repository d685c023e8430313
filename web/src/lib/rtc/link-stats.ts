/**
 * One connection's receive figures at one moment, read from getStats(), pure: what the
 * quality mark (./quality.ts) and the bandwidth policy judge a link by. Cumulative
 * counters are kept cumulative; ./quality.ts takes the deltas between two samples.
 */

export interface LinkSample {
  /** When it was taken, ms (the report's clock). */
  at: number;
  /** Inbound RTP over audio and video. */
  packetsReceived: number;
  packetsLost: number;
  bytesReceived: number;
  /** Video frames decoded so far, and the decoder's own frame rate (0 when unknown). */
  framesDecoded: number;
  framesPerSecond: number;
  frameWidth: number;
  frameHeight: number;
  /** Round trip of the selected candidate pair, ms; null until measured. */
  rttMs: number | null;
  /** What the sender side estimates it can send us (the pair's available bitrate), bps. */
  availableOutgoingBitrate: number | null;
}

type Stat = Record<string, unknown>;

const num = (s: Stat, key: string): number => (typeof s[key] === 'number' ? (s[key] as number) : 0);

/** Summarises an RTCStatsReport (or any iterable of its entries). */
export function readLinkStats(entries: Iterable<Stat>, now: number): LinkSample {
  const sample: LinkSample = {
    at: now,
    packetsReceived: 0,
    packetsLost: 0,
    bytesReceived: 0,
    framesDecoded: 0,
    framesPerSecond: 0,
    frameWidth: 0,
    frameHeight: 0,
    rttMs: null,
    availableOutgoingBitrate: null,
  };
  const all = [...entries];
  const byId = new Map(all.map((s) => [s.id as string, s]));
  let selectedPair: Stat | undefined;
  for (const s of all) {
    if (s.type === 'inbound-rtp') {
      sample.packetsReceived += num(s, 'packetsReceived');
      // packetsLost can go negative with duplicates: never count that as gain.
      sample.packetsLost += Math.max(0, num(s, 'packetsLost'));
      sample.bytesReceived += num(s, 'bytesReceived');
      if (s.kind === 'video') {
        sample.framesDecoded += num(s, 'framesDecoded');
        sample.framesPerSecond = Math.max(sample.framesPerSecond, num(s, 'framesPerSecond'));
        sample.frameWidth = Math.max(sample.frameWidth, num(s, 'frameWidth'));
        sample.frameHeight = Math.max(sample.frameHeight, num(s, 'frameHeight'));
      }
    } else if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') {
      selectedPair = byId.get(s.selectedCandidatePairId);
    } else if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && !selectedPair) {
      selectedPair = s;
    }
  }
  if (selectedPair) {
    if (typeof selectedPair.currentRoundTripTime === 'number') sample.rttMs = Math.round(selectedPair.currentRoundTripTime * 1000);
    if (typeof selectedPair.availableOutgoingBitrate === 'number') sample.availableOutgoingBitrate = selectedPair.availableOutgoingBitrate;
  }
  return sample;
}
