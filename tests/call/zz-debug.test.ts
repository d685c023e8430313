import { afterAll, beforeAll, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import { closeAll, firstFramesFrom, join, newRoom, openRoom, type Person } from './harness.js';
let server: RunningServer;
let browser: Browser;
const all: Person[] = [];
beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium(['--use-fake-device-for-media-stream=device-count=3'])]);
});
afterAll(async () => {
  await closeAll(all);
  await browser?.close();
  await server?.stop();
});
it('debug stop video', async () => {
  const slug = await newRoom(server.url, 'Dbg');
  const a = await openRoom(browser, server.url, slug, 'A', { viewport: { width: 1280, height: 800 }, permissions: ['camera', 'microphone'] });
  const b = await openRoom(browser, server.url, slug, 'B', { viewport: { width: 1280, height: 800 }, permissions: ['camera', 'microphone'] });
  all.push(a, b);
  a.page.on('console', (m) => console.log('A console', m.type(), m.text()));
  await join(a);
  await join(b);
  await firstFramesFrom(a, [b]);
  console.log('clicking');
  await a.page.getByRole('button', { name: 'Stop video', exact: true }).click({ noWaitAfter: true, timeout: 5000 }).catch((e) => console.log('click err', String(e).slice(0, 300)));
  console.log('clicked');
  const t0 = Date.now();
  const r = await Promise.race([a.page.evaluate(() => document.querySelector('.call-controls')?.textContent), new Promise((res) => setTimeout(() => res('TIMEOUT'), 5000))]);
  console.log('eval', r, Date.now() - t0);
  console.log('errors', a.errors);
}, 120_000);
