/**
 * Two people in Chromium, each on a different API instance (one PostgreSQL, one Redis),
 * join one room through the page and decode each other's video: presence and signalling
 * cross instances through Redis. Runs on the host network (PostgreSQL and Redis live
 * there); the servers offer no ICE servers (STUN_PORT=0) and every page and API request
 * is 127.0.0.1.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { closeAll, expectConnected, firstFramesFrom, join, newRoom, openRoom, type Person } from '../call/harness.js';
import { startCluster, type Cluster } from './fixture.js';

let cluster: Cluster;
let browser: Browser;
const people: Person[] = [];

beforeAll(async () => {
  [cluster, browser] = await Promise.all([startCluster(['web-a', 'web-b']), launchChromium()]);
}, 180_000);
afterAll(async () => {
  await closeAll(people);
  await browser?.close();
  await cluster?.close();
});

it('people on different instances see and decode each other', async () => {
  const [a, b] = [cluster.servers[0]!, cluster.servers[1]!];
  const slug = await newRoom(a.url, 'Two Instances');
  const ada = await openRoom(browser, a.url, slug, 'Ada');
  const bo = await openRoom(browser, b.url, slug, 'Bo');
  people.push(ada, bo);
  await join(ada);
  await join(bo);
  const boFirst = await firstFramesFrom(bo, [ada]);
  await firstFramesFrom(ada, [bo]);
  console.info(`cluster browser call: Bo (instance B) decoded Ada (instance A) ${boFirst} ms after joining`);
  await expectConnected(ada, [bo]);
  await expectConnected(bo, [ada]);
  // Each page's list of who is in the call names both.
  for (const p of [ada, bo]) {
    for (const name of ['Ada', 'Bo']) await expect.poll(() => p.page.getByText(name).count()).toBeGreaterThan(0);
  }
  expect([...ada.errors, ...bo.errors]).toEqual([]);
}, 90_000);
