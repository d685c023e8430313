import { describe, expect, it } from 'vitest';
import { countAfter, mergeMessages, type ChatEntry } from './order';

const msg = (seq: number, fromId = 'a'): ChatEntry => ({ id: `m${seq}`, seq, fromId, fromName: fromId, text: `t${seq}`, sentAt: '' });
const seqs = (list: readonly ChatEntry[]) => list.map((m) => m.seq);

describe('mergeMessages', () => {
  it('appends messages that come in order', () => {
    expect(seqs(mergeMessages([msg(1), msg(2)], [msg(3)]))).toEqual([1, 2, 3]);
  });

  it('puts a late message in its place and keeps one copy of each', () => {
    const list = mergeMessages([msg(1), msg(3)], [msg(2), msg(3), msg(2)]);
    expect(seqs(list)).toEqual([1, 2, 3]);
  });

  it('merges a history that overlaps what we have (a resume)', () => {
    const history = [3, 4, 5, 6].map((s) => msg(s));
    expect(seqs(mergeMessages([msg(1), msg(2), msg(3), msg(4)], history))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('returns the same list when nothing is new (no needless re-render)', () => {
    const list = [msg(1), msg(2)];
    expect(mergeMessages(list, [msg(2)])).toBe(list);
    expect(mergeMessages(list, [])).toBe(list);
  });

  it('keeps the newest when over the limit', () => {
    const list = mergeMessages([], [5, 1, 4, 2, 3].map((s) => msg(s)), 3);
    expect(seqs(list)).toEqual([3, 4, 5]);
  });
});

describe('countAfter', () => {
  it('counts others’ messages after a seq, not mine', () => {
    const list = [msg(1, 'b'), msg(2, 'me'), msg(3, 'b'), msg(4, 'c')];
    expect(countAfter(list, 1, 'me')).toBe(2);
    expect(countAfter(list, 4, 'me')).toBe(0);
    expect(countAfter(list, 0, null)).toBe(4);
  });
});
