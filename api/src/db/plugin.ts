/**
 * The database capability: PostgreSQL at DATABASE_URL, or the embedded PGlite under
 * DATA_DIR. Runs pending migrations before the app is ready and exposes `app.orm`.
 */
import fp from 'fastify-plugin';
import { MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';
import { ormConfig } from './orm-config.js';

declare module 'fastify' {
  interface FastifyInstance {
    orm: MikroORM;
  }
}

export default fp(
  async (app) => {
    const { databaseUrl, dataDir } = app.config;
    let embedded: EmbeddedDatabase | null = null;
    if (!databaseUrl) {
      embedded = await startEmbeddedDatabase(dataDir);
      app.log.info({ dataDir }, 'embedded PGlite database started');
    }
    const clientUrl = databaseUrl ?? embedded!.url;
    let orm: MikroORM;
    try {
      orm = await MikroORM.init(ormConfig({ clientUrl, embedded: !!embedded, log: app.log }));
      const applied = await orm.getMigrator().up();
      if (applied.length) app.log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    } catch (err) {
      await embedded?.close();
      throw err;
    }
    app.decorate('orm', orm);
    app.addHook('onClose', async () => {
      app.log.debug('closing the database');
      await orm.close();
      await embedded?.close();
      app.log.debug('database closed');
    });
  },
  { name: 'parley-db', dependencies: ['parley-config'] },
);
