/**
 * What we send, from the preview through the call: one MediaStream whose tracks change
 * in place. Mute disables the microphone track (it stays open for a fast unmute; peers
 * get silence). Stop video stops the camera track (its light goes off) and tells the
 * listeners `null`; Start video and device switches get a fresh track and hand it to the
 * listeners, which `replaceTrack` it on every link: no renegotiation. New links take
 * whatever the stream holds. A device that fails to open leaves the previous one in place
 * and the error says why. Owned by the page's LocalMediaState; no Svelte.
 */
import { deviceConstraint } from './devices';
import { VIDEO_CONSTRAINTS } from './media';

export type TrackKind = 'audio' | 'video';
export type TrackListener = (kind: TrackKind, track: MediaStreamTrack | null) => void;

export interface LocalTracksOptions {
  /** Device ids to use when the camera is started again. */
  cameraId?: string | null;
  getUserMedia?: (c: MediaStreamConstraints) => Promise<MediaStream>;
}

export class LocalTracks {
  readonly stream: MediaStream;
  readonly #listeners = new Set<TrackListener>();
  readonly #gum: (c: MediaStreamConstraints) => Promise<MediaStream>;
  /** A device ended on its own (unplugged): the owner falls back. */
  onDeviceLost: ((kind: TrackKind) => void) | null = null;
  #muted = false;
  #videoOff = false;
  #cameraId: string | null;

  constructor(stream: MediaStream, options: LocalTracksOptions = {}) {
    this.stream = stream;
    this.#cameraId = options.cameraId ?? null;
    this.#gum = options.getUserMedia ?? ((c) => navigator.mediaDevices.getUserMedia(c));
    for (const t of stream.getTracks()) this.#watch(t);
  }

  get muted(): boolean {
    return this.#muted;
  }
  get videoOff(): boolean {
    return this.#videoOff;
  }
  track(kind: TrackKind): MediaStreamTrack | null {
    return (kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks())[0] ?? null;
  }

  /** Told of every change of what we send of a kind (null: nothing). */
  onTrack(listener: TrackListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  setMuted(muted: boolean): void {
    this.#muted = muted;
    const mic = this.track('audio');
    if (mic) mic.enabled = !muted;
  }

  /** Releases the camera: the track stops, links send nothing. */
  stopVideo(): void {
    this.#videoOff = true;
    const cam = this.track('video');
    if (!cam) return;
    cam.stop();
    this.stream.removeTrack(cam);
    this.#emit('video', null);
  }

  /** Opens the camera again (the chosen one, else any) and sends it. */
  async startVideo(): Promise<void> {
    const fresh = await this.#open('video', this.#cameraId, false);
    if (!this.#videoOff && this.track('video')) {
      fresh.stop(); // started twice: keep the first
      return;
    }
    this.#videoOff = false;
    this.#put('video', fresh);
  }

  /**
   * Switches to another camera or microphone. With the camera off it only remembers the
   * camera for the next start. Rejects (keeping the current device) when it cannot open.
   */
  async useDevice(kind: TrackKind, deviceId: string | null, strict = true): Promise<void> {
    if (kind === 'video') {
      this.#cameraId = deviceId;
      if (this.#videoOff) return;
    }
    const fresh = await this.#open(kind, deviceId, strict);
    if (kind === 'video' && this.#videoOff) {
      fresh.stop(); // stopped while the camera was opening
      return;
    }
    this.#put(kind, fresh);
  }

  /** Ends every track (leaving, or the page going away). */
  stopAll(): void {
    for (const t of this.stream.getTracks()) t.stop();
  }

  /** Opens a device exactly; unless `strict`, one that is gone falls back to the default. */
  async #open(kind: TrackKind, deviceId: string | null, strict: boolean): Promise<MediaStreamTrack> {
    const ask = async (id: string | null) => {
      const constraints: MediaStreamConstraints =
        kind === 'video' ? { video: deviceConstraint(VIDEO_CONSTRAINTS, id, true) } : { audio: deviceConstraint(true, id, true) };
      const stream = await this.#gum(constraints);
      const track = kind === 'video' ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
      if (!track) throw new DOMException(`No ${kind} track`, 'NotFoundError');
      return track;
    };
    try {
      return await ask(deviceId);
    } catch (err) {
      const gone = ['OverconstrainedError', 'NotFoundError'].includes((err as Error).name);
      if (strict || !deviceId || !gone) throw err;
      return ask(null);
    }
  }

  #put(kind: TrackKind, fresh: MediaStreamTrack): void {
    if (kind === 'audio') fresh.enabled = !this.#muted;
    const old = this.track(kind);
    if (old) {
      this.stream.removeTrack(old);
      old.stop();
    }
    this.stream.addTrack(fresh);
    this.#watch(fresh);
    this.#emit(kind, fresh);
  }

  #watch(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => {
      // Our own stop() does not fire `ended`; this is the device going away.
      if (this.stream.getTracks().includes(track)) this.onDeviceLost?.(track.kind as TrackKind);
    });
  }

  #emit(kind: TrackKind, track: MediaStreamTrack | null): void {
    for (const l of this.#listeners) l(kind, track);
  }
}
