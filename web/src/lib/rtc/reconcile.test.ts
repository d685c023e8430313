import { describe, expect, it } from 'vitest';
import { reconcileResume } from './reconcile';

const ids = (...xs: string[]) => xs.map((id) => ({ id }));

describe('reconcileResume', () => {
  it('keeps those listed, waits for the missing, adopts the new', () => {
    expect(reconcileResume('m', ['a', 'b', 'c'], ids('m', 'a', 'c', 'd'))).toEqual({ keep: ['a', 'c'], missing: ['b'], adopt: ['d'] });
  });

  it('after a restart where nobody else is back yet, everyone is missing and nobody is dropped', () => {
    expect(reconcileResume('m', ['a', 'b'], ids('m'))).toEqual({ keep: [], missing: ['a', 'b'], adopt: [] });
  });

  it('never plans anything for ourselves', () => {
    expect(reconcileResume('m', ['m'], ids('m'))).toEqual({ keep: [], missing: [], adopt: [] });
  });
});
