/**
 * The Settings panel's state: the Camera / Microphone / Speaker lists (enumerateDevices,
 * kept current on devicechange), the choice (remembered in localStorage and re-applied),
 * switching through LocalMediaState (replaceTrack in a call), and a notice when a device
 * cannot open or disappears and we fall back to the default. Components read it.
 */
import {
  canChooseSpeaker,
  listDevices,
  loadChoice,
  resolveChoice,
  saveChoice,
  watchDevices,
  type DeviceChoice,
  type DeviceKind,
  type DeviceLists,
} from '$lib/rtc/devices';
import type { TrackKind } from '$lib/rtc/local-tracks';
import type { LocalMediaState } from './local-media.svelte';

const TRACK: Record<Exclude<DeviceKind, 'speaker'>, TrackKind> = { camera: 'video', microphone: 'audio' };
const NOUN: Record<DeviceKind, string> = { camera: 'camera', microphone: 'microphone', speaker: 'speaker' };

export class DeviceSettings {
  #lists = $state.raw<DeviceLists>({ camera: [], microphone: [], speaker: [] });
  #choice = $state.raw<DeviceChoice>(loadChoice());
  #notice = $state<string | null>(null);
  /** Switches run one at a time, in the order asked: the last choice wins. */
  #queue: Promise<void> = Promise.resolve();
  readonly speakerSupported = canChooseSpeaker();

  constructor(private readonly media: LocalMediaState) {
    media.ondevicelost = (kind) => void this.#fallBack(kind === 'video' ? 'camera' : 'microphone');
  }

  get lists(): DeviceLists {
    return this.#lists;
  }
  get notice(): string | null {
    return this.#notice;
  }
  /** The output for remote sound (null: the default). */
  get speaker(): string | null {
    return this.speakerSupported ? this.#choice.speaker : null;
  }

  /** What a select shows: the device in use, else the choice, else the default. */
  selected(kind: DeviceKind): string {
    if (kind !== 'speaker') {
      const inUse = this.media.deviceInUse(TRACK[kind]);
      if (inUse && this.#lists[kind].some((o) => o.id === inUse)) return inUse;
    }
    return resolveChoice(this.#lists[kind], this.#choice[kind]).id ?? '';
  }

  /** Lists devices now and whenever they change; returns the stop function. */
  watch(): () => void {
    void this.refresh();
    return watchDevices(() => void this.refresh());
  }

  async refresh(): Promise<void> {
    this.#lists = await listDevices();
    // A device in use that is no longer listed has gone: fall back to the default.
    for (const kind of ['camera', 'microphone'] as const) {
      const inUse = this.media.deviceInUse(TRACK[kind]);
      if (inUse && this.#lists[kind].length > 0 && !this.#lists[kind].some((o) => o.id === inUse)) await this.#fallBack(kind);
    }
  }

  /** The person picked a device: switch to it (keeping the current one if it fails) and remember it. */
  choose(kind: DeviceKind, id: string): Promise<void> {
    this.#queue = this.#queue.then(() => this.#switch(kind, id));
    return this.#queue;
  }

  async #switch(kind: DeviceKind, id: string): Promise<void> {
    this.#notice = null;
    if (kind !== 'speaker') {
      try {
        await this.media.useDevice(TRACK[kind], id);
      } catch (err) {
        this.#notice = `Could not switch ${NOUN[kind]}: ${reason(err)} Still using the previous one.`;
        return;
      }
    }
    this.#choice = { ...this.#choice, [kind]: id };
    saveChoice(this.#choice);
  }

  async #fallBack(kind: 'camera' | 'microphone'): Promise<void> {
    this.#lists = await listDevices();
    const fallback = this.#lists[kind][0]?.id ?? null;
    try {
      await this.media.useDevice(TRACK[kind], fallback, false);
      this.#notice = `Your ${NOUN[kind]} was disconnected; now using ${this.#lists[kind][0]?.label ?? 'the default one'}.`;
    } catch (err) {
      this.#notice = `Your ${NOUN[kind]} was disconnected and no other could be opened: ${reason(err)}`;
    }
  }
}

function reason(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError') return 'access is blocked.';
  if (name === 'NotReadableError') return 'it is in use by another app.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'it is not connected.';
  return 'it could not be started.';
}
