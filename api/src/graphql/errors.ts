/**
 * Shapes errors for clients. Domain errors (ParleyError) already carry their
 * `extensions.code`; GraphQL validation errors get GRAPHQL_VALIDATION_FAILED; a request
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
  const errors = (execution.errors ?? []).map((error) => {
    const original = error.originalError as OriginalError | undefined;
    if (original instanceof ParleyError && original.code === ErrorCode.DATABASE_UNAVAILABLE) {
      ctx.app.log.error({ err: original.cause, path: error.path }, 'database unavailable');
    }
    if (original && !(original instanceof ParleyError) && !(original instanceof GraphQLError)) {
      if (Array.isArray(original.errors)) {
        for (const e of original.errors as GraphQLError[]) withCode(e, 'GRAPHQL_VALIDATION_FAILED');
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

function withCode(error: GraphQLError, code: string): void {
  if (!error.extensions?.code) {
    (error as { extensions: Record<string, unknown> }).extensions = { ...error.extensions, code };
  }
}
