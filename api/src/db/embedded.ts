/**
 * The embedded database: PGlite (Postgres compiled to WASM) kept on disk under DATA_DIR
 * and served on a loopback port by pglite-socket, so the same @mikro-orm/postgresql
 * driver talks to it as to a real PostgreSQL. Started by db/plugin.ts when DATABASE_URL
 * is unset.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  close(): Promise<void>;
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const dir = join(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  const port = listeningPort(server);
  return {
    // PGlite has one session; the pool is capped at one connection (see orm-config.ts).
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

function listeningPort(server: PGLiteSocketServer): number {
  const address = (server as unknown as { server?: { address(): unknown } }).server?.address();
  if (address && typeof address === 'object' && 'port' in address) return Number(address.port);
  throw new Error('pglite-socket did not report its port');
}
