/**
 * What a failed GraphQL call looks like to the UI: the server's errors with their stable
 * `extensions.code`, plus two client-side codes for failures that never reached GraphQL.
 * Thrown by `request` and passed to a subscription sink's `error` (see ./client.ts).
 */

import type { ErrorCode as ServerErrorCode } from '@parley/api/errors';

/** The server's codes (named once, in the API) and the client's own two. */
export type ErrorCode =
  | ServerErrorCode
  /** The server could not be reached, or the connection dropped. */
  | 'NETWORK_ERROR'
  /** The server answered, but not with a GraphQL response (a proxy error page, say). */
  | 'BAD_RESPONSE';

/** One entry of a GraphQL response's `errors` array. */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: {
    /** Usually an ErrorCode; kept open because servers may add codes. */
    code?: string;
    /** On BAD_USER_INPUT: which input field broke a rule ('title', 'slug', ...). */
    field?: string;
    [key: string]: unknown;
  };
}

export class GraphQLRequestError extends Error {
  override readonly name = 'GraphQLRequestError';
  readonly errors: readonly GraphQLErrorEntry[];

  constructor(errors: readonly GraphQLErrorEntry[]) {
    super(errors[0]?.message ?? 'The request failed.');
    this.errors = errors;
  }

  /** The first error's code, or undefined when the server gave none. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }

  /** A client-side failure with one of the client's own codes. */
  static local(code: 'NETWORK_ERROR' | 'BAD_RESPONSE', message: string): GraphQLRequestError {
    return new GraphQLRequestError([{ message, extensions: { code } }]);
  }
}

/** Wraps anything thrown by a call into a GraphQLRequestError, keeping one that already is. */
export function toRequestError(err: unknown): GraphQLRequestError {
  if (err instanceof GraphQLRequestError) return err;
  return GraphQLRequestError.local(
    'NETWORK_ERROR',
    'Could not reach the Parley server. Check your connection and try again.',
  );
}
