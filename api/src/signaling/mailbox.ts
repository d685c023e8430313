/**
 * One participant's bounded, ordered event queue, read by the transport (the GraphQL
 * subscription) either as an async iterator or, on the socket's hot path, through
 * `listen`: each event handed to a sink as it is pushed, with no promise per event. Either
 * way the next event goes out only after the previous one was written to the socket, so
 * a client that stops reading lets the queue fill; past `capacity` events, or past
 * `maxBytes` of them as `weigh` counts, the mailbox calls `onOverflow` and ends, instead of
 * growing without limit.
 */
export class Mailbox<T> implements AsyncIterableIterator<T> {
  #queue: T[] = [];
  #head = 0;
  #waiting: ((result: IteratorResult<T>) => void) | null = null;
  #sink: Sink<T> | null = null;
  /** The sink's last write is not out yet: events queue until it is. */
  #paused = false;
  #closed = false;
  #bytes = 0;
  readonly #maxBytes: number;
  readonly #weigh: ((event: T) => number) | null;

  constructor(
    readonly capacity: number,
    private readonly onOverflow: () => void,
    private readonly onReturn: () => void,
    bytes: { maxBytes: number; weigh: (event: T) => number } | null = null,
  ) {
    this.#maxBytes = bytes?.maxBytes ?? Infinity;
    this.#weigh = bytes?.weigh ?? null;
  }

  /** What the queued events weigh, in bytes as `weigh` counts them (0 without a byte bound). */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#queue.length - this.#head;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Queues an event; false when the mailbox is closed or has just overflowed. */
  push(event: T): boolean {
    if (this.#closed) return false;
    if (this.#sink && !this.#paused && this.size === 0) {
      this.#hand(event);
      return true;
    }
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: event, done: false });
      return true;
    }
    const weight = this.#weigh ? this.#weigh(event) : 0;
    if (this.size >= this.capacity || this.#bytes + weight > this.#maxBytes) {
      this.close();
      this.onOverflow();
      return false;
    }
    this.#queue.push(event);
    this.#bytes += weight;
    return true;
  }

  /** Removes and returns every queued event (to move them to another mailbox). */
  takeAll(): T[] {
    const events = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    this.#bytes = 0;
    return events;
  }

  /**
   * Push mode: `sink.event` gets every event, queued ones first, synchronously as each is
   * pushed, until it returns a promise (its write must wait): events then queue until the
   * promise settles. `sink.end` is called once when the mailbox closes.
   */
  listen(sink: Sink<T>): void {
    this.#sink = sink;
    if (this.#closed) sink.end();
    else this.#drain();
  }

  /** Ends the stream: a pending read resolves as done and queued events are dropped. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    this.#head = 0;
    this.#bytes = 0;
    const resolve = this.#waiting;
    this.#waiting = null;
    resolve?.({ value: undefined, done: true });
    this.#sink?.end();
  }

  #hand(event: T): void {
    const written = this.#sink!.event(event);
    if (!written) return;
    this.#paused = true;
    const resume = () => {
      this.#paused = false;
      this.#drain();
    };
    written.then(resume, resume);
  }

  #drain(): void {
    while (!this.#paused && !this.#closed && this.size > 0) this.#hand(this.#take());
  }

  #take(): T {
    const value = this.#queue[this.#head++] as T;
    if (this.#weigh) this.#bytes -= this.#weigh(value);
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return value;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) return Promise.resolve({ value: this.#take(), done: false });
    if (this.#closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /** The reader is done (the subscription ended or its socket closed). */
  return(): Promise<IteratorResult<T>> {
    const wasOpen = !this.#closed;
    this.close();
    if (wasOpen) this.onReturn();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** What `Mailbox.listen` hands events to. */
export interface Sink<T> {
  /** Writes one event; a promise means "wait for it before the next one". Must not throw. */
  event(event: T): Promise<void> | undefined;
  /** The mailbox closed (left, cut off, replaced on resume, or returned by its reader). */
  end(): void;
}

/**
 * A mailbox for `owner` whose overflow and end count only while it is still the owner's
 * current one: a participant that resumed has a new mailbox, and its old one finishing
 * must not count as leaving. Used by both hubs (in-process and cluster).
 */
export function ownedMailbox<T>(
  owner: { events: Mailbox<T> },
  capacity: number,
  onOverflow: () => void,
  onEnd: () => void,
  bytes: { maxBytes: number; weigh: (event: T) => number } | null = null,
): Mailbox<T> {
  const box: Mailbox<T> = new Mailbox<T>(
    capacity,
    () => {
      if (owner.events === box) onOverflow();
    },
    () => {
      if (owner.events === box) onEnd();
    },
    bytes,
  );
  return box;
}
