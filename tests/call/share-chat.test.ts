/**
 * Screen sharing and room chat in Chromium (issue #12), three people at a time with
 * 320x240 fake cameras; `--use-fake-ui-for-media-stream` answers getDisplayMedia with a
 * fake screen. A share reaches the others as a playing video[data-screen-of] while the
 * presenter's camera keeps playing; a late joiner sees the ongoing share; stopping with
 * the button or by the track ending (the browser's own stop) removes it everywhere.
 * Chat: messages typed in several browsers appear everywhere in one order; HTML shows as
 * text; 2,001 characters are refused with a sentence; a late joiner and, after an API
 * restart, a new joiner see the history. Screenshots (chat open, a share; 1280x800 and
 * 390x844) go to docs/screenshots with PARLEY_SCREENSHOTS=1 (else the temp dir).
 */
import { tmpdir } from 'node:os';
import { join as joinPath, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { closeAll, join, newRoom, smallCameras, type Person } from './harness.js';

const SHOTS = process.env.PARLEY_SCREENSHOTS === '1' ? resolve(import.meta.dirname, '../../docs/screenshots') : tmpdir();
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let server: RunningServer;
let browser: Browser;
let slug: string;
const everyone: Person[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  slug = await newRoom(server.url, 'Show and tell');
}, 600_000);
afterAll(async () => {
  await closeAll(everyone);
  await browser?.close();
  await server?.stop();
});

