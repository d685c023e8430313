/**
 * The mesh bandwidth policy in a real four-person call (Chromium, 320x240 fake cameras,
 * loopback only): every camera sender carries a maxBitrate within the contract's budget,
 * a tile drawn as a thumbnail receives fewer pixels than a large one, Opus runs with DTX
 * and FEC, and when people leave the ones who stay get more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { bandwidth, drawTileAt, receivedSize, smallCamera } from './bandwidth-support.js';
import { closeAll, firstFramesFrom, join, newRoom, openRoom, type Person } from './harness.js';

let server: RunningServer;
let browser: Browser;
const everyone: Person[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await closeAll(everyone);
  await browser?.close();
  await server?.stop();
});

async function person(slug: string, name: string): Promise<Person> {
  const p = await openRoom(browser, server.url, slug, name);
  await smallCamera(p.context);
  // Four Chromiums on two shared cores: every step may take a while.
  p.page.setDefaultTimeout(60_000);
  await p.page.reload();
  everyone.push(p);
  return p;
}

/** Polls until `check` passes (it throws while it does not), within a generous budget. */
async function eventually(check: () => Promise<void>, watch: Person[] = [], timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) {
        for (const p of watch) console.info(`${p.name} (${p.id}) bandwidth: ${JSON.stringify(await bandwidth(p))}`);
        throw err;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

describe('a four-person mesh that knows it is a mesh', () => {
  let people: Person[];

  // Four Chromiums on two shared cores: joins and renegotiations take their time.
  it('every camera sender has maxBitrate set, each at most 1.5 Mbps, at most 2.5 Mbps per participant', { timeout: 300_000 }, async () => {
    const slug = await newRoom(server.url, 'Budget');
    people = await Promise.all(['Ada', 'Bo', 'Cy', 'Dee'].map((n) => person(slug, n)));
    for (const p of people) await join(p);
    for (const p of people) await firstFramesFrom(p, people.filter((o) => o !== p), 90_000);
    for (const p of people) {
      await eventually(async () => {
        const report = await bandwidth(p);
        expect(report.enabled).toBe(true);
        expect(report.peers).toHaveLength(3);
        const caps = report.peers.map((s) => s.camera?.maxBitrate ?? null);
        for (const cap of caps) {
          expect(cap, `${p.name}: every camera sender has maxBitrate`).not.toBeNull();
          expect(cap!).toBeGreaterThan(0);
          expect(cap!).toBeLessThanOrEqual(1_500_000);
        }
        expect(caps.reduce<number>((n, c) => n + c!, 0)).toBeLessThanOrEqual(2_500_000);
        // Opus with DTX and FEC, and the control channel up (tile sizes travel on it).
        for (const s of report.peers) {
          expect(s.opusDtxFec, `${p.name} -> ${s.id}: Opus DTX+FEC`).toBe(true);
          expect(s.controlChannel).toBe('open');
        }
      }, [p]);
      const report = await bandwidth(p);
      console.info(`${p.name}: camera maxBitrate per peer ${report.peers.map((s) => `${Math.round(s.camera!.maxBitrate! / 1000)}k@/${s.camera!.scaleResolutionDownBy}`).join(', ')}; quality ${report.peers.map((s) => s.quality).join(', ')}`);
      expect(report.applyErrors, `${p.name}: setParameters failed (last: ${report.lastApplyError})`).toBe(0);
    }
  });

  it('a thumbnail-sized tile receives a smaller resolution than a large one', { timeout: 240_000 }, async () => {
    const [ada, bo, cy] = people as [Person, Person, Person, Person];
    await drawTileAt(ada, bo, 120, 90);
    await drawTileAt(ada, cy, 640, 480);
    // Bo hears from Ada's page how large it draws him, and scales his encoding to it.
    await eventually(async () => {
      const fromBo = (await bandwidth(bo)).peers.find((s) => s.id === ada.id)!;
      expect(fromBo.tile).toEqual({ width: 120, height: 90 });
      expect(fromBo.camera!.scaleResolutionDownBy).toBeGreaterThanOrEqual(2);
      const fromCy = (await bandwidth(cy)).peers.find((s) => s.id === ada.id)!;
      // The layout may clamp the large tile; it stays at least the camera's 320 px wide.
      expect(fromCy.tile!.width).toBeGreaterThanOrEqual(320);
      expect(fromCy.camera!.scaleResolutionDownBy).toBe(1);
    }, [ada, bo, cy], 90_000);
    await eventually(async () => {
      const small = await receivedSize(ada, bo);
      const large = await receivedSize(ada, cy);
      expect(small.width).toBeGreaterThan(0);
      expect(small.width).toBeLessThanOrEqual(160);
      expect(large.width).toBeGreaterThan(small.width);
    }, [ada, bo, cy], 90_000);
    console.info(`Ada receives Bo (thumbnail 120x90) at ${JSON.stringify(await receivedSize(ada, bo))}, Cy (640x480 tile) at ${JSON.stringify(await receivedSize(ada, cy))}`);
  });

  it('when people leave, those who stay get more', { timeout: 240_000 }, async () => {
    const [ada, bo, cy, dee] = people as [Person, Person, Person, Person];
    const before = (await bandwidth(ada)).peers.find((s) => s.id === bo.id)!.camera!.maxBitrate!;
    await cy.page.getByRole('button', { name: 'Leave' }).click({ timeout: 60_000 });
    await dee.page.getByRole('button', { name: 'Leave' }).click({ timeout: 60_000 });
    await eventually(async () => {
      const report = await bandwidth(ada);
      expect(report.peers.map((s) => s.id)).toEqual([bo.id]);
      // One peer: at least 1 Mbps (the contract), whatever the tile.
      expect(report.peers[0]!.camera!.maxBitrate!).toBeGreaterThanOrEqual(1_000_000);
      expect(report.peers[0]!.camera!.maxBitrate!).toBeLessThanOrEqual(1_500_000);
    }, [ada, bo], 60_000);
    const after = (await bandwidth(ada)).peers[0]!.camera!.maxBitrate!;
    console.info(`Ada -> Bo camera maxBitrate: ${before} with 3 peers, ${after} with 1`);
    expect(after).toBeGreaterThan(before);
    expect([...ada.errors, ...bo.errors]).toEqual([]);
  });
});
