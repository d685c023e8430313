/**
 * Driving GraphiQL (/graphiql) in Chromium: set the query editor exactly, read the result
 * pane, and read a subscription's events (the latest on top, earlier ones newest first
 * under extensions.earlierEvents: api/graphiql/event-log.ts).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

type CodeMirrorElement = { CodeMirror: { setValue(v: string): void; getValue(): string } };

/** The text of the editor whose container matches `selector` (GraphiQL's CodeMirror 5). */
export function editorText(page: Page, selector: string): Promise<string> {
  return page
    .locator(`${selector} .CodeMirror`)
    .first()
    .evaluate((el) => (el as unknown as CodeMirrorElement).CodeMirror.getValue());
}

/** Puts `query` in the editor exactly (typing would auto-close braces), then lets GraphiQL see it. */
export async function setQuery(page: Page, query: string): Promise<void> {
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.waitFor({ state: 'visible' });
  await editor.evaluate((el, q) => (el as unknown as CodeMirrorElement).CodeMirror.setValue(q), query);
  await expect.poll(() => editorText(page, '.graphiql-query-editor')).toBe(query);
  // GraphiQL re-parses the operation (its name, for operationName) on a 100 ms debounce;
  // executing sooner sends the previous operation's name with the new text.
  await page.waitForTimeout(400);
}

/** The text of GraphiQL's result pane. */
export function resultText(page: Page): Promise<string> {
  return page
    .locator('.result-window')
    .first()
    .evaluate((el) => {
      const cm = el.querySelector('.CodeMirror') as unknown as Partial<CodeMirrorElement> | null;
      return cm?.CodeMirror?.getValue() ?? (el as HTMLElement).innerText;
    });
}

export interface ShownEvent {
  data?: { joinRoom?: Record<string, any> | null } | null;
  errors?: { message: string; path?: (string | number)[] }[];
}

/** Every event the result pane shows, oldest first; [] while it shows none. */
export async function shownEvents(page: Page): Promise<ShownEvent[]> {
  const text = await resultText(page);
  let shown: ShownEvent & { extensions?: { earlierEvents?: ShownEvent[] } };
  try {
    shown = JSON.parse(text);
  } catch {
    return [];
  }
  const { extensions, ...latest } = shown;
  return [...(extensions?.earlierEvents ?? []).slice().reverse(), latest];
}
