/**
 * Calls that survive faults, in Debian's Chromium against the production server:
 *  - the API restarts mid-call (SIGTERM, down ~2 s, back on the same PORT and DATA_DIR):
 *    media keeps flowing, every client resumes as itself, no Peer is recreated and
 *    nothing is renegotiated;
 *  - one client's network blips (a TCP relay in front of the server is cut): within the
 *    resume grace it comes back as itself; after a longer outage the others see it leave
 *    and it rejoins as someone new;
 *  - an ICE restart on one link (window.__parley.forceIceRestart runs the recovery a
 *    failed link gets; see below for why it is not a real failure) changes the ICE
 *    credentials without anybody rejoining;
 *  - a display name with HTML is shown as text.
 * At most three people per call at 640x480 (STACK.md: what two cores decode comfortably).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { startServer, type RunningServer } from '../support/server.js';
import {
  closeAll,
  counters,
  departed,
  expectConnected,
  firstFramesFrom,
  join,
  link,
  newRoom,
  openRoom,
  peers,
  stats,
  type Counters,
  type PeerSnapshot,
  type Person,
} from './harness.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const GRACE_MS = 6_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: RunningServer;
let browser: Browser;
let people: Person[] = [];
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  // A resume grace of 6 s (the default is 5 s): room for a loaded CI machine's delays.
  [server, browser] = await Promise.all([startServer({ env: { RESUME_GRACE_MS: String(GRACE_MS) } }), launchChromium()]);
});
afterEach(async () => {
  await closeAll(people);
  people = [];
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function person(url: string, slug: string, name: string): Promise<Person> {
  const p = await openRoom(browser, url, slug, name, { viewport: { width: 1024, height: 720 } });
  people.push(p);
  // Every remote <video> that ever leaves the page, and every tile state shown.
  await p.page.evaluate(() => {
    const w = window as unknown as { __removedTiles: string[]; __tileStates: string[] };
    w.__removedTiles = [];
    w.__tileStates = [];
    new MutationObserver((records) => {
      for (const r of records) {
        // The tile itself carries its link's state (the badge shows only while not connected).
        if (r.type === 'attributes' && r.target instanceof HTMLElement && r.target.matches('[data-tile]')) {
          w.__tileStates.push(`${r.target.dataset.tile}:${r.target.dataset.state}`);
        }
        for (const node of r.removedNodes) {
          if (!(node instanceof HTMLElement)) continue;
          const videos = node.matches('video[data-participant-id]') ? [node] : [...node.querySelectorAll('video[data-participant-id]')];
          for (const v of videos) w.__removedTiles.push((v as HTMLVideoElement).dataset.participantId ?? '?');
        }
      }
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] });
  });
  return p;
}

const removedTiles = (p: Person) => p.page.evaluate(() => (window as unknown as { __removedTiles: string[] }).__removedTiles);
const tileStates = (p: Person) => p.page.evaluate(() => (window as unknown as { __tileStates: string[] }).__tileStates);

/** Three people in a call, everyone decoding everyone. */
async function threeInACall(url: (name: string) => string, title: string, api = server): Promise<[Person, Person, Person]> {
  const slug = await newRoom(api.url, title);
  const trio = await Promise.all([person(url('Ada'), slug, 'Ada'), person(url('Bo'), slug, 'Bo'), person(url('Cy'), slug, 'Cy')]);
  for (const p of trio) await join(p);
  for (const p of trio) await firstFramesFrom(p, trio.filter((o) => o !== p));
  for (const p of trio) await expectConnected(p, trio.filter((o) => o !== p));
  return trio;
}

/** framesDecoded per remote participant, as `person` sees them. */
async function frames(p: Person): Promise<Map<string, number>> {
  return new Map((await stats(p)).map((s) => [s.id, s.video.framesDecoded]));
}

async function pollUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await check()) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

const participantsOnServer = async (url: string, slug: string): Promise<string[]> => {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($s: String!) { room(slug: $s) { participants { id } } }', variables: { s: slug } }),
  });
  const body = (await res.json()) as { data?: { room: { participants: { id: string }[] } | null } };
  return (body.data?.room?.participants ?? []).map((p) => p.id).sort();
};

