/**
 * The create-room flow in Debian's Chromium against the production server (built web UI,
 * embedded database): the contract's UI hooks on `/` and `/room/<slug>`.
 * Runs in the loopback-only network namespace (see tests/vitest.config.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function freshPage(): Promise<Page> {
  await context?.close();
  context = await browser.newContext({ baseURL: server.url });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.setDefaultTimeout(15_000);
  return page;
}

/** Everything the Slug field shows: its value, placeholder and the text describing it. */
async function slugFieldText(slug: Locator): Promise<string> {
  return slug.evaluate((el) => {
    const input = el as HTMLInputElement;
    const parts = [input.value, input.placeholder];
    for (const id of (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)) {
      parts.push(document.getElementById(id)?.textContent ?? '');
    }
    for (const label of Array.from(input.labels ?? [])) parts.push(label.textContent ?? '');
    return parts.join(' | ');
  });
}

test('creating a room from its title lands on /room/<slug> with the title as heading', async () => {
  pageErrors.length = 0;
  const page = await freshPage();
  await page.goto('/');
  await page.getByLabel('Title').fill('Team Retro 42');

  const slug = page.getByLabel('Slug');
  await expect.poll(() => slugFieldText(slug), { timeout: 5_000 }).toContain('team-retro-42');

  await page.getByRole('button', { name: 'Create room' }).click();
  await page.waitForURL(`${server.url}/room/team-retro-42`);
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 })
    .toBe('Team Retro 42');
  expect(pageErrors).toEqual([]);
});

test('an explicit slug is normalized on the way', async () => {
  pageErrors.length = 0;
  const page = await freshPage();
  await page.goto('/');
  await page.getByLabel('Title').fill('Planning');
  await page.getByLabel('Slug').fill('Sprint Planning');
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.waitForURL(`${server.url}/room/sprint-planning`);
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 })
    .toBe('Planning');
  expect(pageErrors).toEqual([]);
});

test('an unknown room sends you back to / with a visible message', async () => {
  pageErrors.length = 0;
  const page = await freshPage();
  await page.goto('/room/does-not-exist');
  await page.waitForURL((url) => url.pathname === '/');
  const alert = page.getByRole('alert').filter({ hasText: /\S/ });
  await alert.first().waitFor({ state: 'visible' });
  expect(await alert.first().textContent()).toMatch(/exist|found/i);
  // The form is still there to create it.
  await page.getByLabel('Title').waitFor({ state: 'visible' });
  expect(pageErrors).toEqual([]);
});
