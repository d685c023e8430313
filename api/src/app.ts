/**
 * Parley's HTTP app as one Fastify instance built from plugins, one per capability.
 * server.ts builds it and listens; tests build it and use `inject` or listen on port 0.
 * Every plugin that opens a socket or pool closes it in onClose, so shutdown is app.close().
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import configPlugin from './http/config-plugin.js';
import databasePlugin from './db/plugin.js';
import chatPlugin from './chat/plugin.js';
import stunPlugin from './stun/plugin.js';
import graphqlPlugin from './graphql/plugin.js';
import graphiqlPlugin from './http/graphiql.js';
import healthPlugin from './http/health.js';
import securityPlugin from './http/security.js';
import webPlugin from './http/web.js';

export async function buildApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    bodyLimit: 256 * 1024,
    // Behind a reverse proxy, request.ip (rate limits) is the client's, not the proxy's.
    trustProxy: config.trustProxy,
    // On close, idle keep-alive connections are dropped; requests in flight finish.
    forceCloseConnections: 'idle',
    // A fresh embedded database runs initdb first: seconds on a busy 2-core machine.
    pluginTimeout: 120_000,
  });
  await app.register(configPlugin, { config });
  await app.register(securityPlugin);
  await app.register(databasePlugin);
  await app.register(chatPlugin);
  await app.register(stunPlugin);
  await app.register(graphqlPlugin);
  await app.register(graphiqlPlugin);
  await app.register(healthPlugin);
  await app.register(webPlugin);
  return app;
}
