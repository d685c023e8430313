/** The one MikroORM configuration: explicit entities and migrations, no discovery by glob. */
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { FastifyBaseLogger } from 'fastify';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

export function ormConfig(opts: {
  clientUrl: string;
  embedded: boolean;
  log: FastifyBaseLogger;
}): Options {
  return defineConfig({
    clientUrl: opts.clientUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false },
    // PGlite serves one session: a larger pool fails with "Connection terminated unexpectedly".
    // Fail fast when the database is unreachable: callers get DATABASE_UNAVAILABLE in
    // seconds instead of hanging on knex's 60 s default.
    pool: { min: 0, max: opts.embedded ? 1 : 10, acquireTimeoutMillis: 10_000, createTimeoutMillis: 10_000 },
    debug: false,
    logger: (message) => opts.log.debug({ orm: true }, message),
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: true },
  });
}
