/**
 * GraphiQL at /graphiql works offline: it renders from the server's own bundle with every
 * non-loopback request blocked, and runs a query. Runs in the loopback-only network
 * namespace (see tests/vitest.config.ts); the blocking below also holds outside it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../support/browser.js';
import { editorText, resultText, setQuery } from '../support/graphiql.js';
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

test('/graphiql?query=&variables=&operationName= opens that operation, and the address bar follows edits', async () => {
  const query = 'query First {\n  iceServers { urls }\n}\n\nquery Second($slug: String!) {\n  room(slug: $slug) { slug }\n}\n';
  const variables = '{ "slug": "no-such-room" }';
  const context = await browser.newContext();
  const { attempted } = await blockNonLoopback(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${server.url}/graphiql?${new URLSearchParams({ query, variables, operationName: 'Second' })}`);

  await expect.poll(() => editorText(page, '.graphiql-query-editor')).toBe(query);
  expect(await editorText(page, '.graphiql-editor-tool > .graphiql-editor:first-child')).toBe(variables);
  // The link's operationName picks Second of the two; its variables go with it.
  await page.locator('.graphiql-execute-button').click();
  await expect.poll(() => resultText(page), { timeout: 15_000 }).toContain('"data"');
  expect(JSON.parse(await resultText(page))).toEqual({ data: { room: null } });

  // Editing rewrites the address bar in place, so the address is always the operation on screen.
  const edited = '{ iceServers { urls } }';
  await setQuery(page, edited);
  await expect.poll(() => new URL(page.url()).searchParams.get('query')).toBe(edited);
  expect(new URL(page.url()).searchParams.get('variables')).toBe(variables);
  const shared = page.url();

  // Shared as a link: a fresh profile opens on the same operation.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(shared);
  await expect.poll(() => editorText(otherPage, '.graphiql-query-editor')).toBe(edited);
  await other.close();

  expect(attempted).toEqual([]);
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
  // The README selects payloadJSON: the offer shows as an object over several lines.
  expect(await resultText(page)).toMatch(/"payloadJSON": \{\n\s+"type": "offer",\n\s+"sdp": "v=0"/);

  bob.close();
  expect(attempted).toEqual([]);
  await context.close();
});
