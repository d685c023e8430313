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
    pool: opts.embedded ? { min: 0, max: 1 } : { min: 0, max: 10 },
    debug: false,
    logger: (message) => opts.log.debug({ orm: true }, message),
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: true },
  });
}
