import { describe, expect, it } from 'vitest';
import { videoFloor } from './encoding';
import { CAMERA_PEER_CAP_BPS, CAMERA_TOTAL_BPS } from './limits';
import { decide, initialPolicy, type Encoding, type LinkSample, type PeerDecision, type PeerInput, type PolicyState } from './policy';

const CAMERA = { width: 640, height: 480 };

/** One sample per second per link; each second the stats say `f(t)` for that peer. */
function run(
  seconds: number,
  ids: string[],
  f: (id: string, t: number) => Partial<LinkSample>,
  extra: (id: string) => Partial<PeerInput> = () => ({}),
  start: PolicyState = initialPolicy(),
): { state: PolicyState; history: PeerDecision[][] } {
  let state = start;
  const history: PeerDecision[][] = [];
  for (let t = 0; t < seconds; t++) {
    const peers = ids.map((id) => ({
      id,
      cameraTile: null,
      screen: false,
      screenTile: null,
      ...extra(id),
      sample: { at: t * 1000, availableOutgoingBitrate: 3_000_000, loss: 0, rtt: 0.02, qualityLimitationReason: 'bandwidth' as const, sentTotalBitrate: null, ...f(id, t) },
    }));
    const out = decide(state, { peers, camera: CAMERA, screen: { width: 1280, height: 720 } });
    state = out.state;
    history.push(out.decisions);
  }
  return { state, history };
}

const sum = (ds: PeerDecision[]) => ds.reduce((n, d) => n + (d.camera.active ? d.camera.maxBitrate : 0), 0);
const of = (ds: PeerDecision[], id: string) => ds.find((d) => d.id === id)!;

describe('the camera budget split among peers', () => {
  it.each([1, 2, 3, 4, 5, 7])('%i peers on a good uplink: each at most 1.5 Mbps, together at most 2.5 Mbps', (n) => {
    const ids = Array.from({ length: n }, (_, i) => `p${i}`);
    const { history } = run(3, ids, () => ({}));
    for (const ds of history) {
      expect(ds).toHaveLength(n);
      for (const d of ds) {
        expect(d.camera.maxBitrate).toBeLessThanOrEqual(CAMERA_PEER_CAP_BPS);
        expect(d.camera.active).toBe(true);
        expect(d.quality).toBe('good');
      }
      expect(sum(ds)).toBeLessThanOrEqual(CAMERA_TOTAL_BPS);
    }
  });

  it('one peer gets at least 1 Mbps even for a small tile; with a measured uplink below, less', () => {
    const small = run(2, ['a'], () => ({}), () => ({ cameraTile: { width: 160, height: 120 } })).history.at(-1)!;
    expect(of(small, 'a').camera.maxBitrate).toBeGreaterThanOrEqual(1_000_000);
    expect(of(small, 'a').camera.scaleResolutionDownBy).toBe(4);
    // The estimate ramps to 1.2 Mbps, then falls to 600 kbps: the budget follows it down.
    const narrow = run(6, ['a'], (_, t) => ({ availableOutgoingBitrate: t < 3 ? 1_200_000 : 600_000 })).history.at(-1)!;
    expect(of(narrow, 'a').camera.maxBitrate).toBeLessThan(600_000);
    expect(of(narrow, 'a').quality).toBe('limited');
    expect(of(narrow, 'a').reason).toBe('uplink measured at 600 kbps');
  });

  it('when people leave, those who stay get more', () => {
    const four = run(2, ['a', 'b', 'c', 'd'], () => ({}));
    const two = run(2, ['a', 'b'], () => ({}), undefined, four.state);
    expect(of(two.history.at(-1)!, 'a').camera.maxBitrate).toBeGreaterThan(of(four.history.at(-1)!, 'a').camera.maxBitrate);
    expect(two.state.links.has('c')).toBe(false);
  });

  it('sends what the receiver shows: a thumbnail gets fewer pixels and bits, a big tile gets what is left', () => {
    const tiles: Record<string, PeerInput['cameraTile']> = { thumb: { width: 160, height: 90 }, big: { width: 1280, height: 720 }, mid: { width: 320, height: 240 } };
    const ds = run(2, Object.keys(tiles), () => ({}), (id) => ({ cameraTile: tiles[id] })).history.at(-1)!;
    const [thumb, big, mid] = ['thumb', 'big', 'mid'].map((id) => of(ds, id).camera) as [Encoding, Encoding, Encoding];
    expect(thumb.scaleResolutionDownBy).toBeGreaterThanOrEqual(4);
    expect(mid.scaleResolutionDownBy).toBe(2);
    expect(big.scaleResolutionDownBy).toBe(1);
    expect(thumb.maxBitrate).toBeLessThan(mid.maxBitrate);
    // The thumbnail's unused share goes to the big tile, beyond an even third.
    expect(big.maxBitrate).toBeGreaterThan(CAMERA_TOTAL_BPS / 3);
    expect(sum(ds)).toBeLessThanOrEqual(CAMERA_TOTAL_BPS);
  });

  it('a screen share takes its part of a link first and has its own budget', () => {
    const ds = run(2, ['a', 'b'], () => ({}), () => ({ screen: true })).history.at(-1)!;
    for (const d of ds) {
      expect(d.screen?.active).toBe(true);
      expect(d.screen!.maxBitrate).toBeGreaterThan(d.camera.maxBitrate);
    }
    expect(sum(ds)).toBeLessThanOrEqual(CAMERA_TOTAL_BPS);
    // On a narrow link the screen keeps going and the camera gives way.
    const narrow = run(8, ['a'], (_, t) => ({ availableOutgoingBitrate: t < 2 ? 900_000 : 400_000 }), () => ({ screen: true })).history.at(-1)!;
    expect(of(narrow, 'a').screen?.active).toBe(true);
    expect(of(narrow, 'a').camera.active).toBe(false);
    expect(of(narrow, 'a').reason).toBe('screen share first');
  });
});

