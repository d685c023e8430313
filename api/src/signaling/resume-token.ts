/**
 * Resume tokens: what a participant needs to come back as itself after its connection
 * (or the whole server) went away. Self-contained and signed (HMAC-SHA256 with a secret
 * kept in the database), so a restarted server can honour tokens it never stored.
 * Distinct from the signal token, which is random and dies when the participant leaves.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ResumeClaims {
  /** participant id */
  p: string;
  /** room id */
  r: string;
  /** display name */
  n: string;
  /** joinedAt, epoch ms */
  j: number;
  /** issued at, epoch ms */
  i: number;
}

export function signResume(secret: Buffer, claims: ResumeClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

/** The claims of a token this server signed, or null for anything else. */
export function verifyResume(secret: Buffer, token: string): ResumeClaims | null {
  if (token.length > 1024) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(secret, body), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ResumeClaims;
    const ok = typeof c.p === 'string' && typeof c.r === 'string' && typeof c.n === 'string' && Number.isFinite(c.j) && Number.isFinite(c.i);
    return ok ? c : null;
  } catch {
    return null;
  }
}

function mac(secret: Buffer, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
