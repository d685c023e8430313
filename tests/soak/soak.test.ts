/**
 * Soak: many rooms of 4 signaling-only participants exchanging signals while people
 * leave and join. Every acknowledged signal is delivered once, in order per pair, to
 * whoever stays to read it; afterwards nobody is left behind and memory is flat.
 *
 * Quick form (CI): SOAK_ROOMS=10, SOAK_SECONDS=10. Full form (the issue's):
 *   cd tests && SOAK_ROOMS=100 SOAK_SECONDS=60 SOAK_RATE=2 npx vitest run soak/
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startInProcess, eventually, heapByKind, settledHeap, type InProcessServer } from '../support/in-process.js';
import { Participant, createRoom } from '../support/participant.js';

const ROOMS = Number(process.env.SOAK_ROOMS ?? 10);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 10);
/** Signals per second per participant. */
const RATE = Number(process.env.SOAK_RATE ?? 4);
const PER_ROOM = 4;

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess({
    maxParticipants: PER_ROOM + 2,
    rateLimits: { createRoomPerMinute: 1_000_000, joinPerMinute: 1_000_000, signalsPerSecond: 1_000 },
  });
});
afterAll(() => server.close());

interface Seat {
  p: Participant;
  slug: string;
  /** acked[to] = seqs the server accepted for `to`, in order. */
  acked: Map<string, number[]>;
  /** attempts[to] = how many signals were sent to `to` (accepted or not: each has its own seq). */
  attempts: Map<string, number>;
  /** received[from] = seqs read from `from`, in order. */
  received: Map<string, number[]>;
  left: boolean;
}

