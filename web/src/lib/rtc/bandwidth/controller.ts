/**
 * The thin layer that applies the bandwidth policy to a mesh: samples each link's
 * getStats() once a second, runs policy.ts, and sets the result on our camera (and
 * screen) senders with setParameters whenever peers come or go, a peer reports its tile
 * size, or the policy's output changes. Tells a peer over the control channel when we
 * pause our video to it, and shows what a peer told us. Owned by mesh.ts (add/remove as
 * Peers come and go); the UI reads `view` through `subscribe` (a Svelte store contract)
 * and reports tile sizes with `observeTile`.
 */
import type { Peer } from '../peer';
import { ControlLink } from './control-link';
import type { ControlMessage, VideoKind } from './messages';
import { decide, initialPolicy, type Encoding, type PeerDecision, type PeerQuality, type PolicyState, type Size } from './policy';
import { measure, snapshot, type LinkStats, type Snapshot } from './sample';
import { TileObserver } from './tile-observer';

/** What the UI shows about one peer's link. */
export interface PeerBandwidth {
  id: string;
  /** Our video to them: good, limited (and why), or paused to keep audio clear. */
  quality: PeerQuality;
  reason: string | null;
  /** The camera encoding we set for them (null: not yet, or the policy is off). */
  camera: Encoding | null;
  /** They paused their video to us to keep audio clear; their reason. */
  remotePaused: boolean;
  remoteReason: string | null;
  /** How large they said they draw our camera (device px). */
  tile: Size | null;
  /** The last second's figures, both directions. */
  stats: LinkStats | null;
}

export type BandwidthView = ReadonlyMap<string, PeerBandwidth>;

export interface BandwidthOptions {
  localStream: MediaStream;
  /** false: measure and report only, never touch an encoder (`?bandwidth=off`). */
  enabled: boolean;
  intervalMs?: number;
}

interface Entry {
  peer: Peer;
  link: ControlLink;
  prev: Snapshot | null;
  stats: LinkStats | null;
  cameraTile: Size | null;
  screenTile: Size | null;
  screen: { sender: RTCRtpSender; size: Size } | null;
  remotePaused: boolean;
  remoteReason: string | null;
  decision: PeerDecision | null;
  /** setParameters calls on this peer's senders run one after another. */
  applying: Promise<void>;
}

const same = (a: RTCRtpEncodingParameters, b: Encoding) =>
  a.active === b.active && a.maxBitrate === b.maxBitrate && a.maxFramerate === b.maxFramerate && a.scaleResolutionDownBy === b.scaleResolutionDownBy;

/** Whether the page asked to run without the policy (for comparisons: `?bandwidth=off`). */
export function policyWanted(search: string): boolean {
  return new URLSearchParams(search).get('bandwidth') !== 'off';
}

export class BandwidthController {
  readonly enabled: boolean;
  readonly #stream: MediaStream;
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<(view: BandwidthView) => void>();
  readonly #tiles: TileObserver;
  #state: PolicyState = initialPolicy();
  #view: BandwidthView = new Map();
  #timer: ReturnType<typeof setInterval> | null = null;
  #ticking = false;
  #stopped = false;
  /**
   * What each sender was last set to (or found at). getParameters() is a synchronous call
   * into WebRTC's signaling thread: while that thread is busy (a join's offers and
   * answers) it blocks the page for up to a couple of hundred ms, so a tick that decides
   * what is already set does not ask (docs/call-setup.md).
   */
  readonly #applied = new WeakMap<RTCRtpSender, Encoding>();
  /** setParameters failures so far (the test hook reads it). */
  applyErrors = 0;
  /** The last of them, name and message (the test hook reads it). */
  lastApplyError: string | null = null;

  constructor(options: BandwidthOptions) {
    this.enabled = options.enabled;
    this.#stream = options.localStream;
    this.#tiles = new TileObserver((id, kind, size) => this.#entries.get(id)?.link.send({ t: 'tile', kind, width: size.width, height: size.height }));
    this.#timer = setInterval(() => void this.#tick(), options.intervalMs ?? 1_000);
  }

  get view(): BandwidthView {
    return this.#view;
  }

