/**
 * Operations prepared once and reused: the socket transport (socket-transport.ts) asks
 * `PreparedOperations.get` for every `subscribe` message. A document is parsed once
 * (without locations), validated once (our depth and selection limits first, then the
 * schema's rules) and compiled once with graphql-jit; graphql-js executes the few documents jit
 * refuses. A bounded LRU keyed by query text and operation name holds the results, so a
 * signal costs a map lookup, not a parse and a validation.
 *
 * A document that fails is not cached: it is re-parsed with locations so its errors point
 * into the query, as they do over HTTP.
 */
import type {
  DocumentNode,
  ExecutionResult,
  GraphQLError,
  GraphQLSchema,
  OperationTypeNode,
  ValidationRule,
} from 'graphql';
import type { CompiledQuery } from 'graphql-jit';
import { graphql, jit } from './graphql-cjs.js';
import { jitOpen } from './jit-subscribe.js';
import { withCode } from './errors.js';
import { MAX_DEPTH, MAX_DOCUMENT_TOKENS, MAX_SELECTIONS, documentTooLarge, maxDepth, maxSelections } from './limits.js';

const { execute, getOperationAST, parse, specifiedRules, subscribe, validate, GraphQLError: CjsGraphQLError } = graphql;
const { compileQuery, isCompiledQuery } = jit;

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * A subscription's source stream and how each of its events becomes a result: the
 * transport pulls `source` and writes `map(event)` itself, with no iterator in between.
 */
export interface EventStream {
  readonly source: AsyncIterator<unknown>;
  map(event: unknown): Result;
}

/** A valid operation, ready to run with a request's variables and context. */
export interface PreparedOperation {
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly kind: OperationTypeNode;
  /** Runs a query or mutation; resolvers start synchronously, before this returns. */
  execute(context: unknown, variables: Record<string, unknown> | null | undefined): Result;
  /**
   * Starts a subscription; its resolver starts synchronously, before this returns. Resolves
   * to its events, or to a result with the errors that refused it.
   */
  open(context: unknown, variables: Record<string, unknown> | null | undefined): Promise<EventStream | ExecutionResult>;
}

/** Our limits: linear in the document, checked before graphql-js's rules (some are quadratic). */
export const LIMIT_RULES: readonly ValidationRule[] = [maxDepth(MAX_DEPTH), maxSelections(MAX_SELECTIONS)];

export class PreparedOperations {
  readonly #cache = new Map<string, PreparedOperation>();
  /** The most recently used entry (the LRU's last one), compared by text before any lookup. */
  #last: { query: string; operationName: string; operation: PreparedOperation } | null = null;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly capacity = 256,
  ) {}

  get size(): number {
    return this.#cache.size;
  }

  /** The prepared operation for a query, or the errors that refuse it (each with extensions.code). */
  get(query: string, operationName?: string | null): PreparedOperation | readonly GraphQLError[] {
    // The same document again (a stream of signals): no key to build and hash, no reordering.
    const last = this.#last;
    if (last && last.query === query && last.operationName === (operationName ?? '')) return last.operation;
    const key = `${operationName ?? ''}\n${query}`;
    const hit = this.#cache.get(key);
    if (hit) {
      this.#last = { query, operationName: operationName ?? '', operation: hit };
      // Most recently used last: Map keeps insertion order.
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit;
    }
    const prepared = this.#prepare(query, operationName ?? undefined);
    if (Array.isArray(prepared)) return prepared;
    const operation = prepared as PreparedOperation;
    this.#cache.set(key, operation);
    this.#last = { query, operationName: operationName ?? '', operation };
    if (this.#cache.size > this.capacity) this.#cache.delete(this.#cache.keys().next().value as string);
    return operation;
  }

  #prepare(query: string, operationName: string | undefined): PreparedOperation | GraphQLError[] {
    const tooLarge = documentTooLarge(query);
    if (tooLarge) return [tooLarge];
    let document: DocumentNode;
    try {
      document = parse(query, { noLocation: true, maxTokens: MAX_DOCUMENT_TOKENS });
    } catch (err) {
      return [asValidationError(err)];
    }
    const overLimit = validate(this.schema, document, LIMIT_RULES);
    if (overLimit.length > 0) return [...overLimit];
    if (validate(this.schema, document, specifiedRules).length > 0) return this.#locatedErrors(query);
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      const message = operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.';
      return [withCode(new CjsGraphQLError(message), 'GRAPHQL_VALIDATION_FAILED')];
    }
    const compiled = compileQuery(this.schema, document, operationName, { disablingCapturingStackErrors: true });
    return isCompiledQuery(compiled)
      ? jitOperation(this.schema, document, operationName, operation.operation, compiled)
      : graphqlJsOperation(this.schema, document, operationName, operation.operation);
  }

  /** The validation errors again, from a parse that keeps locations (failures only). */
  #locatedErrors(query: string): GraphQLError[] {
    const document = parse(query, { maxTokens: MAX_DOCUMENT_TOKENS });
    return validate(this.schema, document, specifiedRules).map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
  }
}

function jitOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  kind: OperationTypeNode,
  compiled: CompiledQuery,
): PreparedOperation {
  return {
    document,
    operationName,
    kind,
    execute: (context, variables) => compiled.query(undefined, context, variables),
    open: (contextValue, variableValues) => jitOpen({ schema, document, operationName, contextValue, variableValues }, compiled),
  };
}

function graphqlJsOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  kind: OperationTypeNode,
): PreparedOperation {
  return {
    document,
    operationName,
    kind,
    execute: (contextValue, variableValues) => execute({ schema, document, operationName, contextValue, variableValues }),
    open: async (contextValue, variableValues) => {
      const events = await subscribe({ schema, document, operationName, contextValue, variableValues });
      return Symbol.asyncIterator in events ? { source: events, map: asIs } : events;
    },
  };
}

const asIs = (result: unknown) => result as ExecutionResult;

/** A syntax error, coded as over HTTP; past the token cap (graphql-js spells it "more that"), QUERY_TOO_LARGE. */
function asValidationError(err: unknown): GraphQLError {
  const error = err instanceof CjsGraphQLError ? err : new CjsGraphQLError(err instanceof Error ? err.message : String(err));
  return withCode(error, /contains more tha[nt] \d+ tokens/.test(error.message) ? 'QUERY_TOO_LARGE' : 'GRAPHQL_VALIDATION_FAILED');
}
