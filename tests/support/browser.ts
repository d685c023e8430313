/**
 * Debian's Chromium driven by playwright-core: never a downloaded browser. Flags from
 * /work/shared/STACK.md: headless as root, no background traffic, fake camera and
 * microphone granted without a prompt, and ICE candidates on loopback.
 */
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Request } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
];

/**
 * A headless Chromium. Playwright gives every launch a fresh temporary user-data-dir, and
 * every browser.newContext() is a fresh profile on top of it (one context per peer).
 */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: apt-get update && apt-get install -y chromium chromium-driver ` +
        '(or set CHROMIUM_PATH to a Chromium binary).',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

export function isLoopbackUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:') return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/**
 * Aborts every request of the context whose host is not loopback and records it, so a test
 * can both keep the page offline and assert that it never tried to go out.
 */
export async function blockNonLoopback(context: BrowserContext): Promise<{ attempted: string[] }> {
  const attempted: string[] = [];
  const note = (url: string) => {
    if (!attempted.includes(url)) attempted.push(url);
  };
  await context.route(
    (url) => !isLoopbackUrl(url.toString()),
    async (route) => {
      note(route.request().url());
      await route.abort('blockedbyclient');
    },
  );
  // Belt and braces: anything that bypasses routing (e.g. a service worker's fetch).
  context.on('request', (request: Request) => {
    if (!isLoopbackUrl(request.url())) note(request.url());
  });
  await context.routeWebSocket(
    (url) => !isLoopbackUrl(url.toString()),
    (ws) => {
      note(ws.url());
      void ws.close();
    },
  );
  return { attempted };
}
