/**
 * Watches how large the page draws each remote participant's video and reports it in
 * device pixels, debounced (a window being dragged larger sends one report, not sixty).
 * Used by controller.ts, which sends the sizes to the senders over the control channel.
 */
import type { VideoKind } from './messages';
import type { Size } from './policy';

/** Quiet time after the last resize before it is reported. */
export const TILE_DEBOUNCE_MS = 300;

type Report = (id: string, kind: VideoKind, size: Size) => void;

interface Watched {
  id: string;
  kind: VideoKind;
  timer: ReturnType<typeof setTimeout> | null;
}

export class TileObserver {
  readonly #report: Report;
  readonly #watched = new Map<Element, Watched>();
  readonly #last = new Map<string, Size>();
  #observer: ResizeObserver | null = null;

  constructor(report: Report) {
    this.#report = report;
  }

  /** The size last reported for that peer's video of that kind. */
  last(id: string, kind: VideoKind): Size | null {
    return this.#last.get(`${kind}:${id}`) ?? null;
  }

  observe(id: string, element: Element, kind: VideoKind): () => void {
    if (typeof ResizeObserver === 'undefined') return () => {};
    this.#observer ??= new ResizeObserver((entries) => {
      for (const entry of entries) this.#resized(entry.target, entry.contentRect);
    });
    this.#watched.set(element, { id, kind, timer: null });
    this.#observer.observe(element);
    return () => {
      const w = this.#watched.get(element);
      if (w?.timer) clearTimeout(w.timer);
      this.#watched.delete(element);
      this.#observer?.unobserve(element);
    };
  }

  disconnect(): void {
    for (const w of this.#watched.values()) if (w.timer) clearTimeout(w.timer);
    this.#watched.clear();
    this.#observer?.disconnect();
    this.#observer = null;
  }

  #resized(element: Element, rect: DOMRectReadOnly): void {
    const w = this.#watched.get(element);
    if (!w) return;
    // Device pixels: a tile on a 2x screen needs twice the pixels it measures in CSS.
    const dpr = globalThis.devicePixelRatio || 1;
    const size = { width: Math.round(rect.width * dpr), height: Math.round(rect.height * dpr) };
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(() => {
      w.timer = null;
      if (size.width === 0 || size.height === 0) return; // hidden: keep the last size
      this.#last.set(`${w.kind}:${w.id}`, size);
      this.#report(w.id, w.kind, size);
    }, TILE_DEBOUNCE_MS);
  }
}
