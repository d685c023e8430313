/**
 * Parley's room page ready to join, as a person finds it after a moment: "Join call"
 * shown, the preview showing our camera (getUserMedia done), and the ICE servers the
 * page asks for on the call's socket answered. The call benchmark and the call trace
 * both click only then, as the minimal page's bench.prepare() opens its camera first:
 * neither timed join includes getUserMedia or that first query. Watched from outside
 * the page (Playwright's view of its WebSocket frames and DOM): no hook in the page.
 */
import type { Page } from 'playwright-core';

/** Call before page.goto(); await the result after it. */
export function parleyPageReady(page: Page): () => Promise<void> {
  const iceServers = new Promise<void>((resolve) => {
    page.on('websocket', (ws) => {
      ws.on('framereceived', ({ payload }) => {
        if (String(payload).includes('"iceServers"')) resolve();
      });
    });
  });
  return async () => {
    await page.getByRole('button', { name: 'Join call' }).waitFor();
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('video[data-local]')?.videoWidth ?? 0) > 0, undefined, {
      timeout: 30_000,
      polling: 10,
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        iceServers,
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('the ICE servers were not answered on the socket within 30 s')), 30_000))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Opens `url` in `page` and waits until a click would join with the camera already open:
 * Parley's room page as parleyPageReady() says, the minimal page (bench/browser/minimal.html)
 * once its bench.prepare() has the camera. So neither timed join includes getUserMedia.
 */
export async function gotoReadyToJoin(page: Page, url: string, kind: 'minimal' | 'parley'): Promise<void> {
  const ready = kind === 'parley' ? parleyPageReady(page) : null;
  await page.goto(url);
  if (ready) await ready();
  else await page.evaluate(() => (window as unknown as { bench: { prepare(): Promise<void> } }).bench.prepare());
}