describe('the API restarts mid-call', () => {
  // A server of its own: this test stops it.
  let api: RunningServer | undefined;
  afterAll(async () => {
    await api?.stop().catch(() => undefined);
  });

  it('media keeps flowing, everyone resumes as themselves, nothing is renegotiated', async () => {
    api = await startServer();
    const first = api;
    const trio = await threeInACall(() => first.url, 'Restart Drill', first);
    const slug = new URL(trio[0]!.page.url()).pathname.split('/').pop()!;
    const ids = trio.map((p) => p.id).sort();
    const before = await Promise.all(trio.map(async (p) => ({ counters: await counters(p), peers: await peers(p) })));

    const stopped = Date.now();
    const { ms: stopMs } = await first.stop();
    api = undefined;
    // While the server is down: every page says so, and every remote video keeps decoding.
    await Promise.all(trio.map((p) => pollUntil(`${p.name} shows it is reconnecting`, async () => (await link(p)) === 'reconnecting', 3_000)));
    for (const p of trio) await p.page.getByText('Lost the connection to the server. Reconnecting…').waitFor();
    const during0 = await Promise.all(trio.map(frames));
    await sleep(1_500);
    const during1 = await Promise.all(trio.map(frames));
    trio.forEach((p, i) => {
      for (const o of trio.filter((x) => x !== p)) {
        // 1.5 s at the fake camera's 20 fps is 30 frames; a loaded CI machine decodes fewer.
        expect(during1[i]!.get(o.id)!, `${p.name} decodes ${o.name} while the server is down`).toBeGreaterThan(during0[i]!.get(o.id)! + 5);
      }
    });

    await sleep(Math.max(0, 2_000 - (Date.now() - stopped)));
    const downFor = Date.now() - stopped;
    const second = (api = await startServer({ env: { ...first.env, PORT: String(first.port) } }));
    const back = Date.now();
    // Presence is whole when the server lists all three again and every page has resumed.
    const whole = await pollUntil(
      'presence whole again',
      async () => {
        const listed = await participantsOnServer(second.url, slug);
        const links = await Promise.all(trio.map(link));
        const resumed = await Promise.all(trio.map(async (p) => (await counters(p)).resumes));
        return JSON.stringify(listed) === JSON.stringify(ids) && links.every((l) => l === 'connected') && resumed.every((n) => n === 1);
      },
      15_000,
    );
    console.info(
      `restart: SIGTERM exit ${stopMs} ms, kept down ${downFor} ms, started in ${back - stopped - downFor} ms; presence whole again ${whole} ms after /healthz answered`,
    );
    expect(whole).toBeLessThan(5_000);

    for (const [i, p] of trio.entries()) {
      expect(await p.page.evaluate(() => window.__parley!.me()), `${p.name} is still the same participant`).toBe(p.id);
      const after: Counters = await counters(p);
      expect(after.peersCreated, `${p.name} created no new Peer`).toBe(before[i]!.counters.peersCreated);
      expect(after.offersSent, `${p.name} sent no offer`).toBe(before[i]!.counters.offersSent);
      expect(after.welcomes).toBe(1);
      const same = (s: PeerSnapshot) => [s.id, s.connection, s.remoteUfrag];
      expect((await peers(p)).map(same).sort(), `${p.name} kept the same RTCPeerConnections and ICE credentials`).toEqual(
        before[i]!.peers.map(same).sort(),
      );
      expect(await departed(p)).toEqual([]);
      expect(await removedTiles(p), `${p.name}'s tiles never disappeared`).toEqual([]);
      const list = p.page.getByRole('list', { name: 'Participants' });
      expect(await list.getByRole('listitem').count()).toBe(3);
      expect(await p.page.getByText('Lost the connection to the server. Reconnecting…').count()).toBe(0);
    }
    for (const p of trio) await expectConnected(p, trio.filter((o) => o !== p));
    for (const p of trio) expect(p.errors).toEqual([]);
  }, 300_000);
});

