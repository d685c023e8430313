/**
 * Screen sharing as the call page sees it: our share (start, stop, the browser's own
 * stop button), the others' shared screens told apart from cameras by the stream id they
 * announce (lib/rtc/screen-share.ts), and which screen is pinned to the stage. Owned by
 * call.svelte.ts; the mesh does the sending.
 */
import { captureScreen, describeCaptureError, sharedScreens, stageScreen, type ScreenAnnouncement, type SharedScreen } from '$lib/rtc/screen-share';

export interface ScreenShareOptions {
  /** Gives our screen to every Peer (null: stop) and announces it in our media state. */
  share(stream: MediaStream | null): void;
  /** The others in the call, in join order, with what they announce. */
  people(): readonly { id: string; name: string; media: ScreenAnnouncement | undefined }[];
  /** Tests and browsers without getDisplayMedia pass their own. */
  capture?: () => Promise<MediaStream>;
}

export class ScreenShareState {
  readonly #o: ScreenShareOptions;
  #mine = $state.raw<MediaStream | null>(null);
  #streams = $state.raw<ReadonlyMap<string, readonly MediaStream[]>>(new Map());
  #pinned = $state<string | null>(null);
  #error = $state<string | null>(null);
  #starting = $state(false);

  constructor(options: ScreenShareOptions) {
    this.#o = options;
  }

  /** Whether this browser can share a screen at all (phones mostly cannot). */
  get supported(): boolean {
    return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
  }
  get sharing(): boolean {
    return this.#mine !== null;
  }
  get starting(): boolean {
    return this.#starting;
  }
  get error(): string | null {
    return this.#error;
  }
  get pinned(): string | null {
    return this.#pinned;
  }
  /** The others' screens being shared now, in join order. */
  get screens(): SharedScreen[] {
    return sharedScreens(this.#o.people(), this.#streams);
  }
  /** The screen on the stage: the pinned one, else the latest share. */
  get staged(): SharedScreen | null {
    return stageScreen(this.screens, this.#pinned);
  }

  pin(participantId: string | null): void {
    this.#pinned = participantId;
  }

  /** A stream of a participant's other than their camera (from the mesh). */
  addStream(participantId: string, stream: MediaStream): void {
    const known = (this.#streams.get(participantId) ?? []).filter((s) => s.getTracks().some((t) => t.readyState === 'live'));
    if (known.includes(stream)) return;
    this.#streams = new Map(this.#streams).set(participantId, [...known, stream]);
  }

  /** The participant's link closed: forget their streams. */
  forget(participantId: string): void {
    if (!this.#streams.has(participantId)) return;
    const next = new Map(this.#streams);
    next.delete(participantId);
    this.#streams = next;
    if (this.#pinned === participantId) this.#pinned = null;
  }

  async toggle(): Promise<void> {
    if (this.#mine) this.stop();
    else await this.start();
  }

  /** Asks for a screen and shares it; a cancelled picker is no error. */
  async start(): Promise<void> {
    if (this.#mine || this.#starting) return;
    this.#starting = true;
    this.#error = null;
    try {
      const stream = await (this.#o.capture ?? captureScreen)();
      // The browser's own "Stop sharing" ends the video track.
      stream.getVideoTracks()[0]?.addEventListener('ended', () => {
        if (this.#mine === stream) this.stop();
      });
      this.#mine = stream;
      this.#o.share(stream);
    } catch (err) {
      this.#error = describeCaptureError(err);
    } finally {
      this.#starting = false;
    }
  }

  /** Stops sharing (idempotent): tracks ended, Peers told, media state updated. */
  stop(): void {
    const stream = this.#mine;
    if (!stream) return;
    this.#mine = null;
    for (const track of stream.getTracks()) track.stop();
    this.#o.share(null);
  }
}
