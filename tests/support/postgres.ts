/**
 * A throwaway PostgreSQL database per test run, on the server at TEST_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres, trust auth as on our machines).
 * Unreachable PostgreSQL is an error with instructions, never a skipped test.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface FreshDatabase {
  /** A postgres:// URL for DATABASE_URL. */
  url: string;
  name: string;
  /** Ends every session on it, then drops it. */
  drop(): Promise<void>;
}

function unreachable(err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return new Error(
    `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${reason}). ` +
      'Start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` ' +
      '(or run .ci/run, which starts it), or point TEST_DATABASE_URL at a server where ' +
      'this user may CREATE DATABASE.',
  );
}

/** Runs fn with a client on the admin database, closing it afterwards. */
async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw unreachable(err);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Throws the instructions above unless PostgreSQL answers `SELECT 1`. */
export async function assertPostgresReachable(): Promise<void> {
  await withAdmin((c) => c.query('SELECT 1'));
}

export async function freshDatabase(): Promise<FreshDatabase> {
  const name = `parley_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin(async (c) => {
        await c.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      });
    },
  };
}
