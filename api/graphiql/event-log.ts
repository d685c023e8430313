/**
 * A subscription's events kept on screen. GraphiQL shows only the latest result of a
 * subscription, so a join followed within milliseconds by an offer and its candidates
 * would flash past. Each result shown here is the latest event as GraphiQL would show it
 * (data/errors at the top) plus `extensions.earlierEvents`: the events before it, newest
 * first, at most `limit` of them.
 */
import type { ExecutionResult } from 'graphql';

/** What GraphiQL prints: the latest event, and the ones before it under extensions. */
export type LoggedResult = ExecutionResult & { extensions: Record<string, unknown> };

/** Results in arrival order in, the on-screen view out. Pure; one per subscription. */
export class EventLog {
  #earlier: ExecutionResult[] = [];
  #latest: ExecutionResult | null = null;
  #dropped = 0;

  constructor(private readonly limit = 100) {}

  add(result: ExecutionResult): LoggedResult {
    if (this.#latest) this.#earlier.unshift(this.#latest);
    if (this.#earlier.length > this.limit) this.#dropped += this.#earlier.length - this.limit;
    this.#earlier.length = Math.min(this.#earlier.length, this.limit);
    this.#latest = result;
    const extensions: Record<string, unknown> = { ...result.extensions, earlierEvents: this.#earlier };
    if (this.#dropped > 0) extensions.olderEventsNotShown = this.#dropped;
    return { ...result, extensions };
  }
}

/**
 * `source` with every result replaced by the log's view. return() reaches the source at
 * once, even while a next() is waiting (an async generator would wait for the next
 * event first, leaving the subscription, and the participant, in the room).
 */
export function withEventLog(source: AsyncIterable<ExecutionResult>, limit?: number): AsyncIterableIterator<LoggedResult> {
  const inner = source[Symbol.asyncIterator]();
  const log = new EventLog(limit);
  const iterator: AsyncIterableIterator<LoggedResult> = {
    async next() {
      const step = await inner.next();
      return step.done ? { done: true, value: undefined } : { done: false, value: log.add(step.value) };
    },
    async return() {
      await inner.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      if (inner.throw) await inner.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
