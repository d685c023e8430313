import { describe, expect, it } from 'vitest';
import type { PeerBandwidth } from './controller';
import { describeSending, detailRows } from './describe';

const base: PeerBandwidth = {
  id: 'p',
  quality: 'limited',
  reason: 'uplink measured at 420 kbps',
  camera: { active: true, maxBitrate: 370_000, maxFramerate: 30, scaleResolutionDownBy: 2 },
  remotePaused: false,
  remoteReason: null,
  tile: { width: 320, height: 240 },
  stats: {
    sample: { at: 1, availableOutgoingBitrate: 420_000, loss: 0.034, rtt: 0.123, qualityLimitationReason: 'bandwidth', sentTotalBitrate: 410_000 },
    sentBitrate: 351_000, sentWidth: 320, sentHeight: 240, sentFps: 29.6,
    receivedBitrate: 600_000, receivedWidth: 640, receivedHeight: 480, receivedFps: 24,
    freezes: 0, concealment: 0,
  },
};

describe('link details', () => {
  it('says why video is limited or paused', () => {
    expect(describeSending(base)).toBe('Limited: uplink measured at 420 kbps');
    expect(describeSending({ ...base, quality: 'audio-only', reason: 'loss 14%' })).toBe('Video paused to keep audio clear (loss 14%)');
    expect(describeSending({ ...base, quality: 'good', reason: null })).toBe('Good');
  });

  it('lists the figures both ways', () => {
    const rows = Object.fromEntries(detailRows({ ...base, remotePaused: true, remoteReason: 'round trip 1.2 s' }).map((r) => [r.label, r.value]));
    expect(rows).toEqual({
      'Your video to them': 'Limited: uplink measured at 420 kbps',
      'Their video': 'Paused by them to keep audio clear (round trip 1.2 s)',
      Sent: '351 kbps, 320×240, 30 fps',
      Received: '600 kbps, 640×480, 24 fps',
      Loss: '3.4%',
      'Round trip': '123 ms',
      'Uplink estimate': '420 kbps',
      'Camera cap': '370 kbps, 30 fps, scaled down 2× for a 320×240 tile',
      'Encoder limited by': 'bandwidth',
    });
    expect(detailRows({ ...base, stats: null, camera: null }).map((r) => r.label)).toEqual(['Your video to them']);
  });
});