  /** Svelte store contract: called now and after every change. */
  subscribe(listener: (view: BandwidthView) => void): () => void {
    this.#listeners.add(listener);
    listener(this.#view);
    return () => this.#listeners.delete(listener);
  }

  /** A Peer was created (mesh.ts): its control channel and senders join the policy. */
  add(id: string, peer: Peer): void {
    if (this.#stopped || this.#entries.has(id)) return;
    const entry: Entry = {
      peer,
      link: new ControlLink((m) => this.#onMessage(id, m)),
      prev: null,
      stats: null,
      cameraTile: null,
      screenTile: null,
      screen: null,
      remotePaused: false,
      remoteReason: null,
      decision: null,
      applying: Promise.resolve(),
    };
    this.#entries.set(id, entry);
    if (peer.control) entry.link.attach(peer.control);
    peer.on('control', (channel) => {
      entry.link.attach(channel);
      const size = this.#tiles.last(id, 'camera');
      if (size) entry.link.send({ t: 'tile', kind: 'camera', width: size.width, height: size.height });
    });
    this.#run();
  }

  /** The Peer is gone: its share goes back to the others at once. */
  remove(id: string): void {
    if (!this.#entries.delete(id)) return;
    this.#run();
  }

  /** A screen sender to `id` appeared (or went away: null), capturing at `size`. */
  setScreen(id: string, sender: RTCRtpSender | null, size: Size = { width: 1280, height: 720 }): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.screen = sender ? { sender, size } : null;
    this.#run();
  }

  /** Reports how large `element` draws `id`'s video to them, as it changes. Returns the stop. */
  observeTile(id: string, element: Element, kind: VideoKind = 'camera'): () => void {
    return this.#tiles.observe(id, element, kind);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#tiles.disconnect();
    this.#entries.clear();
    this.#publish();
  }

  async #tick(): Promise<void> {
    if (this.#ticking || this.#stopped) return;
    this.#ticking = true;
    try {
      await Promise.all([...this.#entries.values()].map((e) => this.#sample(e)));
      this.#run();
    } finally {
      this.#ticking = false;
    }
  }

  async #sample(entry: Entry): Promise<void> {
    const pc = entry.peer.connection;
    if (pc.connectionState !== 'connected') return;
    try {
      const camera = entry.peer.sender('video');
      const mid = pc.getTransceivers().find((t) => t.sender === camera)?.mid ?? null;
      const report = await pc.getStats();
      const cur = snapshot(report.values() as Iterable<Record<string, unknown> & { type: string; id: string }>, mid);
      entry.stats = measure(entry.prev, cur);
      entry.prev = cur;
    } catch {
      // Closed between the check and the call: the entry is about to go.
    }
  }

  #run(): void {
    if (this.#stopped) return;
    const entries = [...this.#entries];
    const track = this.#stream.getTracks().find((t) => t.kind === 'video');
    const settings = track?.getSettings();
    const camera = settings?.width && settings.height ? { width: settings.width, height: settings.height } : null;
    const screen = entries.find(([, e]) => e.screen)?.[1].screen?.size ?? null;
    const out = decide(this.#state, {
      camera,
      screen,
      peers: entries.map(([id, e]) => ({
        id,
        sample: e.stats?.sample ?? null,
        cameraTile: e.cameraTile,
        screen: e.screen !== null,
        screenTile: e.screenTile,
      })),
    });
    this.#state = out.state;
    out.decisions.forEach((d) => {
      const entry = this.#entries.get(d.id)!;
      const was = entry.decision;
      entry.decision = d;
      if (!this.enabled) return;
      this.#apply(entry, d);
      if ((was?.quality === 'audio-only') !== (d.quality === 'audio-only')) {
        entry.link.send({ t: 'video', paused: d.quality === 'audio-only', reason: d.quality === 'audio-only' ? d.reason : null });
      }
    });
    this.#publish();
  }

  #apply(entry: Entry, d: PeerDecision): void {
    const camera = entry.peer.sender('video');
    const screen = entry.screen?.sender;
    entry.applying = entry.applying.then(async () => {
      if (camera) await this.#set(camera, d.camera);
      if (screen && d.screen) await this.#set(screen, d.screen);
    });
  }

  async #set(sender: RTCRtpSender, enc: Encoding): Promise<void> {
    const applied = this.#applied.get(sender);
    if (applied && same(applied, enc)) return;
    // A negotiation that completes between getParameters and setParameters makes the
    // parameters stale (InvalidModificationError, or InvalidStateError when Chromium drops
    // what getParameters gave): read them again and retry, once.
    for (let attempt = 0; ; attempt++) {
      try {
        const params = sender.getParameters();
        const current = params.encodings?.[0];
        // No encodings until negotiation has made the sender real: the next tick retries.
        if (!current) return;
        if (!same(current, enc)) {
          Object.assign(current, enc);
          await sender.setParameters(params);
        }
        this.#applied.set(sender, { ...enc });
        return;
      } catch (err) {
        if (attempt === 0 && ['InvalidModificationError', 'InvalidStateError'].includes((err as Error).name)) continue;
        this.applyErrors++;
        this.lastApplyError = `${(err as Error).name}: ${(err as Error).message}`;
        return;
      }
    }
  }

  #onMessage(id: string, m: ControlMessage): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    if (m.t === 'tile') {
      const size = { width: m.width, height: m.height };
      if (m.kind === 'camera') entry.cameraTile = size;
      else entry.screenTile = size;
      this.#run();
    } else {
      entry.remotePaused = m.paused;
      entry.remoteReason = m.reason;
      this.#publish();
    }
  }

  #publish(): void {
    const view = new Map<string, PeerBandwidth>();
    for (const [id, e] of this.#entries) {
      const d = e.decision;
      view.set(id, {
        id,
        quality: this.enabled ? (d?.quality ?? 'good') : 'good',
        reason: this.enabled ? (d?.reason ?? null) : 'bandwidth policy off',
        camera: this.enabled ? (d?.camera ?? null) : null,
        remotePaused: e.remotePaused,
        remoteReason: e.remoteReason,
        tile: e.cameraTile,
        stats: e.stats,
      });
    }
    this.#view = view;
    for (const listener of this.#listeners) listener(view);
  }
}
