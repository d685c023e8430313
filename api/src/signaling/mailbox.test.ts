import { describe, expect, it, vi } from 'vitest';
import { Mailbox } from './mailbox.js';

describe('Mailbox', () => {
  it('delivers in order, to a waiting reader and from the queue', async () => {
    const box = new Mailbox<number>(10, vi.fn(), vi.fn());
    const pending = box.next();
    box.push(1);
    box.push(2);
    box.push(3);
    expect(await pending).toEqual({ value: 1, done: false });
    expect(await box.next()).toEqual({ value: 2, done: false });
    expect(await box.next()).toEqual({ value: 3, done: false });
    expect(box.size).toBe(0);
  });

  it('overflows past capacity: calls onOverflow once, ends, drops the backlog', async () => {
    const onOverflow = vi.fn();
    const onReturn = vi.fn();
    const box = new Mailbox<number>(3, onOverflow, onReturn);
    expect([box.push(1), box.push(2), box.push(3)]).toEqual([true, true, true]);
    expect(box.push(4)).toBe(false);
    expect(onOverflow).toHaveBeenCalledTimes(1);
    expect(box.closed).toBe(true);
    expect(box.size).toBe(0);
    expect(box.push(5)).toBe(false);
    expect(await box.next()).toEqual({ value: undefined, done: true });
    await box.return();
    expect(onReturn).not.toHaveBeenCalled(); // already closed by the overflow
  });

  it('return() ends a pending read and reports once', async () => {
    const onReturn = vi.fn();
    const box = new Mailbox<number>(3, vi.fn(), onReturn);
    const pending = box.next();
    await box.return();
    await box.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(onReturn).toHaveBeenCalledTimes(1);
  });

  it('keeps order across many pushes and reads (queue compaction)', async () => {
    const box = new Mailbox<number>(5000, vi.fn(), vi.fn());
    const got: number[] = [];
    for (let i = 0; i < 4000; i++) {
      box.push(i);
      if (i % 3 === 0) got.push((await box.next()).value as number);
    }
    while (box.size) got.push((await box.next()).value as number);
    expect(got).toEqual(Array.from({ length: 4000 }, (_, i) => i));
  });

  it('overflows past its byte bound too, counting only what is queued', async () => {
    const onOverflow = vi.fn();
    const box = new Mailbox<string>(512, onOverflow, vi.fn(), { maxBytes: 100, weigh: (e) => e.length });
    expect([box.push('a'.repeat(40)), box.push('b'.repeat(40))]).toEqual([true, true]);
    expect(box.bytes).toBe(80);
    expect(await box.next()).toEqual({ value: 'a'.repeat(40), done: false }); // delivered: no longer counted
    expect(box.bytes).toBe(40);
    expect(box.push('c'.repeat(60))).toBe(true);
    expect(box.push('d')).toBe(false); // 101 bytes
    expect(onOverflow).toHaveBeenCalledTimes(1);
    expect(box.closed).toBe(true);
    expect(box.bytes).toBe(0);
  });

  it('listen: queued events first, then each push at once, in order; end once on close', () => {
    const box = new Mailbox<number>(10, vi.fn(), vi.fn());
    box.push(1);
    box.push(2);
    const got: number[] = [];
    const end = vi.fn();
    box.listen({ event: (n) => void got.push(n), end });
    expect(got).toEqual([1, 2]);
    box.push(3);
    expect(got).toEqual([1, 2, 3]); // synchronously, no promise in between
    expect(box.size).toBe(0);
    box.close();
    box.close();
    expect(box.push(4)).toBe(false);
    expect(end).toHaveBeenCalledTimes(1);
  });

  it('listen: a write that must wait holds the next events, which count toward the bound', async () => {
    const onOverflow = vi.fn();
    const box = new Mailbox<number>(3, onOverflow, vi.fn());
    const got: number[] = [];
    let release: () => void = () => {};
    box.listen({
      event: (n) => {
        got.push(n);
        return n === 1 ? new Promise<void>((r) => (release = r)) : undefined;
      },
      end: vi.fn(),
    });
    box.push(1);
    box.push(2);
    box.push(3);
    expect(got).toEqual([1]);
    expect(box.size).toBe(2);
    release();
    await Promise.resolve();
    await Promise.resolve();
    expect(got).toEqual([1, 2, 3]);
    expect(box.size).toBe(0);
    // Held back again: one in the write, three queued (the bound), the fifth cuts it off.
    box.listen({ event: () => new Promise<void>(() => {}), end: vi.fn() });
    for (let i = 0; i < 4; i++) expect(box.push(10 + i)).toBe(true);
    expect(onOverflow).not.toHaveBeenCalled();
    expect(box.push(14)).toBe(false);
    expect(onOverflow).toHaveBeenCalledTimes(1);
    expect(box.closed).toBe(true);
  });
});
