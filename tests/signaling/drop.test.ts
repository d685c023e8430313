/**
 * Presence does not rely on a goodbye. A connection that dies without a close frame
 * keeps its participant for the resume grace (RESUME_GRACE_MS, 5 s) and then leaves; a
 * peer that silently stops answering is found by the heartbeat (HEARTBEAT_MS = 4 s:
 * 4 to 8 s after its last sign of life) and leaves after the same grace: at most 13 s,
 * within the 15 s budget.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HEARTBEAT_MS } from '../../api/src/graphql/plugin.js';
import { startInProcess, type InProcessServer } from '../support/in-process.js';
import { Participant, createRoom } from '../support/participant.js';

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcess({ resumeGraceMs: 5_000 });
});
afterAll(() => server.close());

it('a TCP socket destroyed without a close frame leaves after the grace', async () => {
  const room = await createRoom(server.url, 'Drop Room');
  const stay = await Participant.join(server.wsUrl, room.slug, 'Stays');
  const gone = await Participant.join(server.wsUrl, room.slug, 'Vanishes');
  await stay.nextOf('ParticipantJoined');
  const t0 = Date.now();
  gone.cut();
  const left = await stay.nextOf('ParticipantLeft', 15_000);
  const ms = Date.now() - t0;
  expect(left).toMatchObject({ participant: { id: gone.id } });
  expect(ms).toBeGreaterThanOrEqual(4_500);
  console.info(`abrupt close: ParticipantLeft after ${ms} ms (grace 5000 ms)`);
  stay.close();
}, 30_000);

it('a participant that closes on purpose leaves at once', async () => {
  const room = await createRoom(server.url, 'Polite Room');
  const stay = await Participant.join(server.wsUrl, room.slug, 'Stays');
  const polite = await Participant.join(server.wsUrl, room.slug, 'Polite');
  await stay.nextOf('ParticipantJoined');
  const t0 = Date.now();
  polite.close();
  expect(await stay.nextOf('ParticipantLeft', 3_000)).toMatchObject({ participant: { id: polite.id } });
  console.info(`polite close: ParticipantLeft after ${Date.now() - t0} ms`);
  stay.close();
});

it('a peer that stops answering (no FIN, no pong) leaves within 15 s', async () => {
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
  // Found by the heartbeat (not a close), then kept for the resume grace, then gone within 15 s.
  expect(ms).toBeGreaterThan(HEARTBEAT_MS + server.app.config.resumeGraceMs);
  expect(ms).toBeLessThanOrEqual(15_000);
  console.info(`silent peer: ParticipantLeft after ${ms} ms (budget 15000 ms)`);
  expect(server.app.hub.stats().participants).toBe(1);
  stay.close();
  tcp.destroy();
}, 30_000);
