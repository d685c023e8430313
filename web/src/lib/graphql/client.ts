/**
 * The browser's only way to the API: `request` for queries and mutations over HTTP POST,
 * `subscribe` for subscriptions over one shared graphql-ws socket, and `mutate` for the
 * mutations that must travel on that socket too (signals keep their order there). Documents come typed
 * from ./operations.ts, so results and variables are checked at compile time.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { GraphQLRequestError, toRequestError, type GraphQLErrorEntry } from './errors';

export { GraphQLRequestError } from './errors';

/** Operations without variables may omit them; all others must pass them. */
type VariablesArg<TVars> = [TVars] extends [Record<string, never>] ? [variables?: TVars] : [variables: TVars];

interface GraphQLResponse<TResult> {
  data?: TResult | null;
  errors?: GraphQLErrorEntry[];
}

const printed = new WeakMap<object, string>();

/** Documents are module constants: print each once. */
function queryText(document: TypedDocumentNode<unknown, never>): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/**
 * Runs a query or mutation. Resolves to `data`; rejects with a GraphQLRequestError when
 * the response has errors, is not GraphQL, or the server cannot be reached.
 */
export async function request<TResult, TVars>(
  document: TypedDocumentNode<TResult, TVars>,
  ...[variables]: VariablesArg<TVars>
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: queryText(document), variables: variables ?? {} }),
    });
  } catch (err) {
    throw toRequestError(err);
  }

  // mercurius answers validation errors with 400 and a GraphQL body: read the body first.
  let body: GraphQLResponse<TResult>;
  try {
    body = (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    throw GraphQLRequestError.local(
      'BAD_RESPONSE',
      `The server answered ${response.status} ${response.statusText} instead of a GraphQL response.`,
    );
  }
  if (body.errors && body.errors.length > 0) throw new GraphQLRequestError(body.errors);
  if (body.data == null) {
    throw GraphQLRequestError.local('BAD_RESPONSE', 'The server answered without data.');
  }
  return body.data;
}

/** What a subscription reports to its caller. */
export interface SubscriptionSink<TResult> {
  next(data: TResult): void;
  error(error: GraphQLRequestError): void;
  complete(): void;
}

let wsClient: Client | undefined;

/**
 * How long the socket stays open after its last operation ended. The room page asks for
 * the ICE servers on this socket when it loads (lib/rtc/ice-servers.ts), so "Join call"
 * finds it open and acknowledged: the join is one round trip instead of three
 * (docs/call-setup.md).
 */
export const WARM_SOCKET_MS = 60_000;

/** The socket is opened on the first operation and shared by all of them. */
function liveClient(): Client {
  wsClient ??= createClient({
    url: () => {
      const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      return `${scheme}//${location.host}/graphql`;
    },
    lazy: true,
    lazyCloseTimeout: WARM_SOCKET_MS,
    // No automatic retries: graphql-ws would re-subscribe with the original variables,
    // and joinRoom must come back with the latest resume token. The room channel
    // (lib/rtc/signaling-channel.ts) reconnects with backoff itself.
    retryAttempts: 0,
    // A socket that opens but is never acknowledged counts as a failed attempt.
    connectionAckWaitTimeout: 10_000,
  });
  return wsClient;
}

/**
 * Starts a subscription. Returns the function that ends it (for joinRoom: leaving).
 * Errors of any kind — GraphQL errors, a refused subscription, a lost socket — reach
 * `sink.error` as a GraphQLRequestError; nothing further is delivered after it.
 */
export function subscribe<TResult, TVars>(
  document: TypedDocumentNode<TResult, TVars>,
  variables: TVars,
  sink: SubscriptionSink<TResult>,
): () => void {
  let done = false;
  const finish = (err?: GraphQLRequestError): void => {
    if (done) return;
    done = true;
    if (err) sink.error(err);
    else sink.complete();
  };
  const stop = liveClient().subscribe<TResult>(
    { query: queryText(document), variables: variables as Record<string, unknown> },
    {
      next(result) {
        if (done) return;
        if (result.errors && result.errors.length > 0) {
          finish(new GraphQLRequestError(result.errors as GraphQLErrorEntry[]));
          stop();
        } else if (result.data != null) {
          sink.next(result.data);
        }
      },
      error(err) {
        finish(Array.isArray(err) ? new GraphQLRequestError(err as GraphQLErrorEntry[]) : toRequestError(err));
      },
      complete() {
        finish();
      },
    },
  );
  return () => {
    done = true;
    stop();
  };
}

/**
 * Runs a mutation (or a query) over the shared socket (graphql-ws sends it as a
 * one-result subscription). The server handles one socket's messages in order, so
 * mutations sent this way arrive after, and in the order of, everything sent before them.
 */
export function mutate<TResult, TVars>(
  document: TypedDocumentNode<TResult, TVars>,
  variables: TVars,
): Promise<TResult> {
  return new Promise((resolve, reject) => {
    let result: TResult | undefined;
    subscribe(document, variables, {
      next: (data) => (result = data),
      error: reject,
      complete: () =>
        result === undefined
          ? reject(GraphQLRequestError.local('BAD_RESPONSE', 'The server answered without data.'))
          : resolve(result),
    });
  });
}

/** Closes the shared socket (tests, or a page that wants to leave every call at once). */
export async function closeLive(): Promise<void> {
  const client = wsClient;
  wsClient = undefined;
  await client?.dispose();
}
