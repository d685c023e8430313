import { describe, expect, it } from 'vitest';
import { HOLD_MS, SpeakingDetector, levelOf } from './speaking';

/** A reading after `seconds` of audio at RMS `level`, continuing `prev`. */
function after(prev: { e: number; t: number }, level: number, seconds = 0.2) {
  const next = { e: prev.e + level * level * seconds, t: prev.t + seconds };
  return { next, reading: { totalAudioEnergy: next.e, totalSamplesDuration: next.t, audioLevel: level } };
}

describe('levelOf', () => {
  it('uses the energy over the interval, falling back to the instant level', () => {
    expect(levelOf(null, { audioLevel: 0.3 })).toBe(0.3);
    expect(levelOf({ totalAudioEnergy: 1, totalSamplesDuration: 10 }, { totalAudioEnergy: 1.05, totalSamplesDuration: 10.2 })).toBeCloseTo(0.5);
    expect(levelOf({ totalAudioEnergy: 1, totalSamplesDuration: 10 }, { totalAudioEnergy: 1, totalSamplesDuration: 10, audioLevel: 0.1 })).toBe(0.1);
  });
});

describe('SpeakingDetector', () => {
  it('marks a loud participant speaking and holds it ~700 ms after they stop', () => {
    const d = new SpeakingDetector();
    let a = { e: 0, t: 0 };
    let now = 0;
    const feed = (level: number) => {
      const r = after(a, level);
      a = r.next;
      now += 200;
      d.sample('a', r.reading, now);
    };
    feed(0); // first reading: energy baseline
    feed(0.001);
    expect(d.speaking(now).has('a')).toBe(false);
    feed(0.3);
    expect(d.speaking(now).has('a')).toBe(true);
    const loudAt = now;
    // Silence: still speaking within the hold (no flicker between words), then not.
    feed(0);
    feed(0);
    feed(0);
    expect(now - loudAt).toBeLessThanOrEqual(HOLD_MS);
    expect(d.speaking(now).has('a')).toBe(true);
    feed(0);
    expect(d.speaking(now).has('a')).toBe(false);
  });

  it('the active speaker is the loudest, and stays after everyone falls silent', () => {
    const d = new SpeakingDetector();
    d.sample('a', { audioLevel: 0.1 }, 0);
    d.sample('b', { audioLevel: 0.4 }, 0);
    expect(d.active(0)).toBe('b');
    // Someone louder does not take over while the active speaker still speaks.
    d.sample('a', { audioLevel: 0.9 }, 200);
    d.sample('b', { audioLevel: 0.3 }, 200);
    expect(d.active(200)).toBe('b');
    d.sample('a', { audioLevel: 0.2 }, 2000);
    d.sample('b', { audioLevel: 0 }, 2000);
    expect(d.active(2000)).toBe('a');
    d.sample('a', { audioLevel: 0 }, 4000);
    expect(d.speaking(4000).size).toBe(0);
    expect(d.active(4000)).toBe('a');
    d.forget('a');
    expect(d.active(4000)).toBeNull();
    expect(d.speaking(4000).has('a')).toBe(false);
  });
});
