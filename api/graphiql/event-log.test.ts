import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from 'graphql';
import { EventLog, withEventLog } from './event-log.js';

const event = (n: number): ExecutionResult => ({ data: { joinRoom: { __typename: 'Signal', n } } });

describe('EventLog', () => {
  it('shows the latest event at the top and the earlier ones newest first', () => {
    const log = new EventLog();
    expect(log.add(event(1))).toEqual({ ...event(1), extensions: { earlierEvents: [] } });
    log.add(event(2));
    expect(log.add(event(3))).toEqual({ ...event(3), extensions: { earlierEvents: [event(2), event(1)] } });
  });

  it('keeps at most `limit` earlier events and counts the rest', () => {
    const log = new EventLog(2);
    for (let n = 1; n <= 5; n++) log.add(event(n));
    expect(log.add(event(6)).extensions).toEqual({ earlierEvents: [event(5), event(4)], olderEventsNotShown: 3 });
  });

  it('keeps an error event as it came, and a result’s own extensions', () => {
    const log = new EventLog();
    const failed: ExecutionResult = { data: null, errors: [{ message: 'boom' } as never] };
    log.add(failed);
    const next = log.add({ data: { x: 1 }, extensions: { cost: 2 } });
    expect(next.extensions).toEqual({ cost: 2, earlierEvents: [failed] });
  });
});

/** A source like graphql-ws's: next() waits for an event; return() ends it at once. */
function manualSource() {
  const pending: ((step: IteratorResult<ExecutionResult>) => void)[] = [];
  const state = { returned: 0 };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () => new Promise((resolve) => pending.push(resolve)),
    return: async () => {
      state.returned++;
      for (const resolve of pending.splice(0)) resolve({ done: true, value: undefined });
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return { iterator, state, push: (r: ExecutionResult) => pending.shift()?.({ done: false, value: r }) };
}

describe('withEventLog', () => {
  it('passes events through as the log’s view', async () => {
    const source = manualSource();
    const logged = withEventLog(source.iterator);
    const first = logged.next();
    source.push(event(1));
    expect((await first).value).toEqual({ ...event(1), extensions: { earlierEvents: [] } });
    const second = logged.next();
    source.push(event(2));
    expect((await second).value).toEqual({ ...event(2), extensions: { earlierEvents: [event(1)] } });
  });

  it('ends the source at once when stopped while waiting for an event', async () => {
    const source = manualSource();
    const logged = withEventLog(source.iterator);
    const waiting = logged.next();
    await logged.return!();
    expect(source.state.returned).toBe(1);
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it('passes the source’s failure on', async () => {
    const failing: AsyncIterable<ExecutionResult> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('Socket closed with event 4403 Forbidden')) }),
    };
    await expect(withEventLog(failing).next()).rejects.toThrow('4403');
  });
});
