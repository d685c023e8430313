/**
 * The STUN listener as an app capability: binds config.stunPort (0 = off) next to the
 * HTTP server in its own worker thread (thread.ts), decorates `app.stun.port` for the
 * iceServers resolver, and stops the thread in onClose so `app.close()` shuts everything down.
 */
import fp from 'fastify-plugin';
import { startStunThread } from './thread.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The bound UDP port of the STUN listener, or null when STUN is off. */
    stun: { port: number | null };
  }
}

export default fp(
  async (app) => {
    const { stunPort, stunRateLimit, stunTestPortShift, host } = app.config;
    if (stunPort === 0) {
      app.decorate('stun', { port: null });
      return;
    }
    const listener = await startStunThread({
      port: stunPort,
      host,
      rateLimit: stunRateLimit,
      portShift: stunTestPortShift,
      logger: app.log.child({ module: 'stun' }),
    });
    app.decorate('stun', { port: listener.port });
    app.addHook('onClose', () => listener.close());
  },
  { name: 'parley-stun', dependencies: ['parley-config'] },
);
