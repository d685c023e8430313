/**
 * Creates the embedded database's data directory (PGlite's initdb) in a short-lived
 * child process, so the 700-900 MB initdb touches is returned to the system when it
 * exits instead of staying in the server's heap. Called by embedded.ts on first start.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The child's whole program: create the database in argv[2], close it, exit 0. */
const INITDB_SCRIPT =
  "const { PGlite } = require(process.argv[1]);" +
  'PGlite.create(process.argv[2]).then((db) => db.close()).then(' +
  '() => process.exit(0), (err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); });';

/** True when `dir` holds a database (initdb finished there). */
export function hasDatabase(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/** The flags the embedded database runs under (see embedded.ts). */
export const WASM_FLAGS = ['--liftoff-only'];

/**
 * Runs initdb into `<dir>.init-<pid>` in a child process and renames it to `dir` when
 * done: a start killed halfway leaves no half-made database behind, only a scratch
 * directory the next start removes.
 */
export async function createDataDir(dir: string): Promise<void> {
  const scratch = `${dir}.init-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [...WASM_FLAGS, '-e', INITDB_SCRIPT, pglite, scratch], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-8192)));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`initdb of the embedded database failed (code ${code}, signal ${signal}): ${stderr}`));
    });
  }).catch(async (err: unknown) => {
    await rm(scratch, { recursive: true, force: true });
    throw err;
  });
  await rm(dir, { recursive: true, force: true });
  await rename(scratch, dir);
}