describe("one client's network blips", () => {
  it('within the grace it comes back as itself; after a longer outage the others see it leave and it rejoins', async () => {
    const proxy = await startTcpProxy('127.0.0.1', server.port);
    proxies.push(proxy);
    // Cy reaches the server through the relay; Ada and Bo directly.
    const [ada, bo, cy] = await threeInACall((n) => (n === 'Cy' ? `http://127.0.0.1:${proxy.port}` : server.url), 'Blip');
    const before = await Promise.all([ada, bo, cy].map(counters));

    // A 1.5 s blip: with the backoff's longest waits (1 s then 2 s) Cy is back within
    // 3.5 s of the cut, well inside the grace.
    proxy.cut();
    const blipAt = Date.now();
    await pollUntil('Cy notices', async () => (await link(cy)) === 'reconnecting', 1_500);
    await sleep(1_500 - (Date.now() - blipAt));
    proxy.restore();
    const resumedIn = await pollUntil('Cy resumes', async () => (await link(cy)) === 'connected', 8_000);
    console.info(`blip: Cy back ${resumedIn} ms after the network returned`);
    expect(await cy.page.evaluate(() => window.__parley!.me())).toBe(cy.id);
    expect(await counters(cy)).toMatchObject({ welcomes: 1, resumes: 1, peersCreated: before[2]!.peersCreated });
    for (const [i, p] of [ada, bo].entries()) {
      expect((await departed(p)).map((s) => s.id), `${p.name} saw no leave`).toEqual([]);
      expect(await removedTiles(p)).toEqual([]);
      expect((await counters(p)).peersCreated).toBe(before[i]!.peersCreated);
    }
    await expectConnected(cy, [ada, bo]);
    await expectConnected(ada, [bo, cy]);

    // A 9 s outage: past the grace, so Cy leaves for the others and comes back as someone new.
    const oldId = cy.id;
    proxy.cut();
    const cutAt = Date.now();
    // Until the grace runs out, Cy still sees the others: the media never went through the server.
    const f0 = await frames(cy);
    await sleep(1_000);
    const f1 = await frames(cy);
    for (const o of [ada, bo]) expect(f1.get(o.id)!, `Cy decodes ${o.name} while cut off`).toBeGreaterThan(f0.get(o.id)!);
    for (const p of [ada, bo]) {
      await p.page.locator(`video[data-participant-id="${oldId}"]`).waitFor({ state: 'detached', timeout: 12_000 });
      await p.page.getByRole('list', { name: 'Participants' }).getByText('Cy', { exact: true }).waitFor({ state: 'detached' });
    }
    console.info(`outage: the others saw Cy leave ${Date.now() - cutAt} ms after the cut`);
    expect(Date.now() - cutAt).toBeGreaterThan(GRACE_MS);
    await sleep(Math.max(0, GRACE_MS + 3_000 - (Date.now() - cutAt)));
    proxy.restore();
    await pollUntil('Cy rejoins', async () => {
      const me = await cy.page.evaluate(() => window.__parley!.me());
      return me !== null && me !== oldId && (await link(cy)) === 'connected';
    }, 15_000);
    cy.id = (await cy.page.evaluate(() => window.__parley!.me()))!;
    expect(await counters(cy)).toMatchObject({ welcomes: 2 });
    for (const p of [ada, bo]) expect((await departed(p)).map((s) => s.id)).toContain(oldId);
    await firstFramesFrom(cy, [ada, bo]);
    await firstFramesFrom(ada, [cy]);
    await firstFramesFrom(bo, [cy]);
    await expectConnected(cy, [ada, bo]);
    await expectConnected(ada, [bo, cy]);
    await expectConnected(bo, [ada, cy]);
    for (const p of [ada, bo, cy]) expect(await p.page.getByRole('list', { name: 'Participants' }).getByRole('listitem').count()).toBe(3);
    for (const p of [ada, bo, cy]) expect(p.errors).toEqual([]);
  }, 240_000);
});