describe('audio first', () => {
  it('sustained loss pauses only that peer\'s video, and it comes back after a healthy while, slowly', () => {
    const lossAt = (t: number) => (t >= 5 && t < 15 ? 0.2 : 0.01);
    const { history } = run(40, ['bad', 'ok'], (id, t) => (id === 'bad' ? { loss: lossAt(t) } : {}));
    const bad = history.map((ds) => of(ds, 'bad'));
    expect(bad[5]!.camera.active).toBe(true); // one bad second is not enough
    expect(bad[9]!.quality).toBe('audio-only');
    expect(bad[9]!.camera.active).toBe(false);
    expect(bad[9]!.reason).toBe('loss 20%');
    expect(history.every((ds) => of(ds, 'ok').camera.active)).toBe(true);
    // Healthy from t=15: held back for a while (hysteresis), then probing at a small budget.
    expect(bad[18]!.camera.active).toBe(false);
    const back = bad.findIndex((d, t) => t > 15 && d.camera.active);
    expect(back).toBeGreaterThan(18);
    expect(bad[back]!.quality).toBe('limited');
    expect(bad[back]!.reason).toBe('recovering');
    expect(bad[back]!.camera.maxBitrate).toBeLessThanOrEqual(250_000);
    expect(bad.at(-1)!.camera.maxBitrate).toBeGreaterThan(bad[back]!.camera.maxBitrate);
    expect(bad.at(-1)!.quality).toBe('good');
  });

  it('a long round trip pauses video; a link that relapses right after resuming waits twice as long', () => {
    const rtt = (t: number) => (t < 10 ? 1.5 : t < 24 ? 0.05 : t < 30 ? 1.5 : 0.05);
    const bad = run(60, ['x'], (_, t) => ({ rtt: rtt(t) })).history.map((ds) => of(ds, 'x'));
    expect(bad[4]!.reason).toBe('round trip 1.5 s');
    const firstBack = bad.findIndex((d, t) => t > 4 && d.camera.active);
    const pausedAgain = bad.findIndex((d, t) => t > firstBack && !d.camera.active);
    const secondBack = bad.findIndex((d, t) => t > pausedAgain && d.camera.active);
    expect(firstBack - 10).toBeLessThan(secondBack - 30);
  });

  it('an estimate that sinks because we send little (small tile, busy CPU) lowers nothing', () => {
    const estimate = (t: number) => Math.max(150_000, 900_000 - t * 60_000);
    // Chromium keeps its estimate near 1.5x what is acknowledged while the sender is application-limited.
    const ds = run(20, ['x'], (_, t) => ({ availableOutgoingBitrate: estimate(t), sentTotalBitrate: estimate(t) / 1.6, qualityLimitationReason: t % 2 ? 'none' : 'cpu' })).history;
    expect(ds.every((d) => d[0]!.camera.active && d[0]!.ceiling === CAMERA_PEER_CAP_BPS)).toBe(true);
  });

  it('three links on one narrow uplink: limited at once, then paused one at a time, the rest keep video', () => {
    // A toy uplink of 300 kbit/s shared by three links, each with 50 kbps of audio: the
    // links that send video split what audio leaves; a paused link keeps only its audio.
    // (Chromium's encoder at 320x240 reports no limitation, so only the estimate tells.)
    const tile = { width: 320, height: 240 };
    const UPLINK = 300_000;
    let state = initialPolicy();
    let asked = new Map<string, number>([['a', 230_000], ['b', 230_000], ['c', 230_000]]);
    const history: PeerDecision[][] = [];
    for (let t = 0; t < 60; t++) {
      const shaped = t >= 5 && t < 40;
      const sending = [...asked].filter(([, bps]) => bps > 0);
      const room = ((shaped ? UPLINK : 10_000_000) - 3 * 50_000) / Math.max(1, sending.length);
      const peers = ['a', 'b', 'c'].map((id) => {
        const want = asked.get(id)!;
        const available = want > 0 ? Math.min(room, 1.5 * want + 10_000) + 50_000 : 85_000;
        return {
          id, cameraTile: tile, screen: false, screenTile: null,
          sample: { at: t * 1000, availableOutgoingBitrate: available, sentTotalBitrate: Math.min(want, available - 50_000) + 50_000, loss: 0, rtt: shaped ? 0.3 : 0.02, qualityLimitationReason: 'none' as const },
        };
      });
      const out = decide(state, { peers, camera: { width: 320, height: 240 }, screen: null });
      state = out.state;
      history.push(out.decisions);
      asked = new Map(out.decisions.map((d) => [d.id, d.camera.active ? d.camera.maxBitrate : 0]));
    }
    const paused = (ds: PeerDecision[]) => ds.filter((d) => d.quality === 'audio-only').length;
    expect(history[4]!.every((d) => d.quality === 'good')).toBe(true);
    // Within two seconds of the shaping every link knows it is limited, by the uplink.
    expect(history[7]!.every((d) => d.quality !== 'good')).toBe(true);
    expect(history[7]!.map((d) => d.reason)).toContain('uplink measured at 100 kbps');
    // Pauses come one at a time, and some video goes on.
    for (let t = 1; t < history.length; t++) expect(paused(history[t]!) - paused(history[t - 1]!)).toBeLessThanOrEqual(1);
    // The links that keep video keep it: a paused link that tries to come back while the
    // uplink is still narrow goes back to audio only, not one of them.
    const keepers = history[12]!.filter((d) => d.camera.active).map((d) => d.id);
    expect(keepers).toHaveLength(2);
    for (let t = 12; t < 40; t++) for (const id of keepers) expect(of(history[t]!, id).camera.active).toBe(true);
    const shapedEnd = history[39]!;
    expect(paused(shapedEnd)).toBeGreaterThanOrEqual(1);
    expect(paused(shapedEnd)).toBeLessThan(3);
    // The caps follow the uplink: video caps plus audio, on average over the narrow spell,
    // within 10% of 300 kbit/s (they saw up and down around the estimate: lowered to 90% of
    // it, raised while it has room; the estimate holds the encoder anyway).
    const spell = history.slice(15, 40);
    expect(spell.reduce((n, ds) => n + sum(ds) + 3 * 50_000, 0) / spell.length).toBeLessThanOrEqual(UPLINK * 1.1);
    // A 320x240 picture is worth sending down to 60 kbps (a 640x480 one to 150 kbps).
    for (const d of shapedEnd.filter((x) => x.camera.active)) expect(d.camera.maxBitrate).toBeGreaterThanOrEqual(60_000);
    // After the shaping is lifted everyone has video again within seconds, although the
    // paused link's wait had doubled on its failed probes: the others show the room.
    expect(history[50]!.every((d) => d.camera.active && d.quality !== 'audio-only')).toBe(true);
    expect(history.at(-1)!.every((d) => d.quality === 'good')).toBe(true);
  });

  it('how little video is worth sending depends on the picture: 150 kbps for 640x480, less for a small tile', () => {
    expect(videoFloor({ width: 640, height: 480 }, null)).toBe(150_000);
    expect(videoFloor({ width: 1280, height: 720 }, { width: 1280, height: 720 })).toBe(150_000);
    expect(videoFloor({ width: 640, height: 480 }, { width: 480, height: 360 })).toBe(97_428);
    expect(videoFloor({ width: 320, height: 240 }, null)).toBe(60_000);
    // 100 kbps for a small tile keeps video; for a full picture it is audio only.
    const small = run(10, ['x'], (_, t) => ({ availableOutgoingBitrate: t < 2 ? 800_000 : 160_000 }), () => ({ cameraTile: { width: 320, height: 240 } })).history.at(-1)!;
    expect(of(small, 'x').camera.active).toBe(true);
    expect(of(small, 'x').quality).toBe('limited');
    const full = run(10, ['x'], (_, t) => ({ availableOutgoingBitrate: t < 2 ? 800_000 : 160_000 })).history.at(-1)!;
    expect(of(full, 'x').quality).toBe('audio-only');
  });

  it('a budget under 150 kbps is audio only; a flicker of trouble is not', () => {
    const starved = run(10, ['x'], (_, t) => ({ availableOutgoingBitrate: t < 2 ? 800_000 : 120_000 })).history.at(-1)!;
    expect(of(starved, 'x').quality).toBe('audio-only');
    expect(of(starved, 'x').reason).toMatch(/^uplink for video \d+ kbps$/);
    const flicker = run(20, ['x'], (_, t) => ({ loss: t % 3 === 0 ? 0.3 : 0 })).history;
    expect(flicker.every((ds) => ds[0]!.camera.active)).toBe(true);
  });
});

