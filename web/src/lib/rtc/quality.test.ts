import { describe, expect, it } from 'vitest';
import { readLinkStats, type LinkSample } from './link-stats';
import { describeQuality, linkQuality } from './quality';

const base: LinkSample = {
  at: 0,
  packetsReceived: 1000,
  packetsLost: 0,
  bytesReceived: 100_000,
  framesDecoded: 100,
  framesPerSecond: 20,
  frameWidth: 320,
  frameHeight: 240,
  rttMs: 20,
  availableOutgoingBitrate: null,
};
const later = (p: Partial<LinkSample>): LinkSample => ({ ...base, at: 1000, ...p });

describe('readLinkStats', () => {
  it('sums inbound audio and video and takes the selected pair round trip', () => {
    const s = readLinkStats(
      [
        { id: 'a', type: 'inbound-rtp', kind: 'audio', packetsReceived: 50, packetsLost: 1, bytesReceived: 5000 },
        { id: 'v', type: 'inbound-rtp', kind: 'video', packetsReceived: 100, packetsLost: -2, bytesReceived: 90000, framesDecoded: 40, framesPerSecond: 19, frameWidth: 320, frameHeight: 240 },
        { id: 't', type: 'transport', selectedCandidatePairId: 'cp' },
        { id: 'cp', type: 'candidate-pair', currentRoundTripTime: 0.0425, availableOutgoingBitrate: 1_500_000 },
      ],
      5,
    );
    expect(s).toEqual({
      at: 5,
      packetsReceived: 150,
      packetsLost: 1,
      bytesReceived: 95000,
      framesDecoded: 40,
      framesPerSecond: 19,
      frameWidth: 320,
      frameHeight: 240,
      rttMs: 43,
      availableOutgoingBitrate: 1_500_000,
    });
  });
});

describe('linkQuality', () => {
  it('is unknown for the first sample', () => {
    expect(linkQuality(null, base, true).level).toBe('unknown');
  });

  it('good, poor and bad from loss, round trip and frames', () => {
    const ok = later({ packetsReceived: 1100, framesDecoded: 120, bytesReceived: 150_000 });
    expect(linkQuality(base, ok, true)).toEqual({ level: 'good', lossPct: 0, rttMs: 20, fps: 20, kbps: 400 });
    expect(linkQuality(base, later({ packetsReceived: 1097, packetsLost: 3, framesDecoded: 120 }), true)).toMatchObject({ level: 'poor', lossPct: 3 });
    expect(linkQuality(base, later({ packetsReceived: 1100, framesDecoded: 120, rttMs: 400 }), true).level).toBe('poor');
    expect(linkQuality(base, later({ packetsReceived: 1100, framesDecoded: 101 }), true).level).toBe('poor');
    expect(linkQuality(base, later({ packetsReceived: 1100, framesDecoded: 101 }), false).level).toBe('good'); // camera off: no frames is fine
    expect(linkQuality(base, later({ packetsReceived: 1080, packetsLost: 20, framesDecoded: 120 }), true).level).toBe('bad');
    expect(linkQuality(base, later({}), true).level).toBe('bad'); // nothing arrived
  });

  it('says the figures in the tooltip', () => {
    expect(describeQuality({ level: 'poor', lossPct: 3, rttMs: 120, fps: 15, kbps: 300 })).toBe(
      'Connection: poor. Loss 3%, round trip 120 ms, 15 fps, 300 kbps',
    );
  });
});
