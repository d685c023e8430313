/**
 * Single-use resume tokens in the in-process hub: a resume rotates both tokens, a spent,
 * expired or forged token never brings the participant back, two holders of one token
 * end up as two participants instead of taking the identity from each other forever,
 * and after a restart only tokens of the run that just ended are honoured, for a while.
 */
import { describe, expect, it } from 'vitest';
import { SignalingHub, type HubOptions, type Member } from './hub.js';
import type { RoomView } from '../rooms/model.js';
import type { RoomEvent } from './types.js';

const secret = Buffer.alloc(32, 7);
const room = (id = 'r1'): RoomView => ({ id, slug: id, title: id, createdAt: new Date(0) });
const lost = { lost: () => true };
const gone = { lost: () => false };

async function drain(member: Member): Promise<RoomEvent[]> {
  const out: RoomEvent[] = [];
  while (member.events.size) out.push((await member.events.next()).value as RoomEvent);
  return out;
}

function code(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'no error';
}

function hubAt(clock: { now: number }, o: Partial<HubOptions> = {}): SignalingHub {
  return new SignalingHub({ secret, maxParticipants: 8, resumeGraceMs: 60_000, now: () => clock.now, ...o });
}

describe('a resume token works once', () => {
  it('a resume returns a new resumeToken and a new signal token; the old signal token is UNAUTHENTICATED', async () => {
    const hub = hubAt({ now: 1_000 });
    const a = hub.join(room(), 'A', lost);
    const b = hub.join(room(), 'B');
    await drain(b);
    const { token: oldToken, resumeToken: oldResume } = a;
    await a.events.return(); // connection lost
    const back = hub.resume(room(), oldResume, null, lost);
    const [welcome] = await drain(back);
    expect(welcome).toMatchObject({ __typename: 'Welcome', resumed: true, me: { id: a.participant.id } });
    const w = welcome as Extract<RoomEvent, { __typename: 'Welcome' }>;
    expect(w.token).not.toBe(oldToken);
    expect(w.resumeToken).not.toBe(oldResume);
    expect(code(() => hub.send(oldToken, b.participant.id, 'OFFER', '{}'))).toBe('UNAUTHENTICATED');
    expect(code(() => hub.send(w.token, b.participant.id, 'OFFER', '{}'))).toBe('no error');
    expect((await drain(b)).map((e) => e.__typename)).toEqual(['Signal']);
  });

  it('the spent resume token never brings that participant back: it joins afresh under a new id', async () => {
    const hub = hubAt({ now: 1_000 });
    const a = hub.join(room(), 'A', lost);
    const spent = a.resumeToken;
    await a.events.return();
    const back = hub.resume(room(), spent, null, lost);
    await drain(back);
    const again = hub.resume(room(), spent, null, lost);
    expect(again.participant.id).not.toBe(a.participant.id);
    expect((await drain(again))[0]).toMatchObject({ __typename: 'Welcome', resumed: false });
    expect(back.events.closed).toBe(false); // the rightful holder keeps its stream
    // And after the participant is gone, the spent token still does not bring it back.
    await back.events.return();
    const later = hub.resume(room(), spent, null, lost);
    expect(later.participant.id).not.toBe(a.participant.id);
  });

  it('two holders of one token: the first gets the participant, the second a new identity, and neither loses its stream again', async () => {
    const hub = hubAt({ now: 1_000 });
    const a = hub.join(room(), 'A', lost);
    const shared = a.resumeToken;
    const first = hub.resume(room(), shared, null, lost);
    expect(first.participant.id).toBe(a.participant.id);
    const firstBox = first.events;
    const second = hub.resume(room(), shared, null, lost);
    expect(second.participant.id).not.toBe(a.participant.id);
    expect(firstBox.closed).toBe(false);
    // The second holder comes back with the same token again (as a client that saw `complete` would): still not the participant.
    const third = hub.resume(room(), shared, null, lost);
    expect(third.participant.id).not.toBe(a.participant.id);
    expect(firstBox.closed).toBe(false);
    expect(hub.participants('r1').map((p) => p.id)).toEqual([a.participant.id, second.participant.id, third.participant.id]);
  });

  it('a participant who left on purpose cannot be resumed', async () => {
    const hub = hubAt({ now: 1_000 });
    const a = hub.join(room(), 'A', gone);
    await a.events.return(); // closed on purpose
    const again = hub.resume(room(), a.resumeToken, null);
    expect(again.participant.id).not.toBe(a.participant.id);
  });

  it('an expired token does not resume, even while its participant is away', async () => {
    const clock = { now: 1_000 };
    const hub = hubAt(clock, { resumeTokenTtlMs: 60_000 });
    const a = hub.join(room(), 'A', lost);
    await a.events.return();
    clock.now += 60_001;
    const again = hub.resume(room(), a.resumeToken, null, lost);
    expect(again.participant.id).not.toBe(a.participant.id);
  });

  it('a forged token (signed with another key) with the right claims does not resume', async () => {
    const hub = hubAt({ now: 1_000 });
    const a = hub.join(room(), 'A', lost);
    const forger = new SignalingHub({ secret: Buffer.alloc(32, 9), maxParticipants: 8, now: () => 1_000 });
    const forged = forger.join(room(), 'A');
    // Same shape and room; only the key differs (a real forger would also guess ids).
    const [, sig] = forged.resumeToken.split('.');
    const [body] = a.resumeToken.split('.');
    expect(hub.resume(room(), `${body}.${sig}`, null).participant.id).not.toBe(a.participant.id);
  });

  it('after a restart only tokens issued by the run that just ended are honoured, within the window', async () => {
    const clock = { now: 1_000_000 };
    const runs: number[] = [];
    const boot = () => {
      const previousBootAt = runs.at(-1) ?? null;
      runs.push(clock.now);
      return hubAt(clock, { resumeAfterBootMs: 60_000, previousBootAt });
    };
    const first = boot();
    const old = first.join(room(), 'Old');
    clock.now += 10_000;
    const second = boot(); // restart 1: Old never comes back during it
    const recent = second.join(room(), 'Recent');
    clock.now += 10_000;
    const third = boot(); // restart 2
    clock.now += 1_000;
    const back = third.resume(room(), recent.resumeToken, null);
    expect(back.participant.id).toBe(recent.participant.id);
    // A token from two runs ago is not within the restart window.
    expect(third.resume(room(), old.resumeToken, null).participant.id).not.toBe(old.participant.id);
    // The re-admitted participant's token is spent there too.
    expect(third.resume(room(), recent.resumeToken, null).participant.id).not.toBe(recent.participant.id);
    // Past the window, not even the last run's tokens.
    const late = third.join(room('r2'), 'Late');
    clock.now += 1_000;
    const fourth = boot();
    clock.now += 60_001;
    expect(fourth.resume(room('r2'), late.resumeToken, null).participant.id).not.toBe(late.participant.id);
  });
});
