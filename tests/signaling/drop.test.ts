/**
 * Presence does not rely on a goodbye: a socket cut without a close frame, or a peer
 * that silently stops answering, leaves within the heartbeat budget (HEARTBEAT_MS = 5 s:
 * a silent peer is dropped 5 to 10 s after its last sign of life; we allow 15 s).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HEARTBEAT_MS } from '../../api/src/graphql/plugin.js';
import { startInProcess, type InProcessServer } from '../support/in-process.js';
import { Participant, createRoom } from '../support/participant.js';

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess();
});
afterAll(() => server.close());

it('a TCP socket destroyed without a close frame leaves at once', async () => {
  const room = await createRoom(server.url, 'Drop Room');
  const stay = await Participant.join(server.wsUrl, room.slug, 'Stays');
  const gone = await Participant.join(server.wsUrl, room.slug, 'Vanishes');
  await stay.nextOf('ParticipantJoined');
  const t0 = Date.now();
  (gone.socket as unknown as { _socket: import('node:net').Socket })._socket.destroy();
  const left = await stay.nextOf('ParticipantLeft', 15_000);
  expect(left).toMatchObject({ participant: { id: gone.id } });
  console.info(`abrupt close: ParticipantLeft after ${Date.now() - t0} ms`);
  stay.close();
  gone.close();
});

it('a peer that stops answering (no FIN, no pong) is dropped by the heartbeat within 15 s', async () => {
  expect(HEARTBEAT_MS * 2).toBeLessThanOrEqual(15_000);
  const room = await createRoom(server.url, 'Silent Room');
  const stay = await Participant.join(server.wsUrl, room.slug, 'Stays');
  const silent = await Participant.join(server.wsUrl, room.slug, 'Silent');
  await stay.nextOf('ParticipantJoined');
  // Stop reading: the kernel still ACKs, but the client never sees a ping, so never pongs.
  const tcp = (silent.socket as unknown as { _socket: import('node:net').Socket })._socket;
  tcp.pause();
  tcp.removeAllListeners('data');
  const t0 = Date.now();
  const left = await stay.nextOf('ParticipantLeft', 15_000);
  const ms = Date.now() - t0;
  expect(left).toMatchObject({ participant: { id: silent.id } });
  expect(ms).toBeGreaterThan(HEARTBEAT_MS / 2); // it was the heartbeat, not a close
  console.info(`silent peer: ParticipantLeft after ${ms} ms (budget 15000 ms)`);
  expect(server.app.hub.stats().participants).toBe(1);
  stay.close();
  tcp.destroy();
}, 30_000);
