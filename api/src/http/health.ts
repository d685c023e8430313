/** GET /healthz: 200 once the app is ready (migrations ran, listeners up), with live counts. */
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    app.get('/healthz', async () => ({ status: 'ok', ...app.hub.stats() }));
  },
  { name: 'parley-health', dependencies: ['parley-graphql'] },
);