/**
 * Recorded: Ada's three links every 2 s in a real run of tests/call/shaped-uplink.test.ts
 * (500 kbit/s tbf uplink, 320x240 cameras at 15 fps, a loaded 2-core machine): per link
 * [availableOutgoingBitrate kbps, everything sent kbps, round trip ms or null]. Replayed
 * open loop (what we send does not answer what the policy sets), after 10 s unshaped.
 */
const RECORDED: [number, number, number | null][][] = [
  [[122, 92, 59], [173, 92, 570], [183, 82, null]],
  [[89, 66, 1882], [126, 55, 2729], [92, 74, null]],
  [[105, 83, 607], [168, 110, null], [98, 86, 109]],
  [[96, 65, null], [115, 50, null], [123, 47, null]],
  [[298, 133, 351], [393, 110, null], [91, 71, null]],
  [[104, 71, null], [86, 62, null], [90, 41, null]],
  [[88, 66, 330], [113, 91, null], [102, 42, null]],
  [[66, 28, null], [160, 77, 17], [130, 65, null]],
  [[92, 35, null], [84, 71, null], [330, 122, null]],
  [[101, 72, 385], [116, 89, 118], [101, 158, 403]],
  [[96, 37, 324], [130, 99, null], [304, 144, 106]],
  [[98, 39, null], [128, 71, null], [312, 104, null]],
  [[85, 33, 193], [112, 56, null], [86, 62, null]],
  [[110, 35, null], [93, 78, null], [93, 60, null]],
  [[81, 36, null], [107, 36, 876], [97, 59, 959]],
];

