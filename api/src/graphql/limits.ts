/**
 * Cost limits on GraphQL documents, shared by both transports (mercurius over HTTP,
 * graphql-ws on the socket, see prepared.ts):
 *  - the number of field selections in an operation (aliases make a shallow query wide);
 *    GraphiQL's introspection query has about 100, our own operations a few dozen;
 *  - the nesting depth, counted as mercurius's `queryDepth` counts it (fields and inline
 *    fragments add a level, fragment spreads do not);
 *  - the document's length and token count, checked before anything is built from it.
 */
import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';

/** Selections per operation; GraphiQL's introspection query has about 100. */
export const MAX_SELECTIONS = 500;
/** Nesting depth: deep enough for GraphiQL's introspection query (13), shallow enough to stop abuse. */
export const MAX_DEPTH = 16;
/** Characters of query text; large values belong in variables. */
export const MAX_DOCUMENT_CHARS = 64 * 1024;
/** Lexical tokens the parser reads before giving up (graphql-js `maxTokens`). */
export const MAX_DOCUMENT_TOKENS = 10_000;

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

/** A validation rule refusing operations nested deeper than `limit`. */
export function maxDepth(limit: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, number>();
    const visiting = new Set<string>();
    const depthOf = (set: SelectionSetNode | undefined, level: number): number => {
      if (!set || level > limit) return level;
      let deepest = level;
      for (const selection of set.selections) {
        let depth: number;
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          depth = level + fragmentDepth(context.getFragment(selection.name.value));
        } else {
          depth = depthOf(selection.selectionSet, level + 1);
        }
        if (depth > deepest) deepest = depth;
        if (deepest > limit) break;
      }
      return deepest;
    };
    const fragmentDepth = (fragment: FragmentDefinitionNode | null | undefined): number => {
      if (!fragment) return 0;
      const name = fragment.name.value;
      const known = fragments.get(name);
      if (known !== undefined) return known;
      // A cycle is its own validation error (NoFragmentCycles); count it as too deep.
      if (visiting.has(name)) return Infinity;
      visiting.add(name);
      const depth = depthOf(fragment.selectionSet, 0);
      visiting.delete(name);
      fragments.set(name, depth);
      return depth;
    };
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, 0);
        if (depth > limit) {
          context.reportError(
            new GraphQLError(`The query is nested deeper than ${limit} levels; ask for less at once.`, {
              extensions: { code: 'QUERY_TOO_COMPLEX' },
            }),
          );
        }
        return false;
      },
    };
  };
}

/** Why a query text is refused before parsing, or null when its length is fine. */
export function documentTooLarge(query: string): GraphQLError | null {
  if (query.length <= MAX_DOCUMENT_CHARS) return null;
  return new GraphQLError(
    `The query is longer than ${MAX_DOCUMENT_CHARS} characters; pass large values as variables.`,
    { extensions: { code: 'QUERY_TOO_LARGE' } },
  );
}
