/**
 * Media state (mute, camera, screen) as the server relays it: the shape, the default a
 * participant starts with, and MediaStatePublisher, which keeps the server in step with
 * what we send. Rapid toggles collapse: one setMediaState in flight at a time, then the
 * latest wanted state if it still differs, so the last state wins everywhere. After any
 * Welcome (a fresh join, or a resume on a restarted server) it re-announces what the
 * server does not know yet. Used by the signaling channel; no Svelte, no browser API.
 */

export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
  screenStreamId: string | null;
}

export const DEFAULT_MEDIA: Readonly<MediaState> = Object.freeze({ audio: true, video: true, screen: false, screenStreamId: null });

export function sameMedia(a: MediaState, b: MediaState): boolean {
  return a.audio === b.audio && a.video === b.video && a.screen === b.screen && (a.screenStreamId ?? null) === (b.screenStreamId ?? null);
}

/** Sends one state to the server; resolves with what the server now holds. */
export type SendMediaState = (state: MediaState) => Promise<MediaState>;

export class MediaStatePublisher {
  #wanted: MediaState;
  /** What the server holds as far as we know; null before the first Welcome. */
  #known: MediaState | null = null;
  #inFlight = false;
  #online = false;
  /** Bumped by each Welcome: a reply to a request sent before it is stale. */
  #epoch = 0;
  readonly #send: SendMediaState;
  readonly #onError: (err: unknown) => void;

  constructor(send: SendMediaState, initial: MediaState = DEFAULT_MEDIA, onError: (err: unknown) => void = () => {}) {
    this.#send = send;
    this.#wanted = { ...initial };
    this.#onError = onError;
  }

  get wanted(): MediaState {
    return this.#wanted;
  }

  /** Changes what we announce (absent fields keep their value). */
  set(patch: Partial<MediaState>): void {
    this.#wanted = { ...this.#wanted, ...patch };
    if (!this.#wanted.screen) this.#wanted.screenStreamId = null;
    this.#pump();
  }

  /** A Welcome arrived carrying the server's idea of our state: send ours if it differs. */
  welcomed(server: MediaState): void {
    this.#known = { ...server };
    this.#online = true;
    this.#epoch++;
    this.#pump();
  }

  /** The socket dropped: hold changes until the next Welcome. */
  offline(): void {
    this.#online = false;
  }

  #pump(): void {
    if (this.#inFlight || !this.#online || !this.#known || sameMedia(this.#known, this.#wanted)) return;
    const sending = { ...this.#wanted };
    const epoch = this.#epoch;
    this.#inFlight = true;
    this.#send(sending).then(
      (held) => {
        this.#inFlight = false;
        if (epoch === this.#epoch) this.#known = held;
        this.#pump();
      },
      (err: unknown) => {
        this.#inFlight = false;
        if (epoch !== this.#epoch) return this.#pump(); // an old socket's failure; the new one is up
        // Not sent (the socket dropped, or we left): the next Welcome sends it again.
        this.#online = false;
        this.#onError(err);
      },
    );
  }
}
