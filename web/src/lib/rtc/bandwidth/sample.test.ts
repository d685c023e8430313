import { describe, expect, it } from 'vitest';
import { decide, initialPolicy, type PolicyState } from './policy';
import { measure, snapshot, type Snapshot } from './sample';

/**
 * A getStats() report of one link as Chromium shapes it (the fields sample.ts reads, with
 * Chromium's names and units), after `t` seconds of a call whose uplink is given by `link`.
 */
interface Link {
  available: number;
  /** Fraction of packets the far end reports lost this second. */
  loss: number;
  rtt: number;
  limited: boolean;
  /** Video packets sent this second (0: paused). */
  videoPackets: number;
}
function reports(links: Link[]): Record<string, unknown>[][] {
  let rttTotal = 0, rttCount = 0, pairTotal = 0, pairCount = 0;
  let sentA = 0, sentV = 0, lostA = 0, lostV = 0, bytesV = 0, recvBytes = 0, audioIn = 0, samples = 0, concealed = 0;
  return links.map((l, t) => {
    sentA += 50;
    sentV += l.videoPackets;
    lostA += Math.round(50 * l.loss);
    lostV += Math.round(l.videoPackets * l.loss);
    bytesV += l.videoPackets * 1000;
    recvBytes += 30_000;
    audioIn += 50;
    samples += 48_000;
    concealed += 240;
    const timestamp = 1_700_000_000_000 + t * 1000;
    rttTotal += l.rtt;
    rttCount += 1;
    pairTotal += Math.min(l.rtt, 0.05);
    pairCount += 1;
    return [
      { id: 'T01', type: 'transport', timestamp, selectedCandidatePairId: 'CP1' },
      { id: 'CP1', type: 'candidate-pair', timestamp, state: 'succeeded', nominated: true, availableOutgoingBitrate: l.available, currentRoundTripTime: Math.min(l.rtt, 0.05), totalRoundTripTime: pairTotal, responsesReceived: pairCount },
      { id: 'OTa', type: 'outbound-rtp', kind: 'audio', mid: '0', timestamp, packetsSent: sentA, bytesSent: sentA * 80 },
      { id: 'OTv', type: 'outbound-rtp', kind: 'video', mid: '1', timestamp, packetsSent: sentV, bytesSent: bytesV, frameWidth: 640, frameHeight: 480, framesPerSecond: 30, qualityLimitationReason: l.limited ? 'bandwidth' : 'none' },
      { id: 'RIa', type: 'remote-inbound-rtp', kind: 'audio', timestamp, packetsLost: lostA, fractionLost: l.loss, roundTripTime: l.rtt, totalRoundTripTime: rttTotal, roundTripTimeMeasurements: rttCount },
      // A paused video stream's last receiver report lingers with whatever it said last.
      { id: 'RIv', type: 'remote-inbound-rtp', kind: 'video', timestamp, packetsLost: lostV, fractionLost: l.videoPackets ? l.loss : 0.5, roundTripTime: l.videoPackets ? l.rtt : 3 },
      { id: 'ITv', type: 'inbound-rtp', kind: 'video', timestamp, bytesReceived: recvBytes, frameWidth: 320, frameHeight: 240, framesPerSecond: 20, freezeCount: 0 },
      { id: 'ITa', type: 'inbound-rtp', kind: 'audio', timestamp, packetsReceived: audioIn, totalSamplesReceived: samples, concealedSamples: concealed },
    ];
  });
}

const good: Link = { available: 2_000_000, loss: 0, rtt: 0.03, limited: false, videoPackets: 120 };

describe('from getStats to the policy', () => {
  it('reads a Chromium-shaped report: rates, loss from the counters, the camera by mid', () => {
    const [r0, r1] = reports([good, { ...good, loss: 0.2 }]);
    const a = snapshot(r0 as never, '1');
    const b = snapshot(r1 as never, '1');
    const m = measure(a, b);
    expect(m.sample.availableOutgoingBitrate).toBe(2_000_000);
    expect(m.sample.loss).toBeCloseTo(0.2, 2);
    expect(m.sample.rtt).toBeCloseTo(0.03);
    expect(m.sentBitrate).toBe(960_000);
    expect(m.receivedBitrate).toBe(240_000);
    expect([m.sentWidth, m.receivedWidth, m.receivedFps]).toEqual([640, 320, 20]);
    expect(m.concealment).toBeCloseTo(0.005);
  });

  it('takes only round trips measured in the interval: a report that did not move is stale', () => {
    const [r0, r1] = reports([good, good]);
    const a = snapshot(r0 as never, '1');
    const stale = (r1 as Record<string, unknown>[]).map((s) => (s.type === 'remote-inbound-rtp' || s.type === 'candidate-pair' ? { ...s, roundTripTime: 43.7, currentRoundTripTime: 43.7, totalRoundTripTime: s.type === 'candidate-pair' ? 0.03 : 0.03, roundTripTimeMeasurements: 1, responsesReceived: 1 } : s));
    expect(measure(a, snapshot(stale as never, '1')).sample.rtt).toBeNull();
    expect(measure(a, snapshot(r1 as never, '1')).sample.rtt).toBeCloseTo(0.03);
  });

  it('a good link, then congestion, then recovery: good -> limited -> audio only -> recovering -> good', () => {
    const congested = (t: number): Link => ({ available: Math.max(120_000, 700_000 - t * 120_000), loss: t < 3 ? 0.02 : 0.15, rtt: 0.3, limited: true, videoPackets: 60 });
    const paused: Link = { available: 100_000, loss: 0.01, rtt: 0.04, limited: false, videoPackets: 0 };
    const seq = [
      ...Array.from({ length: 5 }, () => good),
      ...Array.from({ length: 8 }, (_, t) => congested(t)),
      ...Array.from({ length: 12 }, () => paused),
      ...Array.from({ length: 45 }, () => good),
    ];
    let state: PolicyState = initialPolicy();
    let prev: Snapshot | null = null;
    const verdicts: string[] = [];
    for (const r of reports(seq)) {
      const cur = snapshot(r as never, '1');
      const stats = measure(prev, cur);
      prev = cur;
      const out = decide(state, { camera: { width: 640, height: 480 }, screen: null, peers: [{ id: 'x', sample: stats.sample, cameraTile: null, screen: false, screenTile: null }] });
      state = out.state;
      const d = out.decisions[0]!;
      verdicts.push(d.quality === 'limited' && d.reason === 'recovering' ? 'recovering' : d.quality);
    }
    const order = verdicts.filter((v, i) => v !== verdicts[i - 1]);
    expect(order).toEqual(['good', 'limited', 'audio-only', 'recovering', 'good']);
    // The paused video stream's stale report (3 s, 50%) did not hold video back.
    expect(verdicts.indexOf('recovering')).toBeLessThan(5 + 8 + 12 + 10);
  });
});
