/**
 * The STUN listener as an app capability: binds config.stunPort (0 = off) next to the
 * HTTP server, decorates `app.stun.port` for the iceServers resolver, and closes the
 * sockets in onClose so `app.close()` shuts everything down.
 */
import fp from 'fastify-plugin';
import { createStunHandler } from './handler.js';
import { startStunListener } from './listener.js';
import { RateLimiter } from '../shared/rate-limit.js';

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
    const listener = await startStunListener({
      port: stunPort,
      host,
      handler: createStunHandler({ portShift: stunTestPortShift }),
      limiter: new RateLimiter({ ratePerSecond: stunRateLimit }),
      logger: app.log.child({ module: 'stun' }),
    });
    app.decorate('stun', { port: listener.port });
    app.addHook('onClose', () => listener.close());
  },
  { name: 'parley-stun', dependencies: ['parley-config'] },
);
