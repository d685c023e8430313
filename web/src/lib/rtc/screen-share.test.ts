import { describe, expect, it } from 'vitest';
import { describeCaptureError, screenEncodings, sharedScreens, stageScreen, SCREEN_MAX_BITRATE } from './screen-share';

const stream = (id: string) => ({ id }) as MediaStream;

describe('sharedScreens', () => {
  const people = [
    { id: 'a', name: 'Ann', media: { screen: true, screenStreamId: 's-a' } },
    { id: 'b', name: 'Bob', media: { screen: false, screenStreamId: null } },
    { id: 'c', name: 'Cy', media: { screen: true, screenStreamId: 's-c' } },
  ];

  it('finds each announced screen among the participant’s streams, never the camera', () => {
    const streams = new Map([
      ['a', [stream('cam-a'), stream('s-a')]],
      ['b', [stream('cam-b'), stream('old-screen')]],
      ['c', [stream('cam-c'), stream('s-c')]],
    ]);
    expect(sharedScreens(people, streams).map((s) => [s.participantId, s.stream.id])).toEqual([
      ['a', 's-a'],
      ['c', 's-c'],
    ]);
  });

  it('shows nothing until the announced stream arrives, and nothing unannounced', () => {
    const streams = new Map([['a', [stream('cam-a')]]]);
    expect(sharedScreens(people, streams)).toEqual([]);
    expect(sharedScreens([{ id: 'x', name: 'X', media: undefined }], new Map([['x', [stream('s')]]]))).toEqual([]);
  });
});

describe('stageScreen', () => {
  const screens = [
    { participantId: 'a', name: 'Ann', stream: stream('s-a') },
    { participantId: 'c', name: 'Cy', stream: stream('s-c') },
  ];
  it('stages the pinned screen, else the latest share', () => {
    expect(stageScreen(screens, 'a')?.participantId).toBe('a');
    expect(stageScreen(screens, null)?.participantId).toBe('c');
    expect(stageScreen(screens, 'gone')?.participantId).toBe('c');
    expect(stageScreen([], null)).toBeNull();
  });
});

describe('screen caps and errors', () => {
  it('caps screen video by bitrate and frame rate, apart from the camera', () => {
    expect(screenEncodings('video')).toEqual([{ maxBitrate: SCREEN_MAX_BITRATE, maxFramerate: 15 }]);
    expect(screenEncodings('audio')[0]!.maxBitrate).toBeLessThan(200_000);
  });
  it('says nothing when the person cancelled, a sentence otherwise', () => {
    expect(describeCaptureError(new DOMException('x', 'NotAllowedError'))).toBeNull();
    expect(describeCaptureError(new DOMException('x', 'NotReadableError'))).toMatch(/could not be captured/);
  });
});