describe('ICE restart on one link', () => {
  // A real ICE failure needs one peer pair's UDP dropped while signaling (TCP on the same
  // loopback) goes on. Inside the test namespace there is no packet filter to do it:
  // no nft/iptables binaries, and tc has no classifier or drop action in this kernel
  // (tried: prio/netem qdiscs "unknown", u32/flower/matchall "classifier not found").
  // So this test runs the recovery a failed link gets (Peer.restartIce, the same method the
  // `failed` / long `disconnected` handler calls) and checks what a real recovery must
  // show. The ICE-state trigger itself is unit-tested in web/src/lib/rtc/peer.test.ts, and
  // a real link failure (media and signaling both cut, on a veth pair between namespaces)
  // is tests/call/link-failure.test.ts.
  it('new ICE credentials on both sides, connected again, video still decoding, nobody rejoined', async () => {
    const slug = await newRoom(server.url, 'Ice Restart');
    const [ada, bo] = await Promise.all([person(server.url, slug, 'Ada'), person(server.url, slug, 'Bo')]);
    await join(ada);
    await join(bo);
    await firstFramesFrom(ada, [bo]);
    await firstFramesFrom(bo, [ada]);
    await expectConnected(ada, [bo]);
    // The impolite side (the smaller id) is the one that restarts on failure.
    const [restarter, other] = ada.id < bo.id ? [ada, bo] : [bo, ada];
    const mine = async (p: Person, o: Person) => (await peers(p)).find((s) => s.id === o.id)!;
    const r0 = await mine(restarter, other);
    const o0 = await mine(other, restarter);
    const c0 = await Promise.all([restarter, other].map(counters));

    expect(await restarter.page.evaluate((id) => window.__parley!.forceIceRestart(id), other.id)).toBe(true);
    const took = await pollUntil(
      'ICE restart completes',
      async () => {
        const [r, o] = await Promise.all([mine(restarter, other), mine(other, restarter)]);
        return (
          r.localUfrag !== r0.localUfrag &&
          r.remoteUfrag !== r0.remoteUfrag &&
          o.remoteUfrag === r.localUfrag &&
          ['connected', 'completed'].includes(r.iceConnectionState) &&
          ['connected', 'completed'].includes(o.iceConnectionState) &&
          r.state === 'connected'
        );
      },
      10_000,
    );
    console.info(`ICE restart: new credentials and connected again in ${took} ms`);
    const [r1, o1] = await Promise.all([mine(restarter, other), mine(other, restarter)]);
    expect(r1.connection).toBe(r0.connection);
    expect(o1.connection).toBe(o0.connection);
    expect(r1.counters.iceRestarts).toBe(r0.counters.iceRestarts + 1);
    expect(r1.counters.offersSent).toBe(r0.counters.offersSent + 1);
    expect(o1.counters.offersSent).toBe(o0.counters.offersSent);
    // The tile said so while it happened.
    expect(await tileStates(restarter)).toContain(`${other.id}:reconnecting`);
    await expectConnected(ada, [bo]);
    await expectConnected(bo, [ada]);
    for (const [i, p] of [restarter, other].entries()) {
      expect(await counters(p)).toMatchObject({ peersCreated: c0[i]!.peersCreated, welcomes: 1 });
      expect(await departed(p)).toEqual([]);
      expect(await removedTiles(p)).toEqual([]);
    }
    expect([...ada.errors, ...bo.errors]).toEqual([]);
  }, 90_000);
});

describe('display names are text', () => {
  it('HTML in a name is shown as it was typed, never run', async () => {
    const slug = await newRoom(server.url, 'Names');
    const evil = '<img src=x onerror="window.__xss=1">';
    const [ada, mal] = await Promise.all([person(server.url, slug, 'Ada'), person(server.url, slug, evil)]);
    await join(ada);
    await join(mal);
    await firstFramesFrom(ada, [mal]);
    for (const p of [ada, mal]) {
      await p.page.getByRole('list', { name: 'Participants' }).getByText(evil, { exact: true }).waitFor();
      expect(await p.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await p.page.locator('img').count()).toBe(0);
    }
    // On Ada's page: the tile's caption too.
    expect(await ada.page.locator(`figure:has(video[data-participant-id="${mal.id}"]) .tile-name`).textContent()).toBe(evil);
    expect([...ada.errors, ...mal.errors]).toEqual([]);
  });
});
