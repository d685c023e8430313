/**
 * The embedded database (api/src/db/embedded.ts) on disk: first start creates the data
 * directory in a child process, later starts reopen it with the data intact, Postgres
 * runs with the small settings, and a scratch directory left by an initdb that was killed
 * halfway is removed rather than mistaken for a database.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedDatabase } from '../../api/src/db/embedded.js';
import { tempDir } from '../support/server.js';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('embedded database', () => {
  it('creates its data directory once, keeps data across restarts and runs with small buffers', { timeout: 180_000 }, async () => {
    const dataDir = tempDir('parley-embedded-');
    // What a start killed during initdb leaves: a scratch dir of a process that is gone.
    const stale = join(dataDir, 'pglite.init-999999999');
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'PG_VERSION'), '17\n');

    const first = await startEmbeddedDatabase(dataDir);
    try {
      expect(existsSync(stale), 'the stale scratch dir is removed').toBe(false);
      expect(readdirSync(dataDir)).toEqual(['pglite']);
      expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
      await query(first.url, 'CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$)');
      const [settings] = await query<{ shared_buffers: string }>(first.url, 'SHOW shared_buffers');
      expect(settings!.shared_buffers).toBe('4MB');
    } finally {
      await first.close();
    }

    const second = await startEmbeddedDatabase(dataDir);
    try {
      expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    } finally {
      await second.close();
    }
  });
});
