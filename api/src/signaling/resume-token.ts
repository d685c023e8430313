/**
 * Resume tokens: what a participant needs to come back as itself after its connection
 * (or the whole server) went away. Self-contained and signed (HMAC-SHA256 with a secret
 * kept in the database), so a restarted server can honour tokens it never stored.
 * Distinct from the signal token, which is random and dies when the participant leaves.
 *
 * Each token works once: it carries a random nonce (`t`), and the hubs remember only the
 * nonce of the token they issued last for each participant (in memory, or in the member
 * record in Redis); a resume with any other nonce does not bring that participant back.
 * Each token also expires (`x`), RESUME_TOKEN_TTL_MS after it was issued.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a resume token is good for after it was issued (a resume issues a new one). */
export const RESUME_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

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
  /** expires at, epoch ms */
  x: number;
  /** nonce: which of the participant's tokens this is (only the latest one works) */
  t: string;
}

/** A fresh nonce for a token about to be issued. */
export function resumeNonce(): string {
  return randomBytes(12).toString('base64url');
}

/** Signs claims for `participant` issued `now`, valid for `ttlMs`. */
export function issueResume(
  secret: Buffer,
  participant: { id: string; displayName: string; joinedAt: Date },
  roomId: string,
  now: number,
  nonce: string,
  ttlMs = RESUME_TOKEN_TTL_MS,
): string {
  const claims: ResumeClaims = {
    p: participant.id,
    r: roomId,
    n: participant.displayName,
    j: participant.joinedAt.getTime(),
    i: now,
    x: now + ttlMs,
    t: nonce,
  };
  return signResume(secret, claims);
}

export function signResume(secret: Buffer, claims: ResumeClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

/** The claims of an unexpired token this server signed, or null for anything else. */
export function verifyResume(secret: Buffer, token: string, now: number): ResumeClaims | null {
  if (token.length > 1024) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(secret, body), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ResumeClaims;
    const ok =
      typeof c.p === 'string' &&
      typeof c.r === 'string' &&
      typeof c.n === 'string' &&
      typeof c.t === 'string' &&
      Number.isFinite(c.j) &&
      Number.isFinite(c.i) &&
      Number.isFinite(c.x);
    return ok && now < c.x ? c : null;
  } catch {
    return null;
  }
}

function mac(secret: Buffer, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
