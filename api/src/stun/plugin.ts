/** The STUN listener as an app capability. (placeholder: the STUN work fills this in) */
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** The bound UDP port of the STUN listener, or null when STUN is off. */
    stun: { port: number | null };
  }
}

export default fp(
  async (app) => {
    app.decorate('stun', { port: null });
  },
  { name: 'parley-stun', dependencies: ['parley-config'] },
);
