/**
 * A token bucket per key (a source address, a client, a participant) in a bounded table,
 * so a flood of distinct keys cannot grow memory. Used by the STUN listener (per source
 * address) and the GraphQL rate limits (graphql/rate-limits.ts).
 */

export interface RateLimiterOptions {
  /** Tokens added per second, per key. */
  ratePerSecond: number;
  /** Bucket size: how many datagrams a quiet source may send at once. Defaults to ratePerSecond. */
  burst?: number;
  /** Most sources tracked; the least recently seen is forgotten first. */
  maxEntries?: number;
  /** Milliseconds, monotonic; tests pass a fake clock. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  // A Map iterates in insertion order; re-inserting on each use keeps the oldest first.
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions) {
    this.#rate = options.ratePerSecond / 1000;
    this.#burst = Math.max(1, options.burst ?? options.ratePerSecond);
    this.#maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.#now = options.now ?? (() => performance.now());
  }

  /** Takes one token from `key`'s bucket; false means drop the datagram. */
  allow(key: string): boolean {
    const now = this.#now();
    const bucket = this.#buckets.get(key);
    let tokens = this.#burst;
    if (bucket) {
      tokens = Math.min(this.#burst, bucket.tokens + Math.max(0, now - bucket.at) * this.#rate);
      this.#buckets.delete(key);
    } else if (this.#buckets.size >= this.#maxEntries) {
      this.#evict(now);
    }
    const allowed = tokens >= 1;
    this.#buckets.set(key, { tokens: allowed ? tokens - 1 : tokens, at: now });
    return allowed;
  }

  /** Sources tracked now (for tests and metrics). */
  get size(): number {
    return this.#buckets.size;
  }

  /** Forgets every full bucket (it behaves like no entry), and at least the oldest one. */
  #evict(now: number): void {
    let first = true;
    for (const [key, b] of this.#buckets) {
      const full = b.tokens + (now - b.at) * this.#rate >= this.#burst;
      if (!first && !full) break;
      this.#buckets.delete(key);
      first = false;
    }
  }
}
