/**
 * Our camera and microphone on the room page: acquired for the pre-join preview (with
 * the remembered devices), switched, muted and stopped through LocalTracks, handed to
 * the call, stopped when we leave or the page goes away. Components read its reactive
 * state; the Call listens to its tracks.
 */
import { loadChoice } from '$lib/rtc/devices';
import { LocalTracks, type TrackKind } from '$lib/rtc/local-tracks';
import { acquireMedia, describeMedia, type LocalMedia } from '$lib/rtc/media';

export class LocalMediaState {
  #media = $state.raw<LocalMedia | null>(null);
  #tracks = $state.raw<LocalTracks | null>(null);
  #pending: Promise<LocalMedia> | null = null;
  #muted = $state(false);
  #videoOff = $state(false);
  /** Bumped on every track change, so views re-read the stream. */
  #version = $state(0);
  #hadCamera = $state(false);
  #hadMic = $state(false);
  /** Told when a device vanished (kind), so Settings can fall back and say so. */
  ondevicelost: ((kind: TrackKind) => void) | null = null;

  get current(): LocalMedia | null {
    return this.#media;
  }
  get tracks(): LocalTracks | null {
    return this.#tracks;
  }
  get stream(): MediaStream | null {
    return this.#media?.stream ?? null;
  }
  get muted(): boolean {
    return this.#muted;
  }
  get videoOff(): boolean {
    return this.#videoOff;
  }
  get version(): number {
    return this.#version;
  }
  /** A camera / microphone was there when we asked (so the buttons make sense). */
  get hasCamera(): boolean {
    return this.#hadCamera;
  }
  get hasMic(): boolean {
    return this.#hadMic;
  }

  /** The camera track, when there is one that still runs. */
  get liveVideo(): boolean {
    void this.#version;
    return this.#media?.stream.getVideoTracks().some((t) => t.readyState === 'live') ?? false;
  }

  /** The microphone track, for the level meter. */
  get micTrack(): MediaStreamTrack | null {
    void this.#version;
    return this.#media?.stream.getAudioTracks()[0] ?? null;
  }

  /** The sentence for the preview ("…you will join with audio only."), if any. */
  get notice(): string | null {
    return this.#media ? describeMedia(this.#media, false) : null;
  }

  /** The media we have, or asks the browser again (after stop()) with the remembered devices. */
  ensure(): Promise<LocalMedia> {
    const media = this.#media;
    if (media) return Promise.resolve(media);
    this.#pending ??= acquireMedia(loadChoice()).then((m) => {
      this.#pending = null;
      const tracks = new LocalTracks(m.stream, { cameraId: loadChoice().camera });
      tracks.onTrack(() => this.#version++);
      tracks.onDeviceLost = (kind) => this.ondevicelost?.(kind);
      tracks.setMuted(this.#muted);
      this.#hadCamera = m.stream.getVideoTracks().length > 0;
      this.#hadMic = m.stream.getAudioTracks().length > 0;
      if (this.#videoOff) tracks.stopVideo();
      this.#tracks = tracks;
      this.#media = m;
      this.#version++;
      return m;
    });
    return this.#pending;
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#tracks?.setMuted(muted);
  }

  /** Camera off (released) or on again; rejects when the camera cannot open (it stays off). */
  async setVideoOff(off: boolean): Promise<void> {
    this.#videoOff = off;
    if (!this.#tracks) return;
    if (off) {
      this.#tracks.stopVideo();
      return;
    }
    try {
      await this.#tracks.startVideo();
      this.#hadCamera = true;
    } catch (err) {
      this.#videoOff = true;
      throw err;
    }
  }

  /** Switches camera or microphone; rejects (keeping the current one) when it cannot open. */
  async useDevice(kind: TrackKind, deviceId: string | null, exact = true): Promise<void> {
    await this.#tracks?.useDevice(kind, deviceId, exact);
    if (kind === 'video' && !this.#videoOff) this.#hadCamera = true;
    if (kind === 'audio') this.#hadMic = true;
  }

  /** The device id the live track of a kind comes from, if any. */
  deviceInUse(kind: TrackKind): string | null {
    void this.#version;
    return this.#tracks?.track(kind)?.getSettings().deviceId ?? null;
  }

  stop(): void {
    this.#tracks?.stopAll();
    this.#tracks = null;
    this.#media = null;
  }
}
