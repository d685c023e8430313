/**
 * A subscription whose events run through graphql-jit: graphql-js opens the source stream
 * (variables, arguments and the subscribe resolver, as the spec says), and each event is
 * then executed by the compiled query instead of graphql-js's `execute`. graphql-jit's
 * own `subscribe` is not used: it hands the resolver the operation's variables as its
 * arguments (wrong as soon as an argument is a literal). Used by prepared.ts.
 */
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import type { CompiledQuery } from 'graphql-jit';
import { graphql } from './graphql-cjs.js';
import type { EventStream } from './prepared.js';

/** Starts the subscription; the subscribe resolver runs before this returns its promise. */
export async function jitOpen(args: ExecutionArgs, compiled: CompiledQuery): Promise<EventStream | ExecutionResult> {
  const stream = await graphql.createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult;
  const { contextValue, variableValues } = args;
  return {
    source: stream as AsyncIterableIterator<unknown>,
    map: (event) => compiled.query(event, contextValue, variableValues),
  };
}
