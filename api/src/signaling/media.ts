/**
 * Media state: what a participant says it is sending (microphone, camera, screen). Pure;
 * both hubs (./hub.ts and ../cluster) call mergeMedia for setMediaState. A participant
 * starts with DEFAULT_MEDIA until it says otherwise.
 */
import { badInput } from '../rooms/errors.js';

export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
  /** The MediaStream id of the shared screen; null when not sharing. */
  screenStreamId: string | null;
}

/** A setMediaState input without its token: absent (undefined or null) fields keep their value. */
export interface MediaPatch {
  audio?: boolean | null;
  video?: boolean | null;
  screen?: boolean | null;
  screenStreamId?: string | null;
}

export const DEFAULT_MEDIA: Readonly<MediaState> = Object.freeze({ audio: true, video: true, screen: false, screenStreamId: null });

/** A screenStreamId's largest length: MediaStream ids are UUIDs (36, or 38 with Firefox's braces). */
export const MAX_STREAM_ID = 128;

/** What is wrong with a patch on its own, or null. */
export function mediaPatchProblem(patch: MediaPatch) {
  const id = patch.screenStreamId;
  if (id != null && (id.length === 0 || id.length > MAX_STREAM_ID)) {
    return badInput('screenStreamId', `A screenStreamId is 1 to ${MAX_STREAM_ID} characters.`);
  }
  return null;
}

/**
 * The state after applying a patch to `current` (a new object; `current` is untouched).
 * Stopping a screen share clears its stream id.
 */
export function mergeMedia(current: MediaState, patch: MediaPatch): MediaState {
  const next: MediaState = {
    audio: patch.audio ?? current.audio,
    video: patch.video ?? current.video,
    screen: patch.screen ?? current.screen,
    screenStreamId: patch.screenStreamId !== undefined && patch.screenStreamId !== null ? patch.screenStreamId : current.screenStreamId,
  };
  if (!next.screen) next.screenStreamId = null;
  return next;
}

/** A media state as read from storage (may be missing or partial): always a full state. */
export function mediaOf(value: Partial<MediaState> | null | undefined): MediaState {
  return mergeMedia(DEFAULT_MEDIA, value ?? {});
}
