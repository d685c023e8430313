/**
 * A cost limit on queries beside mercurius's depth limit: the number of field selections
 * in an operation (aliases make a shallow query wide). GraphiQL's introspection query has
 * about 100; our own operations a few dozen.
 */
import { GraphQLError, type ValidationContext, type ASTVisitor } from 'graphql';

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
