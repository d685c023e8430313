/**
 * A link's quality mark from two samples a second apart, pure: packet loss over the
 * interval, round trip and frames decoded decide good / poor / bad, and the figures go
 * into the tile's tooltip. Called by stats-sampler.ts each second.
 */
import type { LinkSample } from './link-stats';

export type QualityLevel = 'good' | 'poor' | 'bad' | 'unknown';

export interface LinkQuality {
  level: QualityLevel;
  /** Lost over (lost + received) in the interval, percent. */
  lossPct: number;
  rttMs: number | null;
  /** Frames decoded per second over the interval. */
  fps: number;
  /** Received kilobits per second over the interval. */
  kbps: number;
}

/** Thresholds: loss in percent, round trip in ms. */
export const POOR = { lossPct: 2, rttMs: 300 };
export const BAD = { lossPct: 10, rttMs: 800 };

/** `videoExpected`: the remote says its camera is on, so no frames is a problem. */
export function linkQuality(prev: LinkSample | null, cur: LinkSample, videoExpected: boolean): LinkQuality {
  if (!prev || cur.at <= prev.at) {
    return { level: 'unknown', lossPct: 0, rttMs: cur.rttMs, fps: cur.framesPerSecond, kbps: 0 };
  }
  const seconds = (cur.at - prev.at) / 1000;
  const received = Math.max(0, cur.packetsReceived - prev.packetsReceived);
  const lost = Math.max(0, cur.packetsLost - prev.packetsLost);
  const lossPct = received + lost > 0 ? (100 * lost) / (received + lost) : 0;
  const fps = Math.max(0, cur.framesDecoded - prev.framesDecoded) / seconds;
  const kbps = (8 * Math.max(0, cur.bytesReceived - prev.bytesReceived)) / seconds / 1000;
  const rtt = cur.rttMs ?? 0;
  let level: QualityLevel = 'good';
  if (received === 0 && lost === 0) level = 'bad'; // nothing arrives at all
  else if (lossPct >= BAD.lossPct || rtt >= BAD.rttMs) level = 'bad';
  else if (lossPct >= POOR.lossPct || rtt >= POOR.rttMs || (videoExpected && fps < 5)) level = 'poor';
  return { level, lossPct: Math.round(lossPct * 10) / 10, rttMs: cur.rttMs, fps: Math.round(fps), kbps: Math.round(kbps) };
}

/** The tooltip text: the figures behind the mark. */
export function describeQuality(q: LinkQuality): string {
  if (q.level === 'unknown') return 'Connection: measuring…';
  const rtt = q.rttMs === null ? '–' : `${q.rttMs} ms`;
  return `Connection: ${q.level}. Loss ${q.lossPct}%, round trip ${rtt}, ${q.fps} fps, ${q.kbps} kbps`;
}
