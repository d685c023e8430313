/**
 * Driving Parley's call UI in Chromium for tests/call: one browser context per
 * participant, the room page's hooks from CONTRACT.md ("Your name", "Join call", ...),
 * and `window.__parley` (web/src/lib/rtc/test-hook.ts) to read each RTCPeerConnection.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createRoom } from '../support/participant.js';

/** What web/src/lib/rtc/test-hook.ts exposes; kept in step with it by hand. */
export interface PeerSnapshot {
  id: string;
  iceConnectionState: string;
  connectionState: string;
  signalingState: string;
  /** Which RTCPeerConnection object (numbered per page). */
  connection: number;
  /** The tile's state: connecting, connected, reconnecting, failed, closed. */
  state: string;
  localUfrag: string | null;
  remoteUfrag: string | null;
  counters: { offersSent: number; iceRestarts: number };
}
export interface Counters {
  peersCreated: number;
  welcomes: number;
  resumes: number;
  offersSent: number;
  iceRestarts: number;
}
export interface InboundSummary {
  id: string;
  video: { framesDecoded: number; frameWidth: number; frameHeight: number };
  audio: { audioLevel: number; totalAudioEnergy: number; totalSamplesDuration: number };
}
interface Hook {
  me(): string | null;
  peers(): PeerSnapshot[];
  departed(): PeerSnapshot[];
  stats(): Promise<InboundSummary[]>;
  counters(): Counters | null;
  link(): 'connected' | 'reconnecting' | null;
  senders(): { id: string; kind: string; trackId: string | null; label: string | null; readyState: string | null }[];
  forceIceRestart(peerId: string): boolean;
}
declare global {
  interface Window {
    __parley?: Hook;
  }
}

export interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the page. */
  errors: string[];
  /** Our participant id, once joined. */
  id: string;
  /** Date.now() just before "Join call" was clicked. */
  clickedAt: number;
}

export async function newRoom(serverUrl: string, title: string): Promise<string> {
  return (await createRoom(serverUrl, title)).slug;
}

/** Opens the room page in a fresh context (a fresh profile: one person). */
export async function openRoom(
  browser: Browser,
  serverUrl: string,
  slug: string,
  name: string,
  contextOptions: Parameters<Browser['newContext']>[0] = {},
): Promise<Person> {
  const context = await browser.newContext({ baseURL: serverUrl, viewport: { width: 1280, height: 860 }, ...contextOptions });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`/room/${slug}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  return { name, context, page, errors, id: '', clickedAt: 0 };
}

/**
 * Caps every camera the page opens at 320x240 (four-person meshes on two cores; see
 * STACK.md). A test-side init script: the app asks for what it always asks for.
 */
export async function smallCameras(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const md = navigator.mediaDevices;
    const original = md.getUserMedia.bind(md);
    md.getUserMedia = (c?: MediaStreamConstraints) => {
      if (c && c.video) {
        const base = typeof c.video === 'object' ? c.video : {};
        c = { ...c, video: { ...base, width: { ideal: 320, max: 320 }, height: { ideal: 240, max: 240 }, frameRate: { max: 15 } } };
      }
      return original(c);
    };
  });
}

export const senders = (p: Person) => p.page.evaluate(() => window.__parley?.senders() ?? []);

/** Types the name and clicks "Join call"; resolves once the server welcomed us. */
export async function join(person: Person): Promise<Person> {
  const { page } = person;
  await page.getByLabel('Your name').fill(person.name);
  person.clickedAt = Date.now();
  await page.getByRole('button', { name: 'Join call' }).click();
  await page.waitForFunction(() => window.__parley?.me() != null);
  person.id = (await page.evaluate(() => window.__parley!.me()))!;
  return person;
}

export const peers = (p: Person) => p.page.evaluate(() => window.__parley?.peers() ?? []);
export const departed = (p: Person) => p.page.evaluate(() => window.__parley?.departed() ?? []);
export const counters = (p: Person) => p.page.evaluate(() => window.__parley!.counters()!);
export const link = (p: Person) => p.page.evaluate(() => window.__parley?.link() ?? null);
export const stats = (p: Person) => p.page.evaluate(() => window.__parley?.stats() ?? Promise.resolve([]));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until `person` decodes video from every one of `others`; resolves to the time
 * from its "Join call" click to the last of those first frames (polled every 25 ms).
 */
export async function firstFramesFrom(person: Person, others: Person[], timeoutMs = 20_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const summary = await stats(person);
    const decoding = others.every((o) => (summary.find((s) => s.id === o.id)?.video.framesDecoded ?? 0) > 0);
    if (decoding) return Date.now() - person.clickedAt;
    if (Date.now() > until) {
      throw new Error(
        `${person.name} decoded no video from some of ${others.map((o) => o.name).join(', ')} within ${timeoutMs} ms: ` +
          JSON.stringify({ peers: await peers(person), stats: summary }),
      );
    }
    await sleep(25);
  }
}

/** What "this person is really in a call with those" means (see STACK.md). */
export async function expectConnected(person: Person, others: Person[]): Promise<void> {
  const snapshot = await peers(person);
  for (const o of others) {
    const peer = snapshot.find((s) => s.id === o.id);
    expect(peer, `${person.name} has a peer for ${o.name}`).toBeDefined();
    expect(['connected', 'completed'], `${person.name} -> ${o.name} ICE`).toContain(peer!.iceConnectionState);
    expect(peer!.connectionState, `${person.name} -> ${o.name} connection`).toBe('connected');
  }
  const before = await stats(person);
  await sleep(700);
  const after = await stats(person);
  for (const o of others) {
    const a = before.find((s) => s.id === o.id)!.video.framesDecoded;
    const b = after.find((s) => s.id === o.id)!.video.framesDecoded;
    expect(b, `${person.name} keeps decoding ${o.name}'s video`).toBeGreaterThan(a);
    const width = await person.page
      .locator(`video[data-participant-id="${o.id}"]`)
      .evaluate((v) => (v as HTMLVideoElement).videoWidth);
    expect(width, `${person.name} shows ${o.name}'s video`).toBeGreaterThan(0);
  }
}

/** Audio energy received from `from` over a window: the fake microphone beeps. */
export async function audioEnergy(person: Person, from: Person, windowMs = 2_000): Promise<number> {
  const pick = (all: InboundSummary[]) => all.find((s) => s.id === from.id)?.audio.totalAudioEnergy ?? 0;
  const a = pick(await stats(person));
  await sleep(windowMs);
  return pick(await stats(person)) - a;
}

export async function closeAll(people: Person[]): Promise<void> {
  await Promise.all(people.map((p) => p.context.close().catch(() => undefined)));
}
