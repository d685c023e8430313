/**
 * From getStats() to what the bandwidth policy and the details popover need. `snapshot`
 * reads one report (a list of stats objects, as `[...report.values()]` gives) into
 * cumulative counters; `measure` turns two snapshots of one link into a second's worth
 * of rates. Pure: the controller samples, tests feed recorded reports.
 */
import type { LinkSample, QualityLimitationReason } from './link';

type Stat = Record<string, unknown> & { type: string; id: string };

/** Cumulative counters and current values of one peer connection at one moment. */
export interface Snapshot {
  /** ms (the report's timestamp). */
  at: number;
  availableOutgoingBitrate: number | null;
  /** The latest round trip either side reported (s), for a first sample. */
  rtt: number | null;
  /** Cumulative round trip sums and counts (candidate pair's STUN checks, audio receiver reports). */
  rttSums: { total: number; count: number }[];
  /** Ours, audio and video, and what the peer reported lost of them. */
  packetsSent: number;
  /** Everything sent on the link, payload and RTP headers (bytes). */
  bytesSentAll: number;
  packetsLost: number;
  /** The latest fractionLost the peer reported (0..1), for when the counters did not move. */
  fractionLost: number | null;
  qualityLimitationReason: QualityLimitationReason | null;
  sent: { bytes: number; width: number; height: number; fps: number };
  received: { bytes: number; width: number; height: number; fps: number; freezes: number };
  audio: { packetsReceived: number; concealed: number; samples: number };
}

/** One second of a link: the policy's sample plus the figures a person may want to see. */
export interface LinkStats {
  sample: LinkSample;
  /** Camera video we send on this link, bps, and at what size and rate. */
  sentBitrate: number;
  sentWidth: number;
  sentHeight: number;
  sentFps: number;
  receivedBitrate: number;
  receivedWidth: number;
  receivedHeight: number;
  receivedFps: number;
  /** Their video's freezes so far, and the share of their audio we had to conceal (0..1). */
  freezes: number;
  concealment: number | null;
}

const num = (s: Stat | undefined, key: string): number => (s && typeof s[key] === 'number' ? (s[key] as number) : 0);
const opt = (s: Stat | undefined, key: string): number | null => (s && typeof s[key] === 'number' ? (s[key] as number) : null);

const REASONS = new Set(['none', 'bandwidth', 'cpu', 'other']);

/**
 * Reads a report. `cameraMid`: the mid of the camera transceiver, to tell its
 * outbound-rtp from a screen share's; without it the first video outbound-rtp counts.
 */
