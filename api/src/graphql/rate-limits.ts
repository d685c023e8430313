/**
 * Request budgets, sized so a real call never meets them: createRoom and joinRoom per
 * client address (a minute's budget may be spent at once), sendSignal per participant
 * (a 10-second burst covers the ICE candidates of a full mesh renegotiating at once),
 * sendChatMessage per participant.
 * Over budget: RATE_LIMITED with `retryAfterMs`. Called by the resolvers.
 */
import type { RateLimits } from '../config.js';
import { ErrorCode, ParleyError } from '../rooms/errors.js';
import { RateLimiter } from '../shared/rate-limit.js';

export type Budget = 'createRoom' | 'joinRoom' | 'sendSignal' | 'sendChatMessage';

export class RequestBudgets {
  readonly #limiters: Record<Budget, { limiter: RateLimiter; retryAfterMs: number }>;

  constructor(limits: RateLimits) {
    const perMinute = (n: number) => ({
      limiter: new RateLimiter({ ratePerSecond: n / 60, burst: n }),
      retryAfterMs: Math.ceil(60_000 / n),
    });
    this.#limiters = {
      createRoom: perMinute(limits.createRoomPerMinute),
      sendChatMessage: perMinute(limits.chatPerMinute ?? 30),
      joinRoom: perMinute(limits.joinPerMinute),
      sendSignal: {
        limiter: new RateLimiter({ ratePerSecond: limits.signalsPerSecond, burst: limits.signalsPerSecond * 10 }),
        retryAfterMs: Math.ceil(1000 / limits.signalsPerSecond),
      },
    };
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
