/**
 * The local camera and microphone, with fallbacks: camera and microphone, else the
 * microphone alone, else listen only. Whatever worked comes back with a sentence the page
 * can show as is. Called by the room page before joining (the preview) and by the mesh's
 * owner; knows nothing about peers.
 */

import { deviceConstraint } from './devices';

export type MediaMode = 'camera-and-mic' | 'mic-only' | 'listen-only';

export interface LocalMedia {
  /** Always a stream, possibly without tracks (listen only). */
  stream: MediaStream;
  mode: MediaMode;
  /** Why we fell back; null when everything worked. Worded by describeMedia(). */
  problem: MediaProblem | null;
}

/** At most 640x480: a mesh sends one copy per participant. */
export const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640, max: 640 },
  height: { ideal: 480, max: 480 },
  frameRate: { ideal: 24, max: 30 },
};

export type MediaProblem = 'blocked' | 'missing' | 'busy' | 'unavailable';

function problemOf(err: unknown): MediaProblem {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'blocked';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'missing';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'unavailable';
}

const CAMERA: Record<MediaProblem, string> = {
  blocked: 'Your camera is blocked',
  missing: 'No camera was found',
  busy: 'Your camera is in use by another app',
  unavailable: 'Your camera could not be started',
};

const BOTH: Record<MediaProblem, string> = {
  blocked: 'Your camera and microphone are blocked',
  missing: 'No camera or microphone was found',
  busy: 'Your camera and microphone are in use by another app',
  unavailable: 'This browser cannot use a camera or microphone here',
};

const FIX: Record<MediaProblem, string> = {
  blocked: ' To change that, allow access in the site settings (left of the address) and rejoin.',
  missing: '',
  busy: ' Close the other app and rejoin.',
  unavailable: '',
};

/**
 * The sentence for the page, or null when nothing fell back; `joined` words it for the
 * call rather than the preview ("you joined" / "you will join").
 */
export function describeMedia({ mode, problem }: Pick<LocalMedia, 'mode' | 'problem'>, joined: boolean): string | null {
  if (!problem || mode === 'camera-and-mic') return null;
  if (mode === 'mic-only') {
    return `${CAMERA[problem]}; ${joined ? 'you joined' : 'you will join'} with audio only.${FIX[problem]}`;
  }
  return `${BOTH[problem]}; ${joined ? 'you joined' : 'you will join'} to listen only.${FIX[problem]}`;
}

/**
 * Asks for camera and microphone, falling back as described above. Never rejects. On a
 * page without mediaDevices (plain http off localhost) it is listen only.
 */
export async function acquireMedia(choice: { camera?: string | null; microphone?: string | null } = {}): Promise<LocalMedia> {
  const devices = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
  if (!devices?.getUserMedia) {
    return { stream: new MediaStream(), mode: 'listen-only', problem: 'unavailable' };
  }
  const cam = choice.camera ?? null;
  const mic = choice.microphone ?? null;
  // The remembered devices exactly (an `ideal` id loses to a better resolution match);
  // one that is gone falls back to the default.
  const ask = async (video: boolean): Promise<MediaStream> => {
    const exact = { audio: deviceConstraint(true, mic, true), video: video ? deviceConstraint(VIDEO_CONSTRAINTS, cam, true) : false };
    if (!cam && !mic) return devices.getUserMedia(exact);
    try {
      return await devices.getUserMedia(exact);
    } catch (err) {
      const name = (err as Error).name;
      if (name !== 'OverconstrainedError' && name !== 'NotFoundError') throw err;
      return devices.getUserMedia({ audio: true, video: video ? VIDEO_CONSTRAINTS : false });
    }
  };
  let first: MediaProblem;
  try {
    return { stream: await ask(true), mode: 'camera-and-mic', problem: null };
  } catch (err) {
    first = problemOf(err);
  }
  try {
    return { stream: await ask(false), mode: 'mic-only', problem: first };
  } catch (err) {
    return { stream: new MediaStream(), mode: 'listen-only', problem: problemOf(err) };
  }
}

/** Ends every track of a stream (the camera light goes off). */
export function stopMedia(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
