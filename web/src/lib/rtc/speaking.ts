/**
 * Who is speaking, pure: fed one audio reading per participant every ~200 ms (from
 * getStats on their audio receiver), it marks them speaking while their level is over a
 * threshold and for HOLD_MS after, so the highlight does not flicker between words
 * (after Galène's totalAudioEnergy loop). The active speaker is the loudest of those
 * speaking, kept until someone else speaks. speaker-sampler.ts drives it.
 */

/** A receiver's cumulative audio figures (inbound-rtp). */
export interface AudioReading {
  /** Instant level, 0..1 (RFC 6464 scale, linear). */
  audioLevel?: number;
  /** Cumulative energy and duration: their deltas give the level over the interval. */
  totalAudioEnergy?: number;
  totalSamplesDuration?: number;
}

export const SPEAKING_THRESHOLD = 0.02;
export const HOLD_MS = 700;

interface Track {
  last: AudioReading | null;
  lastLoudAt: number;
  level: number;
}

export class SpeakingDetector {
  readonly #tracks = new Map<string, Track>();
  #active: string | null = null;

  constructor(
    readonly threshold = SPEAKING_THRESHOLD,
    readonly holdMs = HOLD_MS,
  ) {}

  /** Takes one reading; returns the level over the interval since the previous one. */
  sample(id: string, reading: AudioReading, now: number): number {
    const track = this.#tracks.get(id) ?? { last: null, lastLoudAt: -Infinity, level: 0 };
    const level = levelOf(track.last, reading);
    track.last = reading;
    track.level = level;
    if (level >= this.threshold) track.lastLoudAt = now;
    this.#tracks.set(id, track);
    return level;
  }

  /** Everyone heard within the hold, as of `now`. */
  speaking(now: number): Set<string> {
    const out = new Set<string>();
    for (const [id, t] of this.#tracks) if (now - t.lastLoudAt <= this.holdMs) out.add(id);
    return out;
  }

  /**
   * The active speaker: the current one while it still speaks (so a speaker view does
   * not jump between voices), else the loudest of those speaking, else whoever spoke last.
   */
  active(now: number): string | null {
    const speaking = this.speaking(now);
    if (this.#active !== null && speaking.has(this.#active)) return this.#active;
    let loudest: string | null = null;
    let level = -1;
    for (const id of speaking) {
      const t = this.#tracks.get(id)!;
      if (t.level > level) [loudest, level] = [id, t.level];
    }
    if (loudest !== null) this.#active = loudest;
    else if (this.#active !== null && !this.#tracks.has(this.#active)) this.#active = null;
    return this.#active;
  }

  /** Someone left (or muted): forget them at once, no hold. */
  forget(id: string): void {
    this.#tracks.delete(id);
    if (this.#active === id) this.#active = null;
  }
}

/** RMS level from energy deltas when the browser gives them, else the instant level. */
export function levelOf(prev: AudioReading | null, cur: AudioReading): number {
  if (prev && cur.totalAudioEnergy !== undefined && prev.totalAudioEnergy !== undefined) {
    const dE = cur.totalAudioEnergy - prev.totalAudioEnergy;
    const dT = (cur.totalSamplesDuration ?? 0) - (prev.totalSamplesDuration ?? 0);
    if (dT > 0 && dE >= 0) return Math.sqrt(dE / dT);
  }
  return cur.audioLevel ?? 0;
}
