import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from 250 ms and stops at 4 s', () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(n, top))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000, 4000]);
  });

  it('jitters between half and all of each step, never past the cap', () => {
    expect(backoffDelay(0, () => 0)).toBe(125);
    expect(backoffDelay(3, () => 0.5)).toBe(1500);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(i % 12);
      expect(d).toBeGreaterThanOrEqual(125);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });

  it('takes other bases and caps', () => {
    expect(backoffDelay(10, () => 1, { baseMs: 10, capMs: 100 })).toBe(100);
    expect(backoffDelay(-3, () => 1)).toBe(250);
  });
});
