/**
 * A real browser uses our STUN server: headless Chromium on loopback gathers a server
 * reflexive (srflx) candidate whose url is our listener. The listener runs with the
 * test-only port shift, since on loopback a truthful mapped address equals the host
 * candidate and Chromium drops the srflx one (see /work/shared/STACK.md). Everything the
 * browser talks to is 127.0.0.1.
 */
import { accessSync, constants } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../support/browser.js';
import { startStun, type StunFixture } from './fixture.js';

const PORT_SHIFT = 7;

interface Gathered {
  candidates: { type: string | null; address: string | null; port: number | null; url: string | null }[];
  stats: { candidateType: string; url?: string; address?: string; port?: number }[];
}

let browser: Browser | undefined;
let stun: StunFixture;

beforeAll(async () => {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install chromium (Debian's package, not a download)`);
  }
  stun = await startStun({ portShift: PORT_SHIFT, record: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stun?.close();
});

describe('Chromium against our STUN listener', () => {
  it('gathers a srflx candidate from stun:127.0.0.1:PORT', async () => {
    const page = await browser!.newPage();
    const url = `stun:127.0.0.1:${stun.port}`;
    // Runs in the page: gather every candidate of a data-channel offer, then read getStats.
    const gathered = await page.evaluate(async (stunUrl): Promise<Gathered> => {
      const pc = new RTCPeerConnection({ iceServers: [{ urls: stunUrl }] });
      const candidates: Gathered['candidates'] = [];
      const done = new Promise<void>((resolve) => {
        pc.addEventListener('icecandidate', (e) => {
          if (!e.candidate) return resolve();
          const c = e.candidate;
          // Without a route off the machine (unshare -n) gathering may never complete: a
          // srflx candidate is what we came for, so stop shortly after the first one.
          if (c.type === 'srflx') setTimeout(resolve, 300);
          candidates.push({
            type: c.type,
            address: c.address,
            port: c.port,
            // The event's url (deprecated, still in Chromium), else the candidate's.
            url: (e as RTCPeerConnectionIceEvent & { url?: string | null }).url || (c as RTCIceCandidate & { url?: string }).url || null,
          });
        });
        setTimeout(resolve, 15_000);
      });
      pc.createDataChannel('probe');
      await pc.setLocalDescription(await pc.createOffer());
      await done;
      const stats: Gathered['stats'] = [];
      (await pc.getStats()).forEach((s: { type: string } & Record<string, unknown>) => {
        if (s.type === 'local-candidate') stats.push(s as unknown as Gathered['stats'][number]);
      });
      pc.close();
      return { candidates, stats };
    }, url);
    await page.close();

    const srflx = gathered.candidates.filter((c) => c.type === 'srflx');
    expect(srflx.length, JSON.stringify(gathered.candidates)).toBeGreaterThan(0);
    // Our answer: a port the browser sent from, plus the shift. (relatedPort is hidden: the
    // host candidates are mDNS names, since no camera permission was asked for.)
    const shiftedSources = stun.answered.map((a) => (a.port + PORT_SHIFT) & 0xffff);
    for (const c of srflx) {
      expect(c.url).toBe(url);
      expect(stun.answered.map((a) => a.address)).toContain(c.address);
      expect(shiftedSources).toContain(c.port);
    }
    const statsSrflx = gathered.stats.filter((s) => s.candidateType === 'srflx');
    expect(statsSrflx.length).toBeGreaterThan(0);
    for (const s of statsSrflx) expect(s.url).toBe(url);
  });
});