/** A person whose screen captures are kept in window.__screens (to end one as the browser's stop button does) and made small. */
async function person(name: string, viewport = DESKTOP, url = server.url): Promise<Person> {
  const context = await browser.newContext({ baseURL: url, viewport, permissions: ['camera', 'microphone'] });
  await smallCameras(context);
  await context.addInitScript(() => {
    const md = navigator.mediaDevices;
    const original = md.getDisplayMedia.bind(md);
    const w = window as unknown as { __screens: MediaStream[] };
    w.__screens = [];
    md.getDisplayMedia = async (c?: DisplayMediaStreamOptions) => {
      const stream = await original(c);
      await stream.getVideoTracks()[0]?.applyConstraints({ width: 640, height: 360 });
      w.__screens.push(stream);
      return stream;
    };
  });
  const page = await context.newPage();
  // Three Chromiums on a shared two-core machine: page loads and clicks can wait.
  page.setDefaultTimeout(120_000);
  const p: Person = { name, context, page, errors: [], id: '', clickedAt: 0 };
  page.on('pageerror', (err) => p.errors.push(err.message));
  await page.goto(`/room/${slug}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  everyone.push(p);
  return p;
}

/** Decoded frames of a video element (-1 when there is none). */
function frames(p: Person, selector: string): Promise<number> {
  return p.page.evaluate((sel) => {
    const v = document.querySelector<HTMLVideoElement>(sel);
    return v ? v.getVideoPlaybackQuality().totalVideoFrames : -1;
  }, selector);
}

/** The video shows, has a size and keeps getting frames. */
async function playing(p: Person, selector: string): Promise<void> {
  await p.page.waitForFunction((sel) => (document.querySelector<HTMLVideoElement>(sel)?.videoWidth ?? 0) > 0, selector, { timeout: 120_000 });
  const before = await frames(p, selector);
  await p.page.waitForFunction(
    ([sel, n]) => (document.querySelector<HTMLVideoElement>(sel as string)?.getVideoPlaybackQuality().totalVideoFrames ?? 0) > (n as number) + 5,
    [selector, before] as const,
    { timeout: 60_000 },
  );
}

const screenOf = (p: Person) => `video[data-screen-of="${p.id}"]`;
const cameraOf = (p: Person) => `video[data-participant-id="${p.id}"]`;

let ann: Person;
let bob: Person;
let cy: Person;

it('a share reaches the others while the presenter’s camera plays; a late joiner sees it; both ways of stopping remove it', async () => {
  // Every page loads before any media flows: page loads are slow on a loaded machine.
  const pages = await Promise.all([person('Ann'), person('Bob'), person('Cy', PHONE)]);
  ann = await join(pages[0]);
  bob = await join(pages[1]);
  await playing(bob, cameraOf(ann));

  await ann.page.getByRole('button', { name: 'Share screen' }).click();
  await ann.page.getByRole('button', { name: 'Stop sharing' }).waitFor();
  await playing(bob, screenOf(ann));
  await playing(bob, cameraOf(ann)); // the presenter stays visible
  expect(await bob.page.locator('video[data-screen-of]').count()).toBe(1);

  cy = await join(pages[2]);
  await playing(cy, screenOf(ann));
  await playing(cy, cameraOf(ann));
  await bob.page.screenshot({ path: joinPath(SHOTS, 'share-1280x800.png') });
  await cy.page.screenshot({ path: joinPath(SHOTS, 'share-390x844.png') });

  await ann.page.getByRole('button', { name: 'Stop sharing' }).click();
  for (const p of [bob, cy]) await p.page.locator('video[data-screen-of]').waitFor({ state: 'detached', timeout: 60_000 });
  await playing(bob, cameraOf(ann));

  // Again, ended the way the browser's own "Stop sharing" ends it.
  await ann.page.getByRole('button', { name: 'Share screen' }).click();
  for (const p of [bob, cy]) await playing(p, screenOf(ann));
  await ann.page.evaluate(() => {
    const track = (window as unknown as { __screens: MediaStream[] }).__screens.at(-1)!.getVideoTracks()[0]!;
    track.stop();
    track.dispatchEvent(new Event('ended'));
  });
  await ann.page.getByRole('button', { name: 'Share screen' }).waitFor();
  for (const p of [bob, cy]) await p.page.locator('video[data-screen-of]').waitFor({ state: 'detached', timeout: 60_000 });
  expect([...ann.errors, ...bob.errors, ...cy.errors]).toEqual([]);
}, 600_000);

/** The texts in the chat log, in order. */
const chatTexts = (p: Person) => p.page.locator('[role="log"] .chat-text').allTextContents();

async function say(p: Person, text: string): Promise<void> {
  const box = p.page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
  await p.page.locator('[role="log"] .chat-text', { hasText: text.split('\n')[0]! }).last().waitFor();
}

it('chat: one order everywhere, HTML as text, 2,001 characters refused; history for late joiners and after a restart', async () => {
  // Bob keeps the chat closed for a while: an unread count shows on his button.
  for (const p of [ann, cy]) await p.page.getByRole('button', { name: 'Chat' }).click();
  await say(ann, 'hello from Ann');
  await say(cy, '<b>not bold</b> & <img src=x onerror="document.title=1">');
  await bob.page.waitForFunction(() => document.querySelector('[data-unread]')?.getAttribute('data-unread') === '2');
  await bob.page.getByRole('button', { name: 'Chat' }).click();
  await say(bob, 'line one\nline two, see https://example.com/docs.');
  await say(ann, 'last');
  const expected = ['hello from Ann', '<b>not bold</b> & <img src=x onerror="document.title=1">', 'line one\nline two, see https://example.com/docs.', 'last'];
  for (const p of [ann, bob, cy]) {
    await p.page.waitForFunction((n) => document.querySelectorAll('[role="log"] .chat-text').length >= n, expected.length);
    expect(await chatTexts(p)).toEqual(expected);
    expect(await p.page.locator('[role="log"] b, [role="log"] img').count()).toBe(0);
  }
  const link = ann.page.getByRole('link', { name: 'https://example.com/docs' });
  expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
  expect(await ann.page.locator('[role="log"] li').first().textContent()).toContain('Ann');

  await bob.page.getByLabel('Message', { exact: true }).fill('x'.repeat(2001));
  await bob.page.getByRole('button', { name: 'Send' }).click();
  await expect(bob.page.getByRole('alert').filter({ hasText: 'at most 2,000 characters' }).textContent()).resolves.toMatch(/this one has 2,001/);
  await ann.page.screenshot({ path: joinPath(SHOTS, 'chat-1280x800.png') });
  await cy.page.screenshot({ path: joinPath(SHOTS, 'chat-390x844.png') });

  // A late joiner sees the history.
  await cy.page.getByRole('button', { name: 'Leave' }).click();
  const dee = await join(await person('Dee'));
  await dee.page.getByRole('button', { name: 'Chat' }).click();
  await dee.page.waitForFunction((n) => document.querySelectorAll('[role="log"] .chat-text').length >= n, expected.length);
  expect(await chatTexts(dee)).toEqual(expected);

  // After the API restarts, someone new still sees it.
  await closeAll(everyone.splice(0));
  await server.stop();
  server = await startServer({ env: server.env });
  const eve = await join(await person('Eve', DESKTOP, server.url));
  await eve.page.getByRole('button', { name: 'Chat' }).click();
  await eve.page.waitForFunction((n) => document.querySelectorAll('[role="log"] .chat-text').length >= n, expected.length);
  expect(await chatTexts(eve)).toEqual(expected);
}, 600_000);
