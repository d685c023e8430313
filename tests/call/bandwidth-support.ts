/**
 * Helpers for the bandwidth browser tests (bandwidth.test.ts, shaped-uplink.test.ts):
 * read the policy's view through `window.__parley.bandwidth()` (web/src/lib/rtc/test-hook.ts),
 * a 320x240 camera so four Chromiums fit on two cores, and a way to draw one tile small.
 */
import type { BrowserContext } from 'playwright-core';
import type { Person } from './harness.js';

/** What test-hook.ts's bandwidth() returns; kept in step with it by hand. */
export interface BandwidthSnapshot {
  id: string;
  quality: string;
  reason: string | null;
  remotePaused: boolean;
  tile: { width: number; height: number } | null;
  camera: { active: boolean; maxBitrate: number | null; scaleResolutionDownBy: number | null; maxFramerate: number | null } | null;
  opusDtxFec: boolean;
  controlChannel: string | null;
  stats: {
    sentBitrate: number;
    sentWidth: number;
    sentHeight: number;
    receivedWidth: number;
    receivedHeight: number;
    receivedFps: number;
    freezes: number;
    concealment: number | null;
    sample: { at: number; availableOutgoingBitrate: number | null; sentTotalBitrate: number | null; loss: number | null; rtt: number | null };
  } | null;
}
export interface BandwidthReport {
  enabled: boolean;
  applyErrors: number;
  lastApplyError: string | null;
  peers: BandwidthSnapshot[];
}

export const bandwidth = (p: Person): Promise<BandwidthReport> =>
  p.page.evaluate(() => (window.__parley as unknown as { bandwidth(): BandwidthReport }).bandwidth());

/** Every camera in this context captures 320x240 at 15 fps (the page asks for up to 640x480): four Chromiums on two cores. */
export async function smallCamera(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const md = navigator.mediaDevices;
    const original = md.getUserMedia.bind(md);
    md.getUserMedia = (c?: MediaStreamConstraints) =>
      original(c?.video ? { ...c, video: { ...(typeof c.video === 'object' ? c.video : {}), width: { ideal: 320, max: 320 }, height: { ideal: 240, max: 240 }, frameRate: { ideal: 15, max: 15 } } } : c);
  });
}

/** Draws `who`'s video on `viewer`'s page at width x height CSS pixels (a thumbnail). */
export async function drawTileAt(viewer: Person, who: Person, width: number, height: number): Promise<void> {
  await viewer.page.addStyleTag({
    content: `video[data-participant-id="${who.id}"] { width: ${width}px !important; height: ${height}px !important; max-width: none !important; max-height: none !important; flex: none !important; }`,
  });
}

/** Inbound video size `viewer` decodes from `from` (the largest of its inbound-rtp). */
export async function receivedSize(viewer: Person, from: Person): Promise<{ width: number; height: number }> {
  return viewer.page.evaluate(async (id) => {
    const peer = (window.__parley as unknown as { peers(): { id: string }[] }).peers().find((p) => p.id === id);
    if (!peer) return { width: 0, height: 0 };
    const summary = await window.__parley!.stats();
    const s = summary.find((x) => x.id === id);
    return { width: s?.video.frameWidth ?? 0, height: s?.video.frameHeight ?? 0 };
  }, from.id);
}
