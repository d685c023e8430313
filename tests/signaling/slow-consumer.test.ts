/**
 * A participant that stops reading its socket is cut off once its mailbox holds
 * Limits.mailboxCapacity undelivered events or Limits.mailboxBytes of them; it leaves
 * (everyone sees it), and the others' signals keep flowing meanwhile.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Limits } from '../../api/src/signaling/types.js';
import { startInProcess, eventually, settledHeap, type InProcessServer } from '../support/in-process.js';
import { Participant, createRoom, sendOverHttp } from '../support/participant.js';

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess();
});
afterAll(() => server.close());

it('a slow consumer is cut off at the bound and nothing else is slowed', async () => {
  const room = await createRoom(server.url, 'Slow');
  const slow = await Participant.join(server.wsUrl, room.slug, 'Slow');
  const sender = await Participant.join(server.wsUrl, room.slug, 'Sender');
  const fast = await Participant.join(server.wsUrl, room.slug, 'Fast');
  await sender.nextOf('ParticipantJoined');
  const heapBefore = await settledHeap();

  const tcp = (slow.socket as unknown as { _socket: import('node:net').Socket })._socket;
  tcp.pause(); // stops reading: kernel buffers fill, then the server-side mailbox

  // 4 KiB: 512 of them stay under the byte bound, so the count bound is the one met.
  const payload = JSON.stringify({ sdp: 'x'.repeat(4 * 1024) });
  let sentToSlow = 0;
  let cutOff = false;
  const fastGot: number[] = [];
  // Flood the slow one over HTTP (as fast as the server answers) while the sender keeps
  // talking to the fast one over its socket.
  for (let i = 0; i < 5000 && !cutOff; i++) {
    const r = await sendOverHttp(server.url, { token: sender.token, to: slow.id, kind: 'ICE_CANDIDATE', payload });
    if (r.errors) {
      expect(r.errors[0]!.extensions!.code).toBe('NOT_IN_ROOM'); // it has left
      cutOff = true;
      break;
    }
    sentToSlow++;
    if (i % 10 === 0) {
      expect((await sender.send(fast.id, 'ICE_CANDIDATE', JSON.stringify({ n: i }))).ok).toBe(true);
    }
  }
  expect(cutOff).toBe(true);
  expect(sentToSlow).toBeGreaterThanOrEqual(Limits.mailboxCapacity);
  // Everyone saw it leave.
  expect(await sender.nextOf('ParticipantLeft')).toMatchObject({ participant: { id: slow.id } });
  // The fast participant got every signal meant for it, in order, meanwhile.
  for (;;) {
    const e = await fast.next(500);
    if (!e) break;
    if (e.__typename === 'Signal') fastGot.push((JSON.parse(e.payload!) as { n: number }).n);
  }
  expect(fastGot).toEqual(Array.from({ length: fastGot.length }, (_, k) => k * 10));
  expect(fastGot.length).toBe(Math.ceil(sentToSlow / 10));
  expect(await eventually(() => server.app.hub.stats().participants === 2)).toBe(true);
  const heapAfter = await settledHeap();
  console.info(
    `slow consumer: cut off after ${sentToSlow} signals of 4 KiB (mailbox bound ${Limits.mailboxCapacity}); ` +
      `heap ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MiB over the start`,
  );
  // The undelivered backlog was dropped with the mailbox.
  expect(heapAfter - heapBefore).toBeLessThan(16 * 2 ** 20);
  tcp.destroy();
  sender.close();
  fast.close();
}, 120_000);

it('with 64 KiB signals the bound is bytes: cut off after about 4 MiB queued, not 512 signals (32 MiB)', async () => {
  const room = await createRoom(server.url, 'Slow Big');
  const slow = await Participant.join(server.wsUrl, room.slug, 'Slow');
  const sender = await Participant.join(server.wsUrl, room.slug, 'Sender');
  const tcp = (slow.socket as unknown as { _socket: import('node:net').Socket })._socket;
  tcp.pause();
  const payload = JSON.stringify({ sdp: 'x'.repeat(64 * 1024 - 20) });
  let sentToSlow = 0;
  for (let i = 0; i < Limits.mailboxCapacity + 10; i++) {
    const r = await sendOverHttp(server.url, { token: sender.token, to: slow.id, kind: 'ICE_CANDIDATE', payload });
    if (r.errors) {
      expect(r.errors[0]!.extensions!.code).toBe('NOT_IN_ROOM');
      break;
    }
    sentToSlow++;
  }
  console.info(`slow consumer, 64 KiB signals: cut off after ${sentToSlow} (${((sentToSlow * 64) / 1024).toFixed(1)} MiB; byte bound ${Limits.mailboxBytes / 2 ** 20} MiB plus socket buffers)`);
  // The mailbox holds at most 64 of them; the kernel's socket buffers take some more.
  expect(sentToSlow).toBeLessThan(Limits.mailboxCapacity / 2);
  expect(await sender.nextOf('ParticipantLeft')).toMatchObject({ participant: { id: slow.id } });
  tcp.destroy();
  sender.close();
}, 120_000);
