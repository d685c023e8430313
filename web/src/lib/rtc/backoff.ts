/**
 * How long to wait before the n-th reconnection attempt: 250 ms doubling per attempt,
 * capped at 4 s, with jitter so a room full of clients dropped by one server restart
 * does not come back in lockstep. The cap is what bounds how long presence stays broken
 * once the server is back (the goal: whole again within 5 s), so it is 4 s rather than 5.
 * Used by signaling-channel.ts; pure, so unit-tested.
 */

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
}

export const RECONNECT_BASE_MS = 250;
export const RECONNECT_CAP_MS = 4_000;

/**
 * The delay before attempt `attempt` (0 for the first retry). The jitter only shortens
 * the wait (between half and all of the exponential step), so the cap is a real bound on
 * how long a client stays away once the server is back.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? RECONNECT_BASE_MS;
  const cap = options.capMs ?? RECONNECT_CAP_MS;
  // 2 ** 20 is far past any cap; keep the exponent small so the product stays finite.
  const step = Math.min(cap, base * 2 ** Math.min(Math.max(0, attempt), 20));
  return Math.round(step * (0.5 + 0.5 * random()));
}
