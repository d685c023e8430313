/**
 * Shapes errors for clients, over HTTP (mercurius) and the socket (socket-transport.ts).
 * Domain errors (ParleyError) already carry their `extensions.code`; GraphQL validation
 * errors, and variables refused before anything ran (no data), get
 * GRAPHQL_VALIDATION_FAILED; a request
 * Fastify refused (malformed JSON, a body too large) gets BAD_REQUEST with its status;
 * anything else is an internal fault: logged in full, shown to the client as a plain
 * sentence with INTERNAL_SERVER_ERROR, never with a stack or a database message.
 */
import { GraphQLError, type ExecutionResult } from 'graphql';
import mercurius, { type MercuriusContext } from 'mercurius';
import { ErrorCode, ParleyError } from '../rooms/errors.js';

type Execution = ExecutionResult & { statusCode?: number };
type OriginalError = Error & { errors?: unknown; statusCode?: number; code?: string };

export function formatErrors(execution: Execution, ctx: MercuriusContext) {
  let statusCode = execution.statusCode;
  const refused = execution.data === undefined;
  const errors = (execution.errors ?? []).map((error) => {
    const original = error.originalError as OriginalError | undefined;
    if (!original && refused) return withCode(error, 'GRAPHQL_VALIDATION_FAILED');
    if (original instanceof ParleyError && original.code === ErrorCode.DATABASE_UNAVAILABLE) {
      ctx.app.log.error({ err: original.cause, path: error.path }, 'database unavailable');
    }
    if (original && !(original instanceof ParleyError) && !(original instanceof GraphQLError)) {
      if (Array.isArray(original.errors)) {
        original.errors = (original.errors as GraphQLError[]).map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
        statusCode ??= original.statusCode;
      } else if (original instanceof mercurius.ErrorWithProps) {
        // Already shaped by whoever threw it.
      } else if (typeof original.statusCode === 'number' && original.statusCode < 500) {
        statusCode = original.statusCode;
        return new GraphQLError(original.message, { extensions: { code: 'BAD_REQUEST' } });
      } else {
        ctx.app.log.error({ err: original, path: error.path }, 'resolver failed');
        return new GraphQLError('Something went wrong on our side. Try again in a moment.', {
          nodes: error.nodes,
          path: error.path,
          extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
        });
      }
    }
    return error;
  });
  const shaped: ExecutionResult & { errors: GraphQLError[] } = Object.assign({ ...execution, errors }, { statusCode });
  return mercurius.defaultErrorFormatter(shaped, ctx);
}

/** The error with `code` unless it has one; a copy, as graphql-jit freezes its errors. */
export function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions?.code) return error;
  const { message, source, positions, path, originalError, extensions } = error;
  return new GraphQLError(message, { source, positions, path, originalError, extensions: { ...extensions, code } });
}
