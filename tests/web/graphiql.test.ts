/**
 * GraphiQL at /graphiql works offline: it renders from the server's own bundle with every
 * non-loopback request blocked, and runs a query. Runs in the loopback-only network
 * namespace (see tests/vitest.config.ts); the blocking below also holds outside it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
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

test('GraphiQL renders offline and runs { iceServers { urls } }', async () => {
  const context = await browser.newContext();
  const { attempted } = await blockNonLoopback(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  const res = await page.goto(`${server.url}/graphiql`);
  expect(res?.status()).toBe(200);

  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.waitFor({ state: 'visible' });

  const query = '{ iceServers { urls } }';
  // Typing into CodeMirror auto-closes braces; its own API sets the text exactly.
  await editor.evaluate((el, q) => {
    (el as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(q);
  }, query);
  await expect
    .poll(() => editor.evaluate((el) => (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue()))
    .toBe(query);
  // GraphiQL re-parses the operation (its name, for operationName) on a 100 ms debounce;
  // executing sooner sends the previous default query's operationName with the new text.
  await page.waitForTimeout(400);

  await page.locator('.graphiql-execute-button').click();

  const resultText = async () =>
    page
      .locator('.result-window')
      .first()
      .evaluate((el) => {
        const cm = el.querySelector('.CodeMirror') as unknown as { CodeMirror?: { getValue(): string } } | null;
        return cm?.CodeMirror?.getValue() ?? (el as HTMLElement).innerText;
      });
  await expect.poll(resultText, { timeout: 15_000 }).toContain('"data"');
  const result = JSON.parse(await resultText()) as { data?: { iceServers?: { urls: string[] }[] }; errors?: unknown };
  expect(result.errors).toBeUndefined();
  expect(Array.isArray(result.data?.iceServers)).toBe(true);

  expect(attempted).toEqual([]);
  expect(pageErrors).toEqual([]);
  await context.close();
});
