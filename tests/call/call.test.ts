/**
 * A real call in Debian's Chromium against the production server: three people join
 * through the room page and see each other; one mutes, one leaves, a late joiner connects
 * to everyone, and someone whose camera is blocked joins with audio only. Everything is
 * 127.0.0.1 (the "netns" project runs under `unshare -n`, see tests/vitest.config.ts).
 * The mesh stays at three: two cores decode three 640x480 streams each comfortably.
 */
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import {
  audioEnergy,
  closeAll,
  departed,
  expectConnected,
  firstFramesFrom,
  join,
  newRoom,
  openRoom,
  peers,
  stats,
  type Person,
} from './harness.js';

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

async function person(slug: string, name: string, b: Browser = browser, options = {}): Promise<Person> {
  const p = await openRoom(b, server.url, slug, name, options);
  everyone.push(p);
  return p;
}

describe('a three-person call', () => {
  let slug: string;
  let ada: Person;
  let bo: Person;
  let cy: Person;

  it('three people join through the page and each decodes the other two', async () => {
    slug = await newRoom(server.url, 'Design Review');
    [ada, bo, cy] = await Promise.all([person(slug, 'Ada'), person(slug, 'Bo'), person(slug, 'Cy')]);

    await join(ada);
    await join(bo);
    const boFirst = await firstFramesFrom(bo, [ada]);
    await join(cy);
    const cyFirst = await firstFramesFrom(cy, [ada, bo]);
    console.info(`join-to-first-frame: Bo (1 peer) ${boFirst} ms, Cy (2 peers) ${cyFirst} ms`);

    await expectConnected(ada, [bo, cy]);
    await expectConnected(bo, [ada, cy]);
    await expectConnected(cy, [ada, bo]);

    // The page: our own mirrored preview, a tile per other person, and who is here.
    for (const p of [ada, bo, cy]) {
      const local = p.page.locator('video[data-local]');
      expect(await local.evaluate((v) => getComputedStyle(v).transform)).toBe('matrix(-1, 0, 0, 1, 0, 0)');
      expect(await p.page.locator('video[data-participant-id]').count()).toBe(2);
      const list = p.page.getByRole('list', { name: 'Participants' });
      for (const name of ['Ada', 'Bo', 'Cy']) await list.getByText(name, { exact: true }).waitFor();
    }
    await expect.poll(() => ada.page.locator('[data-tile][data-state="connected"]').count()).toBe(2);
    const shot = joinPath(tmpdir(), 'parley-three-person-call.png');
    await ada.page.screenshot({ path: shot, fullPage: true });
    console.info(`screenshot: ${shot}`);
    expect([...ada.errors, ...bo.errors, ...cy.errors]).toEqual([]);
  });

  it('"Mute" silences that person for the others', async () => {
    const [beforeBo, beforeCy] = await Promise.all([audioEnergy(bo, ada), audioEnergy(cy, ada)]);
    await ada.page.getByRole('button', { name: 'Mute' }).click();
    await ada.page.getByRole('button', { name: 'Unmute' }).waitFor();
    await new Promise((r) => setTimeout(r, 500)); // let the jitter buffer drain the beeps in flight
    const [afterBo, afterCy] = await Promise.all([audioEnergy(bo, ada), audioEnergy(cy, ada)]);
    console.info(`audio energy from Ada over 2 s: before mute ${beforeBo.toExponential(2)} / ${beforeCy.toExponential(2)}, after ${afterBo.toExponential(2)} / ${afterCy.toExponential(2)}`);
    expect(beforeBo).toBeGreaterThan(1e-4);
    expect(beforeCy).toBeGreaterThan(1e-4);
    expect(afterBo).toBeLessThan(beforeBo / 100);
    expect(afterCy).toBeLessThan(beforeCy / 100);

    await ada.page.getByRole('button', { name: 'Unmute' }).click();
    await ada.page.getByRole('button', { name: 'Mute' }).waitFor();
  });

  it('"Stop video" and "Start video" switch the camera', async () => {
    await bo.page.getByRole('button', { name: 'Stop video' }).click();
    await bo.page.getByRole('button', { name: 'Start video' }).click();
    await bo.page.getByRole('button', { name: 'Stop video' }).waitFor();
  });

  it('"Leave" removes that person\'s tile for the others and closes their connection', async () => {
    const cyId = cy.id;
    await cy.page.getByRole('button', { name: 'Leave' }).click();
    await cy.page.getByRole('button', { name: 'Join call' }).waitFor();
    for (const p of [ada, bo]) {
      await p.page.locator(`video[data-participant-id="${cyId}"]`).waitFor({ state: 'detached' });
      expect((await peers(p)).map((s) => s.id)).not.toContain(cyId);
      expect(await departed(p)).toContainEqual(expect.objectContaining({ id: cyId, connectionState: 'closed' }));
      await p.page.getByRole('list', { name: 'Participants' }).getByText('Cy', { exact: true }).waitFor({ state: 'detached' });
    }
    // Cy's own side is closed too, and the camera is off.
    expect(await peers(cy)).toEqual([]);
    expect((await departed(cy)).every((s) => s.connectionState === 'closed')).toBe(true);
  });

  it('a late joiner connects to everyone already there', async () => {
    const dee = await person(slug, 'Dee');
    await join(dee);
    const first = await firstFramesFrom(dee, [ada, bo]);
    console.info(`join-to-first-frame: Dee (late, 2 peers) ${first} ms`);
    await expectConnected(dee, [ada, bo]);
    await expectConnected(ada, [bo, dee]);
    await expectConnected(bo, [ada, dee]);
    await dee.page.getByRole('button', { name: 'Leave' }).click();
    await ada.page.locator(`video[data-participant-id="${dee.id}"]`).waitFor({ state: 'detached' });
  });

  it('someone whose camera is blocked joins with audio only, and the others still connect', async () => {
    // No auto-accepting fake UI: the context grants the microphone only, prompts are denied.
    const strict = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS.filter((a) => a !== '--use-fake-ui-for-media-stream'), '--deny-permission-prompts'],
    });
    try {
      const eve = await person(slug, 'Eve', strict, { permissions: ['microphone'] });
      await eve.page.getByText('Your camera is blocked; you will join with audio only.').waitFor();
      await join(eve);
      await eve.page.getByText('Your camera is blocked; you joined with audio only.').waitFor();
      await expect.poll(async () => (await peers(ada)).find((s) => s.id === eve.id)?.connectionState, { timeout: 15_000 }).toBe('connected');
      await expect.poll(async () => (await peers(bo)).find((s) => s.id === eve.id)?.connectionState, { timeout: 15_000 }).toBe('connected');
      // Eve sees both others; they hear her (the fake microphone beeps).
      await firstFramesFrom(eve, [ada, bo]);
      await expectConnected(eve, [ada, bo]);
      // They receive her audio. (Its energy is not asserted: in a Chromium launched without
      // --use-fake-ui-for-media-stream the fake microphone sent silence here.)
      const heard = async () => (await stats(ada)).find((s) => s.id === eve.id)?.audio.totalSamplesDuration ?? 0;
      const h0 = await heard();
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await heard()).toBeGreaterThan(h0 + 0.5);
      // No camera: the video button offers "Start video" and cannot be pressed.
      expect(await eve.page.getByRole('button', { name: 'Start video' }).isDisabled()).toBe(true);
      // Without a camera she shows as camera off to the others (her initial, not a black frame).
      for (const p of [ada, bo]) await p.page.locator(`[data-tile="${eve.id}"][data-camera-off]`).waitFor({ timeout: 10_000 });
      expect(await ada.page.locator(`[data-tile="${eve.id}"][data-muted]`).count()).toBe(0);
      expect(eve.errors).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
