/**
 * GraphiQL at /graphiql works offline: it renders from the server's own bundle with every
 * non-loopback request blocked, and runs a query. Runs in the loopback-only network
 * namespace (see tests/vitest.config.ts); the blocking below also holds outside it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type CodeMirrorElement = { CodeMirror: { setValue(v: string): void; getValue(): string } };

/** Puts `query` in the editor exactly (typing would auto-close braces), then lets GraphiQL see it. */
async function setQuery(page: Page, query: string): Promise<void> {
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.waitFor({ state: 'visible' });
  await editor.evaluate((el, q) => (el as unknown as CodeMirrorElement).CodeMirror.setValue(q), query);
  await expect.poll(() => editor.evaluate((el) => (el as unknown as CodeMirrorElement).CodeMirror.getValue())).toBe(query);
  // GraphiQL re-parses the operation (its name, for operationName) on a 100 ms debounce;
  // executing sooner sends the previous operation's name with the new text.
  await page.waitForTimeout(400);
}

/** The text of GraphiQL's result pane. */
function resultText(page: Page): Promise<string> {
  return page
    .locator('.result-window')
    .first()
    .evaluate((el) => {
      const cm = el.querySelector('.CodeMirror') as unknown as Partial<CodeMirrorElement> | null;
      return cm?.CodeMirror?.getValue() ?? (el as HTMLElement).innerText;
    });
}

test('GraphiQL renders offline and runs { iceServers { urls } }', async () => {
  const context = await browser.newContext();
  const { attempted } = await blockNonLoopback(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  const res = await page.goto(`${server.url}/graphiql`);
  expect(res?.status()).toBe(200);

  await setQuery(page, '{ iceServers { urls } }');
  await page.locator('.graphiql-execute-button').click();
  await expect.poll(() => resultText(page), { timeout: 15_000 }).toContain('"data"');
  const result = JSON.parse(await resultText(page)) as { data?: { iceServers?: { urls: string[] }[] }; errors?: unknown };
  expect(result.errors).toBeUndefined();
  expect(Array.isArray(result.data?.iceServers)).toBe(true);

  expect(attempted).toEqual([]);
  expect(pageErrors).toEqual([]);
  await context.close();
});

test('GraphiQL joins a call (the README operation) and shows the events arriving', async () => {
  const readme = await import('node:fs').then((fs) => fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
  const operation = /### Inspect signals in GraphiQL[\s\S]*?```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(operation, 'README has the operation to paste').toBeTruthy();
  await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { createRoom(input: {title: "Daily Standup"}) { slug } }' }),
  });

  const context = await browser.newContext();
  const { attempted } = await blockNonLoopback(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${server.url}/graphiql`);
  await setQuery(page, operation!);
  await page.locator('.graphiql-execute-button').click();
  await expect.poll(() => resultText(page), { timeout: 15_000 }).toContain('"Welcome"');
  const welcome = JSON.parse(await resultText(page)) as { data: { joinRoom: { token: string; me: { id: string } } } };
  const graphiqlId = welcome.data.joinRoom.me.id;

  // Someone joins and signals GraphiQL: both events appear in the result pane as they arrive.
  const { Participant } = await import('../support/participant.js');
  const bob = await Participant.join(server.wsUrl, 'daily-standup', 'Bob');
  await expect.poll(() => resultText(page), { timeout: 15_000 }).toContain('"ParticipantJoined"');
  expect((await bob.send(graphiqlId, 'OFFER', '{"type":"offer","sdp":"v=0"}')).ok).toBe(true);
  await expect.poll(() => resultText(page), { timeout: 15_000 }).toContain('"Signal"');
  expect(await resultText(page)).toContain(bob.id);

  bob.close();
  expect(attempted).toEqual([]);
  await context.close();
});
