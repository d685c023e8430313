/**
 * GET /graphiql: GraphiQL from our own bundle (dist/graphiql, built by `pnpm build`),
 * so it works offline. Assets are read once at start and served from memory.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import fp from 'fastify-plugin';
import { GRAPHIQL_DIR } from '../paths.js';

const bundleDir = GRAPHIQL_DIR;
const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
};

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley · GraphiQL</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<style>html,body,#graphiql{height:100%;margin:0}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script type="module" src="/graphiql/assets/graphiql.js"></script>
</body>
</html>`;

async function loadAssets(): Promise<Map<string, Buffer> | null> {
  try {
    const names = await readdir(bundleDir);
    const assets = new Map<string, Buffer>();
    for (const name of names) assets.set(name, await readFile(join(bundleDir, name)));
    return assets.has('graphiql.js') ? assets : null;
  } catch {
    return null;
  }
}

export default fp(
  async (app) => {
    const assets = await loadAssets();
    if (!assets) app.log.warn({ bundleDir }, 'GraphiQL bundle missing: run `pnpm build`');
    app.get('/graphiql', async (_req, reply) => {
      if (!assets) return reply.code(503).type('text/plain').send('GraphiQL is not built. Run `pnpm build`.');
      return reply.type('text/html; charset=utf-8').send(page);
    });
    app.get<{ Params: { name: string } }>('/graphiql/assets/:name', async (req, reply) => {
      const body = assets?.get(req.params.name);
      if (!body) return reply.code(404).send({ error: 'Not found' });
      return reply
        .type(types[extname(req.params.name)] ?? 'application/octet-stream')
        .header('cache-control', 'public, max-age=3600')
        .send(body);
    });
  },
  { name: 'parley-graphiql' },
);
