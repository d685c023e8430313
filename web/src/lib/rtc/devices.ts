/**
 * Cameras, microphones and speakers: the lists the Settings panel shows (from
 * enumerateDevices), the choice remembered in localStorage, and which device to use when
 * the remembered one is gone. Pure but for listDevices/watchDevices. The page's
 * DeviceSettings state (routes/room/[slug]/devices.svelte.ts) drives it.
 */

export type DeviceKind = 'camera' | 'microphone' | 'speaker';

export interface DeviceOption {
  id: string;
  label: string;
}

export type DeviceLists = Record<DeviceKind, DeviceOption[]>;
export type DeviceChoice = Record<DeviceKind, string | null>;

export const STORAGE_KEY = 'parley.devices';
const KIND_OF: Record<MediaDeviceKind, DeviceKind> = { videoinput: 'camera', audioinput: 'microphone', audiooutput: 'speaker' };
const NOUN: Record<DeviceKind, string> = { camera: 'Camera', microphone: 'Microphone', speaker: 'Speaker' };

/** Groups enumerateDevices() output; unlabelled devices (no permission yet) get numbered names. */
export function groupDevices(devices: readonly Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>[]): DeviceLists {
  const lists: DeviceLists = { camera: [], microphone: [], speaker: [] };
  for (const d of devices) {
    const kind = KIND_OF[d.kind];
    if (!kind || !d.deviceId) continue;
    // Chrome lists the default output/input twice ("default" and the device itself).
    if (d.deviceId === 'communications') continue;
    const list = lists[kind];
    if (list.some((o) => o.id === d.deviceId)) continue;
    list.push({ id: d.deviceId, label: d.label || `${NOUN[kind]} ${list.length + 1}` });
  }
  return lists;
}

/**
 * The device to use: the chosen one if it is still there, else the first (the system
 * default). `fellBack` is true when a chosen device has gone.
 */
export function resolveChoice(options: readonly DeviceOption[], chosen: string | null): { id: string | null; fellBack: boolean } {
  if (chosen && options.some((o) => o.id === chosen)) return { id: chosen, fellBack: false };
  return { id: options[0]?.id ?? null, fellBack: chosen !== null && options.length > 0 };
}

export function loadChoice(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): DeviceChoice {
  const empty: DeviceChoice = { camera: null, microphone: null, speaker: null };
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return empty;
    const parsed = JSON.parse(raw) as Partial<DeviceChoice>;
    const pick = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length < 512 ? v : null);
    return { camera: pick(parsed.camera), microphone: pick(parsed.microphone), speaker: pick(parsed.speaker) };
  } catch {
    return empty; // a broken entry (or storage refused): start from the defaults
  }
}

export function saveChoice(choice: DeviceChoice, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // Private mode or full storage: the choice lasts for this page only.
  }
}

/** getUserMedia constraints for one device: `exact` when switching on purpose, `ideal` when re-applying a remembered one. */
export function deviceConstraint(base: MediaTrackConstraints | boolean, id: string | null, exact: boolean): MediaTrackConstraints | boolean {
  if (!id) return base;
  return { ...(typeof base === 'object' ? base : {}), deviceId: exact ? { exact: id } : { ideal: id } };
}

/** Whether this browser can send sound to a chosen output (HTMLMediaElement.setSinkId). */
export function canChooseSpeaker(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

export async function listDevices(): Promise<DeviceLists> {
  const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
  if (!md?.enumerateDevices) return { camera: [], microphone: [], speaker: [] };
  return groupDevices(await md.enumerateDevices());
}

/** Calls `cb` when devices come or go; returns the unsubscribe function. */
export function watchDevices(cb: () => void): () => void {
  const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
  md?.addEventListener?.('devicechange', cb);
  return () => md?.removeEventListener?.('devicechange', cb);
}
