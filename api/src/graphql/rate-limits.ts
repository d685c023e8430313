/**
 * Request budgets, sized so a real call never meets them: createRoom, joinRoom and
 * Query.room per client address (a minute's budget may be spent at once), sendSignal per
 * participant (a 10-second burst covers the ICE candidates of a full mesh renegotiating
 * at once), sendChatMessage per participant. A sendSignal token counts as the
 * participant's only once it proved real (its member joined here, or a signal with it
 * went through); until then it is charged to the client address ('unknownToken'), so a
 * flood of made-up tokens meets a budget before it reaches the hub.
 * Over budget: RATE_LIMITED with `retryAfterMs`. Called by the resolvers.
 *
 * Per instance: behind a load balancer each instance counts its own share. A shared
 * count would put a Redis round trip before every signal; a client's socket stays on one
 * instance, so its signals meet one budget anyway (docs/reliability.md).
 */
import type { RateLimits } from '../config.js';
import { ErrorCode, ParleyError } from '../rooms/errors.js';
import { RateLimiter } from '../shared/rate-limit.js';

export type Budget = 'createRoom' | 'joinRoom' | 'room' | 'sendSignal' | 'unknownToken' | 'sendChatMessage';

export class RequestBudgets {
  readonly #limiters: Record<Budget, { limiter: RateLimiter; retryAfterMs: number }>;
  readonly #proven = new Set<string>();

  constructor(limits: RateLimits) {
    const perSecond = (n: number) => ({
      limiter: new RateLimiter({ ratePerSecond: n, burst: n * 10 }),
      retryAfterMs: Math.ceil(1000 / n),
    });
    const perMinute = (n: number) => ({
      limiter: new RateLimiter({ ratePerSecond: n / 60, burst: n }),
      retryAfterMs: Math.ceil(60_000 / n),
    });
    this.#limiters = {
      createRoom: perMinute(limits.createRoomPerMinute),
      sendChatMessage: perMinute(limits.chatPerMinute ?? 30),
      joinRoom: perMinute(limits.joinPerMinute),
      room: perMinute(limits.roomPerMinute ?? 600),
      sendSignal: perSecond(limits.signalsPerSecond),
      unknownToken: perSecond(limits.unknownTokensPerSecond ?? 5),
    };
  }

  /**
   * A sendSignal: charged to the token once it proved real (see proven()), else to the
   * client address first. Throws RATE_LIMITED.
   */
  spendSignal(token: string, address: string): void {
    if (!this.#proven.has(token)) this.spend('unknownToken', address);
    this.spend('sendSignal', token);
  }

  /** A signal with this token was accepted: from now on it has its own budget. */
  proven(token: string): void {
    if (this.#proven.has(token)) return;
    this.#proven.add(token);
    // Bounded: the oldest go first (they fall back to the address budget, no harm done).
    if (this.#proven.size > 20_000) this.#proven.delete(this.#proven.values().next().value!);
  }

  /** Spends one unit of `key`'s budget for `what`, or throws RATE_LIMITED. */
  spend(what: Budget, key: string): void {
    const { limiter, retryAfterMs } = this.#limiters[what];
    if (!limiter.allow(key)) {
      throw new RateLimitedError(what, retryAfterMs);
    }
  }
}

export class RateLimitedError extends ParleyError {
  constructor(what: Budget, readonly retryAfterMs: number) {
    super(ErrorCode.RATE_LIMITED, `Too many ${what} requests from you. Wait a moment and try again.`);
  }

  override get extensions() {
    return { code: this.code, retryAfterMs: this.retryAfterMs };
  }
}
