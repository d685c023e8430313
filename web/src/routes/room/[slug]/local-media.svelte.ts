/**
 * Our camera and microphone on the room page: acquired for the pre-join preview, handed
 * to the call, stopped when we leave or the page goes away.
 */
import { acquireMedia, describeMedia, stopMedia, type LocalMedia } from '$lib/rtc/media';

export class LocalMediaState {
  #media = $state.raw<LocalMedia | null>(null);
  #pending: Promise<LocalMedia> | null = null;

  get current(): LocalMedia | null {
    return this.#media;
  }

  /** The camera track, when there is one that still runs. */
  get liveVideo(): boolean {
    return this.#media?.stream.getVideoTracks().some((t) => t.readyState === 'live') ?? false;
  }

  /** The sentence for the preview ("…you will join with audio only."), if any. */
  get notice(): string | null {
    return this.#media ? describeMedia(this.#media, false) : null;
  }

  /** The media we have, or asks the browser again (after stop()). */
  ensure(): Promise<LocalMedia> {
    const media = this.#media;
    if (media) return Promise.resolve(media);
    this.#pending ??= acquireMedia().then((m) => {
      this.#pending = null;
      this.#media = m;
      return m;
    });
    return this.#pending;
  }

  stop(): void {
    stopMedia(this.#media?.stream);
    this.#media = null;
  }
}
