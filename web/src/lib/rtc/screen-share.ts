/**
 * Screen sharing: capturing a screen (getDisplayMedia, with the tab's audio when the
 * browser offers it), the screen's own send caps (screens want resolution, cameras frame
 * rate), and telling a shared screen from a camera on the receiving side by the
 * MediaStream id its sharer announces in the media state (`screenStreamId`), which
 * works for late joiners and after a reconnect. Peers put the tracks on transceivers of
 * their own (peer.ts setScreen); the mesh hands the stream to every Peer.
 */

/** What we ask the browser for: a readable screen at a modest frame rate, plus tab audio. */
export const SCREEN_CONSTRAINTS: DisplayMediaStreamOptions = {
  video: { width: { max: 1920 }, height: { max: 1080 }, frameRate: { ideal: 15, max: 15 } },
  audio: true,
};

/** Per link: a screen gets more bits than a camera, at a lower frame rate. */
export const SCREEN_MAX_BITRATE = 1_500_000;
export const SCREEN_MAX_FRAMERATE = 15;
/** Tab audio: speech or music, at most this much per link. */
export const SCREEN_AUDIO_MAX_BITRATE = 96_000;

/** The encodings a screen track is sent with (peer.ts addTransceiver's sendEncodings). */
export function screenEncodings(kind: string): RTCRtpEncodingParameters[] {
  return kind === 'video'
    ? [{ maxBitrate: SCREEN_MAX_BITRATE, maxFramerate: SCREEN_MAX_FRAMERATE }]
    : [{ maxBitrate: SCREEN_AUDIO_MAX_BITRATE }];
}

/**
 * Asks the person to pick a screen, window or tab. Resolves to the stream (video, and
 * audio when offered) with `contentHint = 'detail'`, so the encoder keeps text sharp and
 * drops frames rather than resolution. Rejects when the person cancels.
 */
export async function captureScreen(devices: MediaDevices = navigator.mediaDevices): Promise<MediaStream> {
  if (!devices?.getDisplayMedia) throw new Error('This browser cannot share a screen.');
  const stream = await devices.getDisplayMedia(SCREEN_CONSTRAINTS);
  for (const track of stream.getVideoTracks()) track.contentHint = 'detail';
  return stream;
}

/** A sentence for a failed capture, or null when the person simply cancelled. */
export function describeCaptureError(err: unknown): string | null {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'AbortError') return null;
  if (name === 'NotFoundError') return 'There is no screen to share.';
  if (name === 'NotReadableError') return 'The screen could not be captured (another app may be holding it).';
  return err instanceof Error && err.message ? err.message : 'The screen could not be shared.';
}

/** One shared screen as the call page shows it. */
export interface SharedScreen {
  participantId: string;
  name: string;
  stream: MediaStream;
}

/** What a participant announces; a subset of the media state. */
export interface ScreenAnnouncement {
  screen: boolean;
  screenStreamId: string | null;
}

/**
 * Which remote streams are shared screens: a participant's stream counts only while they
 * announce `screen` with that stream's id. Pure; in join order of `people`.
 */
export function sharedScreens(
  people: readonly { id: string; name: string; media: ScreenAnnouncement | undefined }[],
  streams: ReadonlyMap<string, readonly MediaStream[]>,
): SharedScreen[] {
  const out: SharedScreen[] = [];
  for (const p of people) {
    const id = p.media?.screen ? p.media.screenStreamId : null;
    if (!id) continue;
    const stream = streams.get(p.id)?.find((s) => s.id === id);
    if (stream) out.push({ participantId: p.id, name: p.name, stream });
  }
  return out;
}

/**
 * Which screen takes the stage: the pinned one while it is shared, else the most recent
 * share (the last in `screens`), else none.
 */
export function stageScreen(screens: readonly SharedScreen[], pinned: string | null): SharedScreen | null {
  return screens.find((s) => s.participantId === pinned) ?? screens.at(-1) ?? null;
}
