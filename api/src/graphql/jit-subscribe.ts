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

type Events = AsyncIterableIterator<ExecutionResult>;

/** Starts the subscription; the subscribe resolver runs before this returns its promise. */
export async function jitSubscribe(args: ExecutionArgs, compiled: CompiledQuery): Promise<Events | ExecutionResult> {
  const stream = await graphql.createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult;
  const { contextValue, variableValues } = args;
  return mapEvents(stream as AsyncIterableIterator<unknown>, (event) => compiled.query(event, contextValue, variableValues));
}

/** The stream's events mapped one by one; return() ends the source (the participant leaves). */
function mapEvents(source: AsyncIterableIterator<unknown>, map: (event: unknown) => ExecutionResult | Promise<ExecutionResult>): Events {
  const step = async (result: IteratorResult<unknown>): Promise<IteratorResult<ExecutionResult>> =>
    result.done ? { value: undefined, done: true } : { value: await map(result.value), done: false };
  return {
    next: () => source.next().then(step),
    return: async () => {
      await source.return?.();
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
