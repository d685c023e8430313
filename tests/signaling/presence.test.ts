/** Presence and relay between real graphql-ws clients over real sockets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, eventually, type InProcessServer } from '../support/in-process.js';
import { Participant, createRoom, sendOverHttp } from '../support/participant.js';

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess();
});
afterAll(() => server.close());

describe('two participants', () => {
  it('welcome lists everyone, joins and leaves are seen, signals are relayed with a server-stamped from', async () => {
    const room = await createRoom(server.url, 'Pair Room');
    const ann = await Participant.join(server.wsUrl, room.slug, '  Ann  ');
    expect(ann.welcome.me!.displayName).toBe('Ann');
    expect(ann.welcome.room!.slug).toBe('pair-room');
    expect(ann.welcome.room!.participants).toMatchObject([{ id: ann.id, displayName: 'Ann' }]);
    expect(ann.token.length).toBeGreaterThanOrEqual(22); // 32 random bytes, base64url

    const bob = await Participant.join(server.wsUrl, room.slug);
    expect(bob.welcome.me!.displayName).toMatch(/^Guest \d{4}$/);
    expect(bob.welcome.room!.participants.map((p) => p.id)).toEqual([ann.id, bob.id]);
    expect(await ann.next()).toEqual({ __typename: 'ParticipantJoined', participant: { id: bob.id, displayName: bob.welcome.me!.displayName } });

    // Room.participants answers from live state.
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ room(slug: "pair-room") { participants { id } } }` }),
    });
    expect(((await res.json()) as { data: { room: { participants: { id: string }[] } } }).data.room.participants).toHaveLength(2);

    expect(await bob.send(ann.id, 'OFFER', '{"type":"offer","sdp":"v=0"}')).toEqual({ ok: true });
    expect(await ann.next()).toEqual({ __typename: 'Signal', from: bob.id, kind: 'OFFER', payload: '{"type":"offer","sdp":"v=0"}' });
    // Over HTTP too, as a script would.
    const http = await sendOverHttp(server.url, { token: ann.token, to: bob.id, kind: 'ANSWER', payload: '{"type":"answer"}' });
    expect(http).toEqual({ data: { sendSignal: true } });
    expect(await bob.next()).toEqual({ __typename: 'Signal', from: ann.id, kind: 'ANSWER', payload: '{"type":"answer"}' });

    bob.leave();
    expect(await ann.next()).toEqual({ __typename: 'ParticipantLeft', participant: { id: bob.id, displayName: bob.welcome.me!.displayName } });
    ann.close();
    expect(await eventually(() => server.app.hub.stats().participants === 0)).toBe(true);
  });

  it('1,000 signals in a burst arrive in order, exactly once', async () => {
    const room = await createRoom(server.url, 'Burst');
    const a = await Participant.join(server.wsUrl, room.slug, 'A');
    const b = await Participant.join(server.wsUrl, room.slug, 'B');
    await a.next(); // B joined
    const sends = Array.from({ length: 1000 }, (_, i) => b.send(a.id, 'ICE_CANDIDATE', JSON.stringify({ candidate: `c${i}`, sdpMid: '0' })));
    const results = await Promise.all(sends);
    expect(results.every((r) => r.ok)).toBe(true);
    const got: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const e = await a.next();
      expect(e?.__typename).toBe('Signal');
      got.push(Number(JSON.parse(e!.payload!).candidate.slice(1)));
    }
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(await a.next(300)).toBeNull(); // nothing twice
    a.close();
    b.close();
  });
});

describe('five participants', () => {
  it('everyone sees every join and leave; each signal reaches its recipient only', async () => {
    const room = await createRoom(server.url, 'Five');
    const people: Participant[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await Participant.join(server.wsUrl, room.slug, `P${i}`);
      expect(p.welcome.room!.participants.map((x) => x.displayName)).toEqual(people.map((_, j) => `P${j}`).concat(`P${i}`));
      people.push(p);
    }
    for (const [i, p] of people.entries()) {
      const joined = p.drain().filter((e) => e.__typename === 'ParticipantJoined').map((e) => e.participant!.displayName);
      expect(joined).toEqual(people.slice(i + 1).map((_, j) => `P${i + 1 + j}`));
    }
    // Everyone sends one signal to everyone else.
    for (const from of people) {
      for (const to of people) if (from !== to) expect((await from.send(to.id, 'OFFER', JSON.stringify({ from: from.id, to: to.id }))).ok).toBe(true);
    }
    for (const p of people) {
      const signals: { from: string; to: string }[] = [];
      for (let k = 0; k < 4; k++) {
        const e = await p.next();
        expect(e?.__typename).toBe('Signal');
        const payload = JSON.parse(e!.payload!) as { from: string; to: string };
        expect(payload.from).toBe(e!.from);
        signals.push(payload);
      }
      expect(signals.every((s) => s.to === p.id)).toBe(true);
      expect(new Set(signals.map((s) => s.from)).size).toBe(4);
      expect(await p.next(200)).toBeNull();
    }
    // P2 leaves: the four others see it, once.
    people[2]!.leave();
    for (const [i, p] of people.entries()) {
      if (i === 2) continue;
      expect(await p.next()).toEqual({ __typename: 'ParticipantLeft', participant: { id: people[2]!.id, displayName: 'P2' } });
    }
    for (const p of people) p.close();
    expect(await eventually(() => server.app.hub.stats().participants === 0)).toBe(true);
  });
});
