/**
 * Chat on PostgreSQL: history survives a restart of the server; while the database is
 * away, sending fails with DATABASE_UNAVAILABLE and a sentence, nobody receives the
 * unsent message, joins go on (without history); afterwards only acknowledged messages
 * are in the history.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/postgres.js';
import { startServer, type RunningServer } from '../support/server.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { Participant, createRoom } from '../support/participant.js';
import { chatOf } from '../chat/expect.js';

let db: FreshDatabase;
let proxy: TcpProxy;
let server: RunningServer;

beforeAll(async () => {
  db = await freshDatabase();
  const url = new URL(db.url);
  proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
  url.host = `127.0.0.1:${proxy.port}`;
  server = await startServer({ env: { DATABASE_URL: url.toString() } });
});
afterAll(async () => {
  server?.kill();
  await proxy?.close();
  await db?.drop();
});

it('keeps history across a restart and loses nothing it acknowledged while the database was away', async () => {
  const { slug } = await createRoom(server.url, 'PG chat');
  const a = await Participant.join(server.wsUrl, slug, 'A');
  const b = await Participant.join(server.wsUrl, slug, 'B');
  for (const text of ['one', 'two']) expect((await a.chat(text)).message?.text).toBe(text);
  await chatOf(b, 2);

  proxy.cut();
  const t0 = Date.now();
  const failed = await a.chat('lost?');
  expect(failed.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
  expect(failed.errors?.[0]?.message).toMatch(/database is unavailable.*not sent/);
  console.info(`sendChatMessage failed cleanly after ${Date.now() - t0} ms`);
  // A join still works (the room is known), just without history.
  const c = await Participant.join(server.wsUrl, slug, 'C');
  expect(c.welcome.chat).toEqual([]);
  proxy.restore();

  let sent: Awaited<ReturnType<Participant['chat']>> | null = null;
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    sent = await a.chat('three');
    if (sent.message) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(sent?.message?.seq).toBe(3);
  expect((await chatOf(b, 3)).map((m) => m.text)).toEqual(['one', 'two', 'three']);
  for (const p of [a, b, c]) p.close();

  await server.stop();
  server = await startServer({ env: server.env });
  const d = await Participant.join(server.wsUrl, slug, 'D');
  expect(d.welcome.chat!.map((m) => [m.seq, m.fromName, m.text])).toEqual([
    [1, 'A', 'one'],
    [2, 'A', 'two'],
    [3, 'A', 'three'],
  ]);
  d.close();
}, 180_000);