describe('a recorded narrow uplink, replayed', () => {
  it('the links are seen limited as they use what their estimates allow, pause at most one at a time, and a round trip spike alone pauses none', () => {
    let state = initialPolicy();
    const tile = { width: 320, height: 240 };
    const ids = ['bo', 'cy', 'dee'];
    const history: PeerDecision[][] = [];
    const step = (at: number, sample: (i: number) => Partial<LinkSample>) => {
      const peers = ids.map((id, i) => ({ id, cameraTile: tile, screen: false, screenTile: null, sample: { at, loss: 0, rtt: 0.01, qualityLimitationReason: 'none' as const, availableOutgoingBitrate: null, sentTotalBitrate: null, ...sample(i) } }));
      const out = decide(state, { peers, camera: { width: 320, height: 240 }, screen: null });
      state = out.state;
      history.push(out.decisions);
    };
    for (let t = 0; t < 10; t++) step(t * 1000, () => ({ availableOutgoingBitrate: 400_000 + t * 10_000, sentTotalBitrate: 280_000 }));
    expect(history.at(-1)!.every((d) => d.quality === 'good' && d.camera.maxBitrate === 230_400)).toBe(true);
    RECORDED.forEach((row, k) =>
      step(10_000 + (k + 1) * 2000, (i) => ({ availableOutgoingBitrate: row[i]![0] * 1000, sentTotalBitrate: row[i]![1] * 1000, rtt: row[i]![2] === null ? null : row[i]![2]! / 1000 })),
    );
    const replay = history.slice(10);
    // A link is seen held back at the first narrow sample where it sends about all its
    // estimate allows (on this loaded run the encoders often sent half of it: not yet), and
    // later all three are at once.
    expect(replay[0]!.some((d) => d.quality === 'limited' && d.reason?.startsWith('uplink measured at'))).toBe(true);
    expect(replay.some((ds) => ds.every((d) => d.quality === 'limited'))).toBe(true);
    const paused = (ds: PeerDecision[]) => ds.filter((d) => d.quality === 'audio-only').length;
    for (let t = 1; t < replay.length; t++) expect(paused(replay[t]!) - paused(replay[t - 1]!)).toBeLessThanOrEqual(1);
    // The 2.7 s round trip at the second sample was one sample: no link paused for it.
    expect(replay.flat().some((d) => d.reason?.startsWith('round trip'))).toBe(false);
  });
});
