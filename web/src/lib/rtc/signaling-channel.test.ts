/**
 * The room channel's reconnection: backoff between attempts, one subscription at a time,
 * resuming with the latest resume token, signals held while the socket is down.
 */
import { DEFAULT_MEDIA } from './media-state';
import { describe, expect, it, vi } from 'vitest';
import { GraphQLRequestError } from '$lib/graphql/errors';
import type { SubscriptionSink } from '$lib/graphql/client';
import { GraphQLRoomChannel, type PresenceHandlers, type RoomTransport } from './signaling-channel';

const member = (id: string) => ({ id, displayName: id.toUpperCase(), joinedAt: '2026-01-01T00:00:00Z', media: { ...DEFAULT_MEDIA } });

interface Sub {
  variables: Record<string, unknown>;
  sink: SubscriptionSink<{ joinRoom: unknown }>;
  stopped: boolean;
}

function setup() {
  const subs: Sub[] = [];
  const mutations: Record<string, unknown>[] = [];
  const timers: { cb: () => void; ms: number; cleared: boolean }[] = [];
  const transport = {
    subscribe: (_doc: unknown, variables: Record<string, unknown>, sink: Sub['sink']) => {
      const sub: Sub = { variables, sink, stopped: false };
      subs.push(sub);
      return () => void (sub.stopped = true);
    },
    mutate: vi.fn(async (_doc: unknown, variables: { input: Record<string, unknown> }) => {
      mutations.push(variables.input);
      if (!('to' in variables.input)) {
        const { token: _token, ...media } = variables.input;
        return { setMediaState: { id: 'm', media } };
      }
      return { sendSignal: true };
    }),
    setTimeout: (cb: () => void, ms: number) => {
      const t = { cb, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimeout: (t: unknown) => void ((t as { cleared: boolean }).cleared = true),
    random: () => 1,
  } as unknown as RoomTransport;
  const handlers: PresenceHandlers = {
    welcome: vi.fn(),
    resumed: vi.fn(),
    joined: vi.fn(),
    left: vi.fn(),
    link: vi.fn(),
    ended: vi.fn(),
    updated: vi.fn(),
  };
  const channel = new GraphQLRoomChannel('room', 'Me', handlers, transport);
  const last = () => subs[subs.length - 1]!;
  const live = () => subs.filter((s) => !s.stopped && !('ended' in s));
  const welcome = (id: string, n: number, resumed = false) =>
    last().sink.next({
      joinRoom: { __typename: 'Welcome', me: member(id), token: `t${n}`, resumeToken: `r${n}`, resumed, room: { id: 'room', participants: [member(id), member('b')] } },
    });
  const drop = (err: GraphQLRequestError | null = GraphQLRequestError.local('NETWORK_ERROR', 'lost')) => {
    const s = last();
    (s as Sub & { ended?: true }).ended = true;
    if (err) s.sink.error(err);
    else s.sink.complete();
  };
  const fire = () => {
    const t = timers.filter((x) => !x.cleared).pop()!;
    t.cleared = true;
    t.cb();
    return t.ms;
  };
  return { channel, handlers, subs, mutations, timers, last, live, welcome, drop, fire };
}

describe('GraphQLRoomChannel reconnection', () => {
  it('resumes with the latest token after a drop and keeps the call', () => {
    const t = setup();
    expect(t.last().variables).toEqual({ slug: 'room', displayName: 'Me', resume: null });
    t.welcome('m', 1);
    expect(t.handlers.welcome).toHaveBeenCalledTimes(1);

    t.drop();
    expect(t.handlers.link).toHaveBeenLastCalledWith('reconnecting');
    expect(t.subs).toHaveLength(1); // nothing until the backoff ran out
    expect(t.fire()).toBe(250);
    expect(t.subs).toHaveLength(2);
    expect(t.last().variables).toMatchObject({ resume: 'r1' });

    t.welcome('m', 2, true);
    expect(t.handlers.resumed).toHaveBeenCalledWith(member('m'), [member('m'), member('b')]);
    expect(t.handlers.welcome).toHaveBeenCalledTimes(1);
    expect(t.handlers.link).toHaveBeenLastCalledWith('connected');

    // The server completing our subscription (shutdown) is a drop too; the token moved on.
    t.drop(null);
    expect(t.fire()).toBe(250); // the attempt count started over after the Welcome
    expect(t.last().variables).toMatchObject({ resume: 'r2' });
    expect(t.handlers.ended).not.toHaveBeenCalled();
  });

  it('backs off 250 ms, 500 ms, 1 s, 2 s, 4 s, 4 s …, one subscription at a time', () => {
    const t = setup();
    t.welcome('m', 1);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      t.drop();
      expect(t.live()).toHaveLength(0);
      waits.push(t.fire());
      expect(t.live()).toHaveLength(1);
    }
    expect(waits).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    // A late event from an old subscription changes nothing.
    t.subs[0]!.sink.next({ joinRoom: { __typename: 'ParticipantLeft', participant: member('b') } });
    expect(t.handlers.left).not.toHaveBeenCalled();
  });

  it('waits at least retryAfterMs when rate limited', () => {
    const t = setup();
    t.welcome('m', 1);
    t.drop(new GraphQLRequestError([{ message: 'slow down', extensions: { code: 'RATE_LIMITED', retryAfterMs: 3000 } }]));
    expect(t.fire()).toBe(3000);
  });

  it('holds signals while down and sends them with the new token after a resume', async () => {
    const t = setup();
    t.welcome('m', 1);
    await t.channel.send('b', 'OFFER', { sdp: 1 });
    t.drop();
    const held = t.channel.send('b', 'ICE_CANDIDATE', { c: 1 });
    expect(t.mutations).toHaveLength(1);
    t.fire();
    t.welcome('m', 2, true);
    await held;
    expect(t.mutations).toEqual([
      { token: 't1', to: 'b', kind: 'OFFER', payload: '{"sdp":1}' },
      { token: 't2', to: 'b', kind: 'ICE_CANDIDATE', payload: '{"c":1}' },
    ]);
  });

  it('a resume that came too late is a fresh join: new id, held signals dropped', async () => {
    const t = setup();
    t.welcome('m', 1);
    t.drop();
    const held = t.channel.send('b', 'OFFER', {});
    t.fire();
    t.welcome('n', 2, false);
    await held;
    expect(t.handlers.welcome).toHaveBeenLastCalledWith(member('n'), [member('n'), member('b')]);
    expect(t.handlers.resumed).not.toHaveBeenCalled();
    expect(t.mutations).toEqual([]);
  });

  it('ends for good on a failed first join, on a final error, and stops retrying on leave', () => {
    const first = setup();
    first.drop();
    expect(first.handlers.ended).toHaveBeenCalledWith(expect.objectContaining({ code: 'NETWORK_ERROR' }));
    expect(first.timers).toHaveLength(0);

    const gone = setup();
    gone.welcome('m', 1);
    gone.drop();
    gone.fire();
    gone.drop(new GraphQLRequestError([{ message: 'No such room.', extensions: { code: 'ROOM_NOT_FOUND' } }]));
    expect(gone.handlers.ended).toHaveBeenCalledWith(expect.objectContaining({ code: 'ROOM_NOT_FOUND' }));

    const leaving = setup();
    leaving.welcome('m', 1);
    leaving.drop();
    leaving.channel.leave();
    expect(leaving.timers.every((x) => x.cleared)).toBe(true);
    expect(leaving.subs).toHaveLength(1);
    expect(leaving.handlers.ended).not.toHaveBeenCalled();
  });

  it('leaving ends the live subscription (the server sees a deliberate leave)', () => {
    const t = setup();
    t.welcome('m', 1);
    t.channel.leave();
    expect(t.subs[0]!.stopped).toBe(true);
  });
});

describe('GraphQLRoomChannel media state', () => {
  it('announces our state after Welcome with the token, passes ParticipantUpdated on, re-announces after a new Welcome', async () => {
    const t = setup();
    t.channel.setMedia({ audio: false });
    expect(t.mutations).toEqual([]); // no token yet
    t.welcome('m', 1);
    expect(t.mutations).toEqual([{ token: 't1', ...DEFAULT_MEDIA, audio: false }]);
    await vi.waitFor(() => expect(t.mutations).toHaveLength(1));

    const bob = { ...member('b'), media: { ...DEFAULT_MEDIA, video: false } };
    t.last().sink.next({ joinRoom: { __typename: 'ParticipantUpdated', participant: bob } });
    expect(t.handlers.updated).toHaveBeenCalledWith(bob);

    // A resume that came too late (a fresh Welcome: the server thinks we are unmuted).
    t.drop();
    t.fire();
    t.welcome('m2', 2);
    await vi.waitFor(() => expect(t.mutations.at(-1)).toEqual({ token: 't2', ...DEFAULT_MEDIA, audio: false }));
  });
});
