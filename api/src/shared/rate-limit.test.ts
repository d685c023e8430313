import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

function clocked(options: { ratePerSecond: number; burst?: number; maxEntries?: number }) {
  let now = 0;
  const limiter = new RateLimiter({ ...options, now: () => now });
  return { limiter, advance: (ms: number) => void (now += ms) };
}

const allowedOf = (limiter: RateLimiter, key: string, n: number): number =>
  Array.from({ length: n }, () => limiter.allow(key)).filter(Boolean).length;

describe('RateLimiter', () => {
  it('lets a burst through, then refills at the rate', () => {
    const { limiter, advance } = clocked({ ratePerSecond: 10 });
    expect(allowedOf(limiter, 'a', 25)).toBe(10);
    advance(500);
    expect(allowedOf(limiter, 'a', 25)).toBe(5);
    advance(60_000); // never more than the burst
    expect(allowedOf(limiter, 'a', 25)).toBe(10);
  });

  it('keeps one bucket per source', () => {
    const { limiter } = clocked({ ratePerSecond: 2 });
    expect(allowedOf(limiter, 'a', 5)).toBe(2);
    expect(allowedOf(limiter, 'b', 5)).toBe(2);
  });

  it('honours a burst different from the rate', () => {
    const { limiter } = clocked({ ratePerSecond: 100, burst: 3 });
    expect(allowedOf(limiter, 'a', 10)).toBe(3);
  });

  it('never tracks more than maxEntries sources, forgetting the least recently seen', () => {
    const { limiter, advance } = clocked({ ratePerSecond: 1, maxEntries: 100 });
    let largest = 0;
    for (let i = 0; i < 10_000; i++) {
      limiter.allow(`s${i}`);
      advance(1);
      largest = Math.max(largest, limiter.size);
    }
    expect(largest).toBe(100);
    expect(limiter.allow('s9999')).toBe(false); // the newest is still remembered, and empty
    expect(limiter.allow('s0')).toBe(true); // the oldest was forgotten
  });

  it('forgets buckets that have refilled when the table is full', () => {
    const { limiter, advance } = clocked({ ratePerSecond: 1, maxEntries: 10 });
    for (let i = 0; i < 10; i++) limiter.allow(`s${i}`);
    advance(2000); // all full again: equivalent to no entry
    limiter.allow('new');
    expect(limiter.size).toBe(1);
  });
});