export function snapshot(report: Iterable<Stat>, cameraMid?: string | null): Snapshot {
  const all = [...report];
  const byId = new Map(all.map((s) => [s.id, s]));
  const transport = all.find((s) => s.type === 'transport' && typeof s.selectedCandidatePairId === 'string');
  const pair =
    (transport && byId.get(transport.selectedCandidatePairId as string)) ??
    all.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  const outbound = all.filter((s) => s.type === 'outbound-rtp');
  const video = outbound.filter((s) => s.kind === 'video');
  const camera = (cameraMid != null ? video.find((s) => s.mid === cameraMid) : undefined) ?? video[0];
  const remoteIn = all.filter((s) => s.type === 'remote-inbound-rtp');
  const inVideo = all.filter((s) => s.type === 'inbound-rtp' && s.kind === 'video');
  const inAudio = all.filter((s) => s.type === 'inbound-rtp' && s.kind === 'audio');
  // Only audio's receiver reports: a paused video stream keeps its last report forever,
  // and a stale bad round trip would keep the video paused.
  const audioReports = remoteIn.filter((s) => s.kind === 'audio');
  const rtts = [opt(pair, 'currentRoundTripTime'), ...audioReports.map((s) => opt(s, 'roundTripTime'))].filter((x): x is number => x !== null);
  const rttSums = [
    { total: num(pair, 'totalRoundTripTime'), count: num(pair, 'responsesReceived') },
    { total: audioReports.reduce((n, s) => n + num(s, 'totalRoundTripTime'), 0), count: audioReports.reduce((n, s) => n + num(s, 'roundTripTimeMeasurements'), 0) },
  ];
  const fractions = audioReports.map((s) => opt(s, 'fractionLost')).filter((x): x is number => x !== null);
  const reason = camera?.qualityLimitationReason;
  const biggest = inVideo.reduce<Stat | undefined>((a, s) => (!a || num(s, 'frameWidth') > num(a, 'frameWidth') ? s : a), undefined);
  const sum = (list: Stat[], key: string) => list.reduce((n, s) => n + num(s, key), 0);
  return {
    at: num(pair ?? all[0], 'timestamp'),
    availableOutgoingBitrate: opt(pair, 'availableOutgoingBitrate'),
    rtt: rtts.length ? Math.max(...rtts) : null,
    rttSums,
    packetsSent: sum(outbound, 'packetsSent'),
    bytesSentAll: sum(outbound, 'bytesSent') + sum(outbound, 'headerBytesSent'),
    packetsLost: Math.max(0, sum(remoteIn, 'packetsLost')),
    fractionLost: fractions.length ? Math.max(...fractions) : null,
    qualityLimitationReason: typeof reason === 'string' && REASONS.has(reason) ? (reason as QualityLimitationReason) : null,
    sent: { bytes: num(camera, 'bytesSent'), width: num(camera, 'frameWidth'), height: num(camera, 'frameHeight'), fps: num(camera, 'framesPerSecond') },
    received: {
      bytes: sum(inVideo, 'bytesReceived'),
      width: num(biggest, 'frameWidth'),
      height: num(biggest, 'frameHeight'),
      fps: num(biggest, 'framesPerSecond'),
      freezes: sum(inVideo, 'freezeCount'),
    },
    audio: { packetsReceived: sum(inAudio, 'packetsReceived'), concealed: sum(inAudio, 'concealedSamples'), samples: sum(inAudio, 'totalSamplesReceived') },
  };
}

/** The second between two snapshots of one link (`prev` null: the first, rates unknown). */
export function measure(prev: Snapshot | null, cur: Snapshot): LinkStats {
  const dt = prev ? (cur.at - prev.at) / 1000 : 0;
  const rate = (a: number, b: number) => (dt > 0 ? Math.max(0, ((b - a) * 8) / dt) : 0);
  let loss: number | null = cur.fractionLost;
  if (prev) {
    const sent = cur.packetsSent - prev.packetsSent;
    const lost = Math.max(0, cur.packetsLost - prev.packetsLost);
    // Receiver reports lag the send counters by up to a second: a ratio needs enough packets.
    if (sent >= 20) loss = Math.min(1, lost / sent);
  }
  const samples = prev ? cur.audio.samples - prev.audio.samples : 0;
  const sentBitrate = rate(prev?.sent.bytes ?? 0, cur.sent.bytes);
  // The round trips measured during this interval only: a report that did not move since
  // (no new STUN response, no new receiver report) says nothing about now.
  let rtt = cur.rtt;
  if (prev) {
    const fresh = cur.rttSums
      .map((c, i) => ({ total: c.total - (prev.rttSums[i]?.total ?? 0), count: c.count - (prev.rttSums[i]?.count ?? 0) }))
      .filter((d) => d.count > 0 && d.total >= 0)
      .map((d) => d.total / d.count);
    rtt = fresh.length ? Math.max(...fresh) : null;
  }
  return {
    sample: {
      at: cur.at,
      availableOutgoingBitrate: cur.availableOutgoingBitrate,
      loss,
      rtt,
      qualityLimitationReason: cur.qualityLimitationReason,
      sentTotalBitrate: prev ? rate(prev.bytesSentAll, cur.bytesSentAll) : null,
    },
    sentBitrate,
    sentWidth: cur.sent.width,
    sentHeight: cur.sent.height,
    sentFps: cur.sent.fps,
    receivedBitrate: rate(prev?.received.bytes ?? 0, cur.received.bytes),
    receivedWidth: cur.received.width,
    receivedHeight: cur.received.height,
    receivedFps: cur.received.fps,
    freezes: cur.received.freezes,
    concealment: samples > 0 ? Math.min(1, Math.max(0, cur.audio.concealed - prev!.audio.concealed) / samples) : null,
  };
}
