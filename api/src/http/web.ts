/**
 * The web UI: SvelteKit's adapter-node handler (web/build/handler.js) mounted in Fastify,
 * so one process serves the UI, /graphql and /graphiql from one origin. Routes Fastify
 * knows (/graphql, /graphiql, /healthz) win; every other GET goes to SvelteKit.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import { BASELINE_HEADERS } from './security.js';
import { WEB_BUILD_DIR } from '../paths.js';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** Where `pnpm build` puts the web app. */
export const defaultWebBuildDir = WEB_BUILD_DIR;

export default fp(
  async (app) => {
    const dir = app.config.webBuildDir ?? defaultWebBuildDir;
    const entry = join(dir, 'handler.js');
    if (!existsSync(entry)) {
      app.log.warn({ dir }, 'web UI not built: run `pnpm build` (serving the API only)');
      return;
    }
    const { handler } = (await import(pathToFileURL(entry).href)) as { handler: NodeHandler };
    app.route({
      method: ['GET', 'HEAD'],
      url: '/*',
      handler: (request, reply) => {
        reply.hijack();
        for (const [name, value] of Object.entries(BASELINE_HEADERS)) reply.raw.setHeader(name, value);
        handler(request.raw, reply.raw, () => {
          reply.raw.statusCode = 404;
          reply.raw.setHeader('content-type', 'text/plain; charset=utf-8');
          reply.raw.end('Not found');
        });
      },
    });
    app.log.debug({ dir }, 'web UI mounted');
  },
  { name: 'parley-web' },
);
