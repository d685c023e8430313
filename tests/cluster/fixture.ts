/**
 * Two (or more) production API processes on one PostgreSQL database and one Redis, under
 * a Redis key prefix unique to this run (flushed at the end, and only it). Redis and
 * PostgreSQL must be up (`.ci/run` starts them): unreachable is a failure with
 * instructions, never a skip.
 */
import { randomBytes } from 'node:crypto';
import { RedisInspector } from '../../api/src/cluster/inspect.js';
import { freshDatabase, type FreshDatabase } from '../support/postgres.js';
import { startServer, type RunningServer } from '../support/server.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface Cluster {
  db: FreshDatabase;
  prefix: string;
  redis: RedisInspector;
  servers: RunningServer[];
  /** Starts one more instance on the same database and Redis. */
  add(name: string, env?: Record<string, string>): Promise<RunningServer>;
  close(): Promise<void>;
}

export async function startCluster(names: string[], env: Record<string, string> = {}): Promise<Cluster> {
  const redis = await new RedisInspector(TEST_REDIS_URL).connect();
  const db = await freshDatabase();
  const prefix = `parley-test-${randomBytes(5).toString('hex')}:`;
  const servers: RunningServer[] = [];
  const add = async (name: string, more: Record<string, string> = {}) => {
    const server = await startServer({
      env: { DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, INSTANCE_ID: name, ...env, ...more },
    });
    servers.push(server);
    return server;
  };
  // One after the other: the first runs the migrations.
  for (const name of names) await add(name);
  return {
    db,
    prefix,
    redis,
    servers,
    add,
    async close() {
      await Promise.allSettled(servers.map((s) => s.stop()));
      await db.drop();
      await redis.deletePrefix(prefix);
      await redis.close();
    },
  };
}
