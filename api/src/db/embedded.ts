/**
 * The embedded database: PGlite (Postgres compiled to WASM) kept on disk under DATA_DIR
 * and served on a loopback port by pglite-socket, so the same @mikro-orm/postgresql
 * driver talks to it as to a real PostgreSQL. Started by db/plugin.ts when DATABASE_URL
 * is unset.
 *
 * Kept small at rest (README "Memory"): initdb runs in a child process that exits
 * (embedded-initdb.ts); Postgres gets small buffers; and V8 compiles PGlite's WASM with
 * its baseline compiler only, whose code is about 40 MB smaller than the optimised tier
 * and compiles several times faster. Parley's queries are few and small, so the slower
 * code does not show.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { WASM_FLAGS, createDataDir, hasDatabase } from './embedded-initdb.js';

export interface EmbeddedDatabase {
  url: string;
  close(): Promise<void>;
}

/**
 * Postgres settings for the embedded instance, after PGlite's own. shared_buffers is
 * 128 MB by default and PGlite touches all of it; Parley's tables fit in a few MB.
 */
export const EMBEDDED_SETTINGS = ['shared_buffers=4MB', 'temp_buffers=1MB', 'wal_buffers=256kB'];

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const dir = join(dataDir, 'pglite');
  await mkdir(dataDir, { recursive: true });
  await removeScratchDirs(dir);
  if (!hasDatabase(dir)) await createDataDir(dir);
  // Read when PGlite compiles its module below; the server itself runs no other WASM.
  for (const flag of WASM_FLAGS) setFlagsFromString(flag);
  const db = await PGlite.create(dir, {
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((s) => ['-c', s])],
  });
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

/** Scratch directories of an initdb whose process is gone (killed halfway; see createDataDir). */
async function removeScratchDirs(dir: string): Promise<void> {
  const prefix = `${basename(dir)}.init-`;
  for (const name of await readdir(dirname(dir))) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && !isAlive(pid)) await rm(join(dirname(dir), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function listeningPort(server: PGLiteSocketServer): number {
  const address = (server as unknown as { server?: { address(): unknown } }).server?.address();
  if (address && typeof address === 'object' && 'port' in address) return Number(address.port);
  throw new Error('pglite-socket did not report its port');
}
