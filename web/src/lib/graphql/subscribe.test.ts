import type { Sink } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';

const calls: { payload: { query: string; variables?: unknown }; sink: Sink; stop: () => void }[] = [];
const createClient = vi.fn((options: { url: () => string }) => ({
  url: options.url(),
  subscribe(payload: { query: string; variables?: unknown }, sink: Sink) {
    const stop = vi.fn();
    calls.push({ payload, sink, stop });
    return stop;
  },
  dispose: vi.fn(),
}));
vi.mock('graphql-ws', () => ({ createClient }));

const { closeLive, subscribe } = await import('./client');
const { RoomDocument } = await import('./operations');

function sink() {
  return { next: vi.fn(), error: vi.fn(), complete: vi.fn() };
}

afterEach(async () => {
  calls.length = 0;
  await closeLive();
});

describe('subscribe', () => {
  it('shares one lazily created socket at ws://<host>/graphql', () => {
    subscribe(RoomDocument, { slug: 'a' }, sink());
    subscribe(RoomDocument, { slug: 'b' }, sink());
    expect(createClient).toHaveBeenCalledTimes(1);
    expect(createClient.mock.results[0]?.value.url).toBe(`ws://${location.host}/graphql`);
    expect(calls[1]?.payload.variables).toEqual({ slug: 'b' });
  });

  it('delivers data, and ends with a GraphQLRequestError on GraphQL errors', () => {
    const s = sink();
    subscribe(RoomDocument, { slug: 'a' }, s);
    const call = calls[0]!;
    call.sink.next({ data: { room: null } });
    call.sink.next({ errors: [{ message: 'No such room.', extensions: { code: 'ROOM_NOT_FOUND' } }] });
    call.sink.next({ data: { room: null } });
    expect(s.next).toHaveBeenCalledTimes(1);
    expect(s.error).toHaveBeenCalledWith(expect.objectContaining({ code: 'ROOM_NOT_FOUND' }));
    expect(call.stop).toHaveBeenCalled();
  });

  it('maps a lost socket to NETWORK_ERROR and reports nothing after unsubscribing', () => {
    const s = sink();
    subscribe(RoomDocument, { slug: 'a' }, s);
    calls[0]!.sink.error(new Event('close'));
    expect(s.error).toHaveBeenCalledWith(expect.objectContaining({ code: 'NETWORK_ERROR' }));

    const t = sink();
    const unsubscribe = subscribe(RoomDocument, { slug: 'a' }, t);
    unsubscribe();
    calls[1]!.sink.complete();
    expect(calls[1]!.stop).toHaveBeenCalled();
    expect(t.complete).not.toHaveBeenCalled();
  });
});
