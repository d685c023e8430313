/**
 * Limits on query documents beside mercurius's depth limit: their size before parsing
 * (querySizeProblem), and their cost after it (maxSelections).
 */
import { GraphQLError, Lexer, Source, TokenKind, type ValidationContext, type ASTVisitor } from 'graphql';

/**
 * A validation rule: the number of field selections in an operation (aliases make a
 * shallow query wide). GraphiQL's introspection query has about 100; our own operations
 * a few dozen.
 */
export function maxSelections(limit: number) {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    let reported = false;
    return {
      Field() {
        count++;
        if (count > limit && !reported) {
          reported = true;
          context.reportError(
            new GraphQLError(`The query selects more than ${limit} fields; ask for less at once.`, {
              extensions: { code: 'QUERY_TOO_COMPLEX' },
            }),
          );
        }
      },
    };
  };
}

/**
 * The size of a query document, capped before it is parsed: its length in characters
 * and its number of lexical tokens. GraphiQL's introspection query has about 1,700
 * characters and 400 tokens; Parley's own operations a few hundred characters. Shared by
 * every transport (HTTP here, through a mercurius preParsing hook; the WebSocket
 * transport applies the same function to each subscribe message).
 */
export const QuerySizeLimits = {
  maxLength: 16 * 1024,
  maxTokens: 2_000,
} as const;

/** A QUERY_TOO_LARGE error for a document over the limits, or null. Lexes only what it must. */
export function querySizeProblem(source: string, limits: { maxLength: number; maxTokens: number } = QuerySizeLimits): GraphQLError | null {
  if (source.length > limits.maxLength) {
    return tooLarge(`The query is ${source.length} characters long; at most ${limits.maxLength} are accepted.`);
  }
  // Every token is at least one character: a short document cannot have too many.
  if (source.length <= limits.maxTokens) return null;
  const lexer = new Lexer(new Source(source));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF; ) {
      if (++count > limits.maxTokens) return tooLarge(`The query has more than ${limits.maxTokens} tokens; send a smaller one.`);
    }
  } catch {
    return null; // a syntax error: the parser reports it with its position
  }
  return null;
}

function tooLarge(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'QUERY_TOO_LARGE' } });
}
