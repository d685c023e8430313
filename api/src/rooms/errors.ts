/**
 * Domain errors with the contract's stable codes, named once here. A ParleyError carries
 * `extensions`, which graphql-js copies onto the GraphQL error it wraps it in, so the
 * client sees `extensions.code` (and `extensions.field` for BAD_USER_INPUT).
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  SLUG_TAKEN: 'SLUG_TAKEN',
  ROOM_NOT_FOUND: 'ROOM_NOT_FOUND',
  ROOM_FULL: 'ROOM_FULL',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  NOT_IN_ROOM: 'NOT_IN_ROOM',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  /** Cluster mode: Redis (shared calls) cannot be reached right now; nothing was done. */
  SIGNALING_UNAVAILABLE: 'SIGNALING_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class ParleyError extends Error {
  override name = 'ParleyError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get extensions(): { code: ErrorCode; [key: string]: unknown } {
    return this.field ? { code: this.code, field: this.field } : { code: this.code };
  }
}

export const badInput = (field: string, message: string) =>
  new ParleyError(ErrorCode.BAD_USER_INPUT, message, field);
