/**
 * Time-limited TURN credentials in coturn's shared-secret scheme (`use-auth-secret`, the
 * "TURN REST API" draft): the username is `<expiry unix seconds>:<who>`, the credential is
 * base64(HMAC-SHA1(secret, username)). coturn recomputes the HMAC with its
 * static-auth-secret and refuses the username once its expiry has passed. Pure; the
 * GraphQL `iceServers` resolver calls turnIceServer with app.config.
 */
import { createHmac } from 'node:crypto';

export interface TurnCredentials {
  username: string;
  credential: string;
  /** When the credentials stop working, unix seconds. */
  expiresAt: number;
}

export interface TurnOptions {
  secret: string;
  /** Seconds from `nowMs` until the credentials expire (may be <= 0, e.g. in tests). */
  ttlSeconds: number;
  /** Who the credentials are for: a participant or client id; ':' is not allowed in it. */
  user: string;
  nowMs?: number;
}

export function turnCredentials({ secret, ttlSeconds, user, nowMs = Date.now() }: TurnOptions): TurnCredentials {
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${user.replace(/:/g, '_')}`;
  return { username, credential: turnPassword(secret, username), expiresAt };
}

/** The password coturn expects for a username under static-auth-secret `secret`. */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** The iceServers entry for TURN, or null when TURN is not configured. */
export function turnIceServer(
  config: { turnSecret: string | null; turnUrls: string[]; turnTtlSeconds: number },
  user: string,
  nowMs?: number,
): { urls: string[]; username: string; credential: string } | null {
  if (!config.turnSecret || config.turnUrls.length === 0) return null;
  const { username, credential } = turnCredentials({ secret: config.turnSecret, ttlSeconds: config.turnTtlSeconds, user, nowMs });
  return { urls: [...config.turnUrls], username, credential };
}
