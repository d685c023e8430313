import { describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA, MediaStatePublisher, type MediaState } from './media-state';

function server() {
  const sent: MediaState[] = [];
  const pending: { resolve: (s: MediaState) => void; reject: (e: unknown) => void; state: MediaState }[] = [];
  const send = (state: MediaState) =>
    new Promise<MediaState>((resolve, reject) => {
      sent.push(state);
      pending.push({ resolve, reject, state });
    });
  const answer = async () => {
    const p = pending.shift()!;
    p.resolve(p.state);
    await Promise.resolve();
    await Promise.resolve();
  };
  return { sent, pending, send, answer };
}

describe('MediaStatePublisher', () => {
  it('sends nothing before Welcome, then only what differs from the server', async () => {
    const s = server();
    const pub = new MediaStatePublisher(s.send, { ...DEFAULT_MEDIA, video: false });
    pub.set({ audio: false });
    expect(s.sent).toEqual([]);
    pub.welcomed(DEFAULT_MEDIA);
    expect(s.sent).toEqual([{ ...DEFAULT_MEDIA, audio: false, video: false }]);
    await s.answer();
    pub.set({ audio: false });
    expect(s.sent).toHaveLength(1);
  });

  it('rapid toggles: one request in flight, then the last wanted state', async () => {
    const s = server();
    const pub = new MediaStatePublisher(s.send);
    pub.welcomed(DEFAULT_MEDIA);
    pub.set({ audio: false });
    pub.set({ audio: true });
    pub.set({ audio: false });
    pub.set({ video: false });
    expect(s.sent).toHaveLength(1);
    await s.answer();
    expect(s.sent).toHaveLength(2);
    expect(s.sent[1]).toEqual({ ...DEFAULT_MEDIA, audio: false, video: false });
    await s.answer();
    // Back to what the server holds: nothing more.
    pub.set({ audio: true });
    pub.set({ audio: false });
    expect(s.sent).toHaveLength(3); // audio true went out; false follows after it
    await s.answer();
    expect(s.sent.at(-1)).toEqual({ ...DEFAULT_MEDIA, audio: false, video: false });
  });

  it('a failed send waits for the next Welcome, which re-announces', async () => {
    const s = server();
    const errors: unknown[] = [];
    const pub = new MediaStatePublisher(s.send, DEFAULT_MEDIA, (e) => errors.push(e));
    pub.welcomed(DEFAULT_MEDIA);
    pub.set({ video: false });
    s.pending.shift()!.reject(new Error('socket closed'));
    await Promise.resolve();
    await Promise.resolve();
    expect(errors).toHaveLength(1);
    pub.set({ audio: false });
    expect(s.sent).toHaveLength(1);
    pub.welcomed(DEFAULT_MEDIA); // a resume on a restarted server: it knows nothing
    expect(s.sent[1]).toEqual({ ...DEFAULT_MEDIA, audio: false, video: false });
  });

  it('stopping a screen share clears its stream id', () => {
    const pub = new MediaStatePublisher(server().send);
    pub.set({ screen: true, screenStreamId: 'abc' });
    expect(pub.wanted.screenStreamId).toBe('abc');
    pub.set({ screen: false });
    expect(pub.wanted).toEqual(DEFAULT_MEDIA);
  });

  it('a reply to a request sent before a new Welcome does not hide what that Welcome says', async () => {
    const s = server();
    const pub = new MediaStatePublisher(s.send);
    pub.welcomed(DEFAULT_MEDIA);
    pub.set({ video: false });
    pub.welcomed(DEFAULT_MEDIA); // a fresh participant: the server knows nothing of it
    await s.answer(); // the old socket's reply comes late
    expect(s.sent).toHaveLength(2);
    expect(s.sent[1]).toEqual({ ...DEFAULT_MEDIA, video: false });
  });
});
