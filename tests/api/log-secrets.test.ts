/**
 * No secret in the logs: with the most verbose level, a server that saw joins, signals
 * over the socket and over HTTP, a resume and failed calls never prints a signal token,
 * a resume token, or the TURN secret.
 */
import { expect, it } from 'vitest';
import { startServer } from '../support/server.js';
import { Participant, createRoom, sendOverHttp } from '../support/participant.js';

it('tokens and secrets never reach the log', async () => {
  const turnSecret = 'turn-secret-that-must-not-leak-7f3a';
  const server = await startServer({
    fullOutput: true,
    env: { LOG_LEVEL: 'trace', TURN_SECRET: turnSecret, TURN_URLS: 'turn:127.0.0.1:3478?transport=udp' },
  });
  try {
    const room = await createRoom(server.url, 'Quiet Logs');
    const a = await Participant.join(server.wsUrl, room.slug, 'A');
    const b = await Participant.join(server.wsUrl, room.slug, 'B');
    expect((await a.send(b.id, 'OFFER', '{"sdp":"v=0"}')).ok).toBe(true);
    await sendOverHttp(server.url, { token: a.token, to: b.id, kind: 'ANSWER', payload: '{}' });
    await sendOverHttp(server.url, { token: `${a.token}x`, to: b.id, kind: 'ANSWER', payload: '{}' }); // refused
    await a.send('not-a-participant', 'OFFER', '{}'); // refused
    const ice = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ iceServers { urls username credential } }' }),
    }).then((r) => r.json() as Promise<{ data: { iceServers: { credential: string | null }[] } }>);
    const credential = ice.data.iceServers.find((s) => s.credential)?.credential;
    expect(credential).toBeTruthy();
    b.cut();
    const back = await Participant.join(server.wsUrl, room.slug, undefined, b.resumeToken);
    expect(back.welcome.resumed).toBe(true);
    a.close();
    back.close();
    await new Promise((r) => setTimeout(r, 500));
    const { stdout, stderr, cut } = server.output();
    expect(cut, 'the whole log was kept').toBe(false);
    const log = stdout + stderr;
    expect(log.length).toBeGreaterThan(1000); // it did log, verbosely
    console.info(`log-secrets: ${log.length} characters of log checked`);
    for (const secret of [a.token, b.token, back.token, a.resumeToken, b.resumeToken, back.resumeToken, turnSecret, credential!]) {
      expect(log.includes(secret), `a secret (${secret.slice(0, 6)}…) appears in the log`).toBe(false);
    }
  } finally {
    await server.stop();
  }
}, 120_000);
