/**
 * "Inspect in GraphiQL" from a room page: the link opens /graphiql in a new tab on the
 * room's joinRoom subscription; running it puts "GraphiQL" in the room's list, and when
 * someone joins the call GraphiQL shows the join and that person's offer, its payload
 * pretty-printed (Signal.payloadJSON). Offline: every non-loopback request is blocked.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { blockNonLoopback, launchChromium } from '../support/browser.js';
import { editorText, resultText, shownEvents, type ShownEvent } from '../support/graphiql.js';
import { gql } from '../support/graphql.js';
import { createRoom } from '../support/participant.js';
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

async function roster(slug: string): Promise<{ id: string; displayName: string }[]> {
  const res = await gql(server.url, 'query ($slug: String!) { room(slug: $slug) { participants { id displayName } } }', { slug });
  return res.data?.room?.participants ?? [];
}

/**
 * Participant.media and Welcome.chat are resolved by other branches (#11, #12). Until they
 * are merged, every event that selects them comes back as an error at a `media` or `chat`
 * path (a non-null field with no value): the test then says so (an annotation) and checks
 * the join by that error event instead.
 */
const unresolved = (e: ShownEvent) =>
  (e.errors?.length ?? 0) > 0 && e.errors!.every((err) => ['media', 'chat'].includes(String(err.path?.at(-1))));

test('the room page opens GraphiQL on its subscription, which joins and shows a join and an offer', async ({ annotate }) => {
  const { slug } = await createRoom(server.url, 'Inspect Me');
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
  const { attempted } = await blockNonLoopback(context);
  const room = await context.newPage();
  room.setDefaultTimeout(20_000);
  const pageErrors: string[] = [];
  room.on('pageerror', (err) => pageErrors.push(err.message));
  await room.goto(`/room/${slug}`);

  // The link opens a new tab on /graphiql with the room's subscription in the editor.
  const [graphiql] = await Promise.all([context.waitForEvent('page'), room.getByRole('link', { name: /Inspect in GraphiQL/ }).click()]);
  graphiql.setDefaultTimeout(20_000);
  graphiql.on('pageerror', (err) => pageErrors.push(err.message));
  await graphiql.waitForLoadState();
  const url = new URL(graphiql.url());
  expect(url.pathname).toBe('/graphiql');
  const query = url.searchParams.get('query')!;
  expect(query).toContain(`joinRoom(slug: "${slug}", displayName: "GraphiQL")`);
  await expect.poll(() => editorText(graphiql, '.graphiql-query-editor')).toBe(query);

  // Run it: GraphiQL is in the call, and the room page's list says so.
  await graphiql.locator('.graphiql-execute-button').click();
  await expect.poll(() => shownEvents(graphiql).then((e) => e.length), { timeout: 15_000 }).toBeGreaterThan(0);
  const [welcome] = await shownEvents(graphiql);
  const pending = unresolved(welcome!);
  if (pending) {
    const note = 'Participant.media / Welcome.chat have no resolvers in this build yet (#11, #12): Welcome and joins arrive as errors; the join is checked by its error event';
    console.warn(`inspect.test.ts: ${note}`);
    await annotate(note, 'warning');
  } else {
    expect(welcome!.errors).toBeUndefined();
    expect(welcome!.data!.joinRoom!.__typename).toBe('Welcome');
  }
  // Before joining, the page polls the room: GraphiQL shows up in "Who's here".
  await room.locator('.participants').getByText('GraphiQL', { exact: true }).waitFor({ state: 'visible', timeout: 30_000 });
  const graphiqlId = (await roster(slug)).find((p) => p.displayName === 'GraphiQL')!.id;
  if (!pending) expect(welcome!.data!.joinRoom!.me.id).toBe(graphiqlId);

  // Ann joins the call from the room page: GraphiQL sees her join, then her offer to it.
  await room.getByLabel('Your name').fill('Ann');
  await room.getByRole('button', { name: 'Join call' }).click();
  const isOffer = (e: ShownEvent) => e.data?.joinRoom?.__typename === 'Signal' && e.data.joinRoom.kind === 'OFFER';
  await expect.poll(() => shownEvents(graphiql).then((events) => events.some(isOffer)), { timeout: 30_000 }).toBe(true);
  const annId = (await roster(slug)).find((p) => p.displayName === 'Ann')!.id;
  const events = await shownEvents(graphiql);
  const joined = events.findIndex((e) =>
    pending ? unresolved(e) && e.errors![0]!.path?.[1] === 'participant' : e.data?.joinRoom?.__typename === 'ParticipantJoined' && e.data.joinRoom.participant.id === annId,
  );
  expect(joined, 'the join is shown').toBeGreaterThan(0);
  const offer = events.find(isOffer)!.data!.joinRoom!;
  expect(events.indexOf(events.find(isOffer)!), 'the offer comes after the join').toBeGreaterThan(joined);
  expect(offer.from).toBe(annId);
  expect(offer.payloadJSON).toMatchObject({ type: 'offer', sdp: expect.stringMatching(/^v=0\r\n/) });

  // Readable: the payload is a JSON object laid out over several lines, not an escaped string.
  expect(await resultText(graphiql)).toMatch(/"payloadJSON": \{\n\s+"(type|sdp)": /);

  if (process.env.GRAPHIQL_SCREENSHOT) await screenshot(graphiql, process.env.GRAPHIQL_SCREENSHOT);

  expect(attempted).toEqual([]);
  expect(pageErrors).toEqual([]);
  await context.close();
});

/**
 * README's picture (GRAPHIQL_SCREENSHOT=/abs/path/docs/graphiql-inspect.png): the result
 * pane from the offer down, past the join that came before it; tall, as a browser's offer
 * carries a long SDP.
 */
async function screenshot(page: Page, path: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 2000 });
  // A narrow query editor leaves the result pane the width to wrap the SDP in fewer lines.
  const bar = await page.locator('.graphiql-horizontal-drag-bar').first().boundingBox();
  if (bar) {
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
    await page.mouse.down();
    await page.mouse.move(520, bar.y + bar.height / 2, { steps: 5 });
    await page.mouse.up();
  }
  await page.waitForTimeout(300);
  await page.locator('.result-window .CodeMirror').first().evaluate((el) => {
    type CM = { getValue(): string; heightAtLine(line: number, mode: string): number; scrollTo(x: null, y: number): void };
    const cm = (el as unknown as { CodeMirror: CM }).CodeMirror;
    const offer = cm.getValue().split('\n').findIndex((l) => l.includes('"kind": "OFFER"'));
    cm.scrollTo(null, cm.heightAtLine(offer - 5, 'local'));
  });
  await page.waitForTimeout(300);
  await page.screenshot({ path });
}