it(`${ROOMS} rooms x ${PER_ROOM} for ${SECONDS} s with churn lose nothing`, async () => {
  const seats: Seat[] = [];
  const rooms = await Promise.all(Array.from({ length: ROOMS }, (_, i) => createRoom(server.url, `Soak ${i}`)));
  const sit = async (slug: string) => {
    const seat: Seat = { p: await Participant.join(server.wsUrl, slug), slug, acked: new Map(), attempts: new Map(), received: new Map(), left: false };
    seats.push(seat);
    return seat;
  };
  // Warm up (query caches, lazily built code paths), then measure the heap with nobody in.
  const w1 = await Participant.join(server.wsUrl, rooms[0]!.slug);
  const w2 = await Participant.join(server.wsUrl, rooms[0]!.slug);
  for (let i = 0; i < 50; i++) await Promise.all([w1.send(w2.id, 'ICE_CANDIDATE', '{}'), w2.send(w1.id, 'ICE_CANDIDATE', '{}')]);
  w1.close();
  w2.close();
  await eventually(() => server.app.hub.stats().participants === 0, 5_000);
  const heapEmpty = await settledHeap();
  const kindsEmpty = await heapByKind();
  for (const room of rooms) for (let k = 0; k < PER_ROOM; k++) await sit(room.slug);
  // What one participant costs (its member, mailbox, socket, subscription, and this process's client).
  const perSeat = ((await settledHeap()) - heapEmpty) / seats.length;

  const read = (seat: Seat) => {
    for (const e of seat.p.drain()) {
      if (e.__typename !== 'Signal') continue;
      const list = seat.received.get(e.from!) ?? [];
      list.push((JSON.parse(e.payload!) as { seq: number }).seq);
      seat.received.set(e.from!, list);
    }
  };
  const heapStart = await settledHeap();
  const until = Date.now() + SECONDS * 1000;
  let sent = 0;
  let refused = 0;
  let churned = 0;
  const senders = async (seat: Seat) => {
    while (Date.now() < until && !seat.left) {
      const others = seats.filter((s) => s.slug === seat.slug && s !== seat && !s.left);
      const to = others[Math.floor(Math.random() * others.length)];
      if (to) {
        const acked = seat.acked.get(to.p.id) ?? [];
        // A sender that leaves mid-send may have its signal relayed without seeing the ack:
        // every attempt gets its own number, so such a delivery is not mistaken for a duplicate.
        const seq = seat.attempts.get(to.p.id) ?? 0;
        seat.attempts.set(to.p.id, seq + 1);
        const r = await seat.p.send(to.p.id, 'ICE_CANDIDATE', JSON.stringify({ seq, pad: 'x'.repeat(200) }));
        if (r.ok) {
          acked.push(seq);
          seat.acked.set(to.p.id, acked);
          sent++;
        } else if (!seat.left) {
          // The only acceptable refusal: the recipient just left.
          expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe('NOT_IN_ROOM');
          refused++;
        }
      }
      read(seat);
      await new Promise((r) => setTimeout(r, (1000 / RATE) * (0.5 + Math.random())));
    }
  };
  const churn = async () => {
    while (Date.now() < until - 1000) {
      await new Promise((r) => setTimeout(r, 250));
      const alive = seats.filter((s) => !s.left);
      const victim = alive[Math.floor(Math.random() * alive.length)]!;
      read(victim);
      victim.left = true;
      victim.p.close();
      churned++;
      void senders(await sit(victim.slug));
    }
  };
  await Promise.all([...seats.map(senders), churn()]);
  // Let everything in flight arrive, then read it.
  await new Promise((r) => setTimeout(r, 1500));
  for (const seat of seats) if (!seat.left) read(seat);

  let delivered = 0;
  for (const recipient of seats) {
    for (const sender of seats) {
      const acked = sender.acked.get(recipient.p.id) ?? [];
      const got = recipient.received.get(sender.p.id) ?? [];
      delivered += got.length;
      const pair = `${sender.p.id} -> ${recipient.p.id}`;
      // In order and at most once: strictly increasing, and only what was sent...
      expect(got.every((seq, i) => i === 0 || seq > got[i - 1]!), pair).toBe(true);
      expect(got.every((seq) => seq < (sender.attempts.get(recipient.p.id) ?? 0)), pair).toBe(true);
      // ...and at least once: every accepted signal reached whoever stayed to the end, and
      // a reader who left got everything accepted before its last read.
      if (!recipient.left) expect(acked.filter((seq) => !got.includes(seq)), pair).toEqual([]);
      else expect(acked.filter((seq) => seq <= (got.at(-1) ?? -1) && !got.includes(seq)), pair).toEqual([]);
    }
  }
  console.info(
    `soak: ${ROOMS} rooms, ${SECONDS} s, ${sent} signals accepted, ${delivered} delivered to readers, ` +
      `${refused} refused (recipient gone), ${churned} churned`,
  );
  expect(sent).toBeGreaterThan(ROOMS * PER_ROOM * SECONDS * RATE * 0.3);

  for (const seat of seats) if (!seat.left) seat.p.close();
  expect(await eventually(() => server.app.hub.stats().participants === 0 && server.app.websocketServer.clients.size === 0, 15_000)).toBe(true);
  seats.length = 0;
  const heapEnd = await settledHeap();
  const kindsEnd = await heapByKind();
  // Everyone left: the heap is measured against the heap with nobody in (not against the
  // seated heap, which hides a leak as big as the whole population). A participant costs
  // perSeat here; one left behind per room would add ROOMS * perSeat / 2 of data (its
  // client half is freed). What stays is mostly V8's compiled code and feedback for the
  // paths the soak made hot (about 1.9 MiB in the quick form, seen in heap snapshots):
  // not a leak, so the bound applies to the data part (half of one participant per room:
  // tried by keeping just the Member object of one leaver per room, mailbox closed: data
  // growth 134-192 KiB against a bound of 120 KiB, failed; without a leak: 20-48 KiB); the
  // whole heap keeps a looser bound.
  const growth = heapEnd - heapEmpty;
  const dataGrowth = kindsEnd.data - kindsEmpty.data;
  const codeGrowth = kindsEnd.code - kindsEmpty.code;
  const onePerRoom = (ROOMS * perSeat) / 2;
  console.info(
    `soak: heap ${(heapEmpty / 2 ** 20).toFixed(1)} MiB empty, ${(heapStart / 2 ** 20).toFixed(1)} MiB seated, ` +
      `${(heapEnd / 2 ** 20).toFixed(1)} MiB after everyone left; growth ${(growth / 1024).toFixed(0)} KiB: ` +
      `data ${(dataGrowth / 1024).toFixed(0)} KiB, V8 code ${(codeGrowth / 1024).toFixed(0)} KiB ` +
      `(one participant per room: ${(onePerRoom / 1024).toFixed(0)} KiB at ${(perSeat / 1024).toFixed(0)} KiB each / 2)`,
  );
  expect(dataGrowth).toBeLessThan(onePerRoom / 2);
  expect(growth).toBeLessThan(3 * 2 ** 20);
}, Math.max(120_000, SECONDS * 1000 * 4));
