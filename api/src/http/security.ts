/**
 * Security headers on every response, and the same-origin rule for WebSockets.
 * Pages from SvelteKit get these baseline headers plus the CSP SvelteKit computes with
 * script hashes (web/svelte.config.js); Fastify's own responses (GraphiQL, JSON) get
 * CONTENT_SECURITY_POLICY below, which lets the GraphiQL bundle run and talk to /graphql.
 */
import fp from 'fastify-plugin';

export const BASELINE_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(self), microphone=(self), display-capture=(self), geolocation=()',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL's editor sets style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Whether a WebSocket upgrade may proceed: clients that send no Origin (scripts, native
 * apps) may; a browser's Origin must be this server's own (its host equals the Host
 * header), so another site's page cannot open a socket with a visitor's browser.
 */
export function sameOriginUpgrade(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export default fp(
  async (app) => {
    app.addHook('onSend', async (_request, reply) => {
      for (const [name, value] of Object.entries(BASELINE_HEADERS)) reply.header(name, value);
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    });
  },
  { name: 'parley-security' },
);
