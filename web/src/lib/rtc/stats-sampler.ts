/**
 * Reads every link's getStats() once a second and hands each participant's LinkSample
 * and quality mark upward. One sampler per call (the Call owns it); the bandwidth policy
 * can subscribe to the same samples instead of polling again.
 */
import { readLinkStats, type LinkSample } from './link-stats';
import { linkQuality, type LinkQuality } from './quality';

export const STATS_INTERVAL_MS = 1000;

export type LinkListener = (id: string, sample: LinkSample, quality: LinkQuality) => void;

export class StatsSampler {
  readonly #last = new Map<string, LinkSample>();
  readonly #listeners = new Set<LinkListener>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #busy = false;

  /**
   * `links`: the connections to sample now; `videoExpected(id)`: whether that participant
   * says its camera is on (no frames is then a problem).
   */
  constructor(
    private readonly links: () => Iterable<[string, RTCPeerConnection]>,
    private readonly videoExpected: (id: string) => boolean,
    private readonly intervalMs = STATS_INTERVAL_MS,
  ) {}

  onSample(listener: LinkListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.#tick(), this.intervalMs);
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#last.clear();
  }

  async #tick(): Promise<void> {
    if (this.#busy) return; // a slow getStats on a loaded machine: skip, never pile up
    this.#busy = true;
    try {
      const links = [...this.links()];
      const live = new Set(links.map(([id]) => id));
      for (const id of this.#last.keys()) if (!live.has(id)) this.#last.delete(id);
      await Promise.all(
        links.map(async ([id, pc]) => {
          // Nothing to measure before the link first connects (and reading a report costs
          // the page a few ms per link, when a join keeps it busiest).
          if (pc.connectionState === 'closed' || pc.connectionState === 'new' || pc.connectionState === 'connecting') return;
          const report = await pc.getStats();
          const sample = readLinkStats(report.values() as Iterable<Record<string, unknown>>, performance.now());
          const quality = linkQuality(this.#last.get(id) ?? null, sample, this.videoExpected(id));
          this.#last.set(id, sample);
          for (const l of this.#listeners) l(id, sample, quality);
        }),
      );
    } catch {
      // A connection closed mid-read: the next tick sees the new set.
    } finally {
      this.#busy = false;
    }
  }
}
