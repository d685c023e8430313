import { describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA, MAX_STREAM_ID, mediaOf, mediaPatchProblem, mergeMedia } from './media.js';

describe('media state', () => {
  it('starts with audio and video on, screen off', () => {
    expect(DEFAULT_MEDIA).toEqual({ audio: true, video: true, screen: false, screenStreamId: null });
    expect(mediaOf(undefined)).toEqual(DEFAULT_MEDIA);
    expect(mediaOf({ audio: false })).toEqual({ ...DEFAULT_MEDIA, audio: false });
  });

  it('absent and null fields keep their value, present ones replace it', () => {
    const muted = mergeMedia(DEFAULT_MEDIA, { audio: false });
    expect(muted).toEqual({ audio: false, video: true, screen: false, screenStreamId: null });
    expect(mergeMedia(muted, { video: false, audio: null })).toEqual({ audio: false, video: false, screen: false, screenStreamId: null });
    expect(mergeMedia(muted, {})).toEqual(muted);
    expect(mergeMedia(muted, {})).not.toBe(muted);
  });

  it('a screen share carries its stream id; stopping it clears the id', () => {
    const sharing = mergeMedia(DEFAULT_MEDIA, { screen: true, screenStreamId: '{abc}' });
    expect(sharing).toMatchObject({ screen: true, screenStreamId: '{abc}' });
    expect(mergeMedia(sharing, { audio: false })).toMatchObject({ screen: true, screenStreamId: '{abc}' });
    expect(mergeMedia(sharing, { screen: false })).toMatchObject({ screen: false, screenStreamId: null });
    expect(mergeMedia(DEFAULT_MEDIA, { screenStreamId: 'x' }).screenStreamId).toBeNull(); // not sharing
  });

  it('refuses empty or overlong stream ids with BAD_USER_INPUT on the field', () => {
    expect(mediaPatchProblem({ audio: true })).toBeNull();
    expect(mediaPatchProblem({ screenStreamId: 'x'.repeat(MAX_STREAM_ID) })).toBeNull();
    for (const bad of ['', 'x'.repeat(MAX_STREAM_ID + 1)]) {
      expect(mediaPatchProblem({ screenStreamId: bad })?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'screenStreamId' });
    }
  });
});
