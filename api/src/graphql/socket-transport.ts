/**
 * WebSocket /graphql on graphql-ws's own server (`makeServer`, protocol
 * graphql-transport-ws): it enforces the protocol (4400 bad message, 4401 subscribe before
 * the ack, 4408 no connection_init in time, 4409 duplicate id, 4429 second init) and
 * handles connection_init, ping, pong and complete. Every operation, subscriptions
 * included, comes prepared from PreparedOperations (parsed, validated with our limits and
 * compiled once); a document that fails gets an `error` message and never runs.
 *
 * The hot path (a signal is a `subscribe` message of the sendSignal mutation) runs here
 * rather than through graphql-ws's generic loop: a well-formed `subscribe` on an
 * acknowledged connection, with an id not in use, is parsed once, run at once, and a
 * mutation that completes synchronously (every in-process one) gets its `next` and
 * `complete` written in the same tick (one corked TCP write), with no promise in between.
 * A subscription's events are pulled from its source stream and written one by one, the
 * next pulled only after the last was handed to the socket (the slow-consumer cut relies
 * on that). Any other message, or one that breaks the protocol, goes to graphql-ws
 * unchanged, so its close codes and state (`ctx.subscriptions`, read here too) stay the
 * single truth; the messages and their order are those graphql-ws would send.
 *
 * Order: a socket's operations start synchronously as each message arrives, so a client's
 * signals reach the hub in the order they were sent.
 *
 * graphql/plugin.ts mounts `handler` as the wsHandler of mercurius's GET /graphql route.
 */
import type { ExecutionResult, GraphQLError } from 'graphql';
import { makeServer, type Context } from 'graphql-ws';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MercuriusContext } from 'mercurius';
import type { WebSocket } from 'ws';
import { RoomRepository } from '../rooms/room-repository.js';
import { formatErrors } from './errors.js';
import { PreparedOperations, type EventStream, type PreparedOperation } from './prepared.js';
import { sendCorked } from './socket-send.js';
import { graphql } from './graphql-cjs.js';
import { Mailbox } from '../signaling/mailbox.js';

/** Seconds a new socket has to send connection_init (then 4408). */
export const CONNECTION_INIT_TIMEOUT_MS = 3_000;
/** Close code of a socket that ended without a close frame (RFC 6455). */
const CLOSE_ABNORMAL = 1006;

type Variables = Record<string, unknown> | null | undefined;
type ConnectionState = Context<Record<string, unknown> | undefined, Extra>;

/** What graphql-ws keeps per connection beside its own state. */
interface Extra {
  socket: WebSocket;
  /** The resolvers' context, the same shape as over HTTP: one per connection. */
  context: MercuriusContext;
  /** graphql-ws's state of this connection, known once connection_init arrived. */
  state?: ConnectionState;
}

/** The `payload` of a `subscribe` message, as graphql-ws checks it. */
interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Variables;
}

export interface SocketTransport {
  /** The @fastify/websocket handler for GET /graphql upgrades. */
  handler(this: unknown, socket: WebSocket, request: FastifyRequest): void;
}

export function createSocketTransport(
  app: FastifyInstance,
  options: { schema: () => import('graphql').GraphQLSchema; lostSockets: WeakSet<WebSocket> },
): SocketTransport {
  let prepared: PreparedOperations | null = null;
  // mercurius builds the executable schema when it registers, after this transport exists.
  const operations = () => (prepared ??= new PreparedOperations(options.schema()));

  // graphql-ws runs connection_init, ping, pong, complete and every malformed message;
  // `subscribe` messages it sees are only those refused before they run (4401, 4409).
  const server = makeServer<Record<string, unknown> | undefined, Extra>({
    connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
    onConnect(ctx) {
      ctx.extra.state = ctx;
      return undefined;
    },
    onSubscribe() {
      // Unreachable: a subscribe graphql-ws accepts, the fast path below took first.
      throw new Error('subscribe reached graphql-ws');
    },
  });

  // One function for every connection: each call forks its own EntityManager.
  const rooms = () => new RoomRepository(app.orm.em.fork());

  return {
    handler(socket, request) {
      const context = { app, socket, request, rooms } as unknown as MercuriusContext;
      const extra: Extra = { socket, context };
      const closed = server.opened(
        {
          protocol: socket.protocol,
          send: (data) => sendCorked(socket, data),
          close: (code, reason) => socket.close(code, reason),
          onMessage: (graphqlWs) =>
            socket.on('message', (data, isBinary) => {
              if (isBinary) {
                socket.close(4400, 'Invalid message received');
                return;
              }
              const text = String(data);
              try {
                if (ownSubscribe(text)) return;
              } catch (err) {
                fault(app, socket, err);
                return;
              }
              graphqlWs(text).catch((err: unknown) => fault(app, socket, err));
            }),
        },
        extra,
      );
      socket.once('close', (code, reason) => {
        // Before the streams end: a participant whose socket died may come back (resume).
        if (code === CLOSE_ABNORMAL) options.lostSockets.add(socket);
        closed(code, String(reason)).catch((err: unknown) => app.log.error({ err }, 'closing a socket failed'));
      });

      /** Runs a well-formed `subscribe` the protocol allows now; false leaves the message to graphql-ws. */
      function ownSubscribe(text: string): boolean {
        const state = extra.state;
        if (!state?.acknowledged) return false;
        let message: unknown;
        try {
          message = JSON.parse(text);
        } catch {
          return false;
        }
        if (!isObject(message) || message.type !== 'subscribe') return false;
        const { id, payload } = message;
        if (typeof id !== 'string' || id === '' || !isSubscribePayload(payload) || id in state.subscriptions) return false;
        start(state, id, payload);
        return true;
      }

      function start(state: ConnectionState, id: string, payload: SubscribePayload): void {
        const idJson = JSON.stringify(id);
        const operation = operations().get(payload.query, payload.operationName);
        if (!('kind' in operation)) {
          sendCorked(socket, errorMessage(idJson, operation, context));
          return;
        }
        const variables = payload.variables ?? undefined;
        if (operation.kind === 'subscription') {
          subscribe(state, id, idJson, operation, variables);
          return;
        }
        const result = operation.execute(context, variables);
        if (!isPromise(result)) {
          // Nothing can complete or reuse the id meanwhile. Answered in a microtask: after
          // the recipient's pump (woken by the relay, so queued first) wrote the signal on,
          // so the sender's answer is not a write on the signal's way.
          queueMicrotask(() => {
            sendCorked(socket, nextMessage(idJson, result, context));
            sendCorked(socket, completeMessage(idJson));
          });
          return;
        }
        state.subscriptions[id] = null;
        result.then(
          (done) => {
            // A client's `complete` (or the socket's close) meanwhile: nothing more is sent.
            if (!(id in state.subscriptions)) return;
            delete state.subscriptions[id];
            sendCorked(socket, nextMessage(idJson, done, context));
            sendCorked(socket, completeMessage(idJson));
          },
          (err: unknown) => {
            delete state.subscriptions[id];
            fault(app, socket, err);
          },
        );
      }

      function subscribe(state: ConnectionState, id: string, idJson: string, operation: PreparedOperation, variables: Variables): void {
        state.subscriptions[id] = null;
        operation.open(context, variables).then(
          (opened) => {
            if (!('source' in opened)) {
              if (id in state.subscriptions) {
                delete state.subscriptions[id];
                sendCorked(socket, nextMessage(idJson, opened, context));
                sendCorked(socket, completeMessage(idJson));
              }
              return;
            }
            if (!(id in state.subscriptions)) {
              // Completed by the client, or the socket closed, while the subscription started.
              void opened.source.return?.();
              return;
            }
            const handle = streamHandle(opened);
            state.subscriptions[id] = handle as never;
            if (opened.source instanceof Mailbox) listen(state, id, idJson, opened, opened.source as Mailbox<unknown>, handle);
            else void pump(state, id, idJson, opened, handle);
          },
          (err: unknown) => {
            delete state.subscriptions[id];
            fault(app, socket, err);
          },
        );
      }

      /**
       * A participant's events (the mailbox behind joinRoom), written as each is pushed: no
       * promise per event. The same messages as `pump`, in the same order.
       */
      function listen(state: ConnectionState, id: string, idJson: string, stream: EventStream, box: Mailbox<unknown>, handle: object): void {
        let failed = false;
        const fail = (err: unknown) => {
          failed = true;
          const original = err instanceof Error ? err : new Error(String(err));
          sendCorked(socket, errorMessage(idJson, [new graphql.GraphQLError(original.message, { originalError: original })], context));
          if (state.subscriptions[id] === handle) delete state.subscriptions[id];
          void box.return();
        };
        const write = (result: ExecutionResult) => sendCorked(socket, nextMessage(idJson, result, context));
        box.listen({
          event(event) {
            if (failed) return undefined;
            try {
              const result = stream.map(event);
              // Resolved out of line: the mailbox waits for it, so order holds.
              if (isPromise(result)) return result.then(write).then(undefined, fail);
              return write(result);
            } catch (err) {
              fail(err);
              return undefined;
            }
          },
          end() {
            // A microtask later, as the pulling pump would: after a cut-off's close frame,
            // so a client never reads this `complete` as the end of its call.
            queueMicrotask(() => {
              if (failed || state.subscriptions[id] !== handle) return;
              delete state.subscriptions[id];
              sendCorked(socket, completeMessage(idJson));
            });
          },
        });
      }

      /** Writes a subscription's events as they come; then `complete`, unless the client ended it. */
      async function pump(state: ConnectionState, id: string, idJson: string, stream: EventStream, handle: object): Promise<void> {
        try {
          for (;;) {
            const step = await stream.source.next();
            if (step.done) break;
            let result = stream.map(step.value);
            if (isPromise(result)) result = await result;
            const written = sendCorked(socket, nextMessage(idJson, result, context));
            // A client that stops reading: the next event waits, its mailbox fills (slow-consumer cut).
            if (written) await written;
          }
        } catch (err) {
          const original = err instanceof Error ? err : new Error(String(err));
          sendCorked(socket, errorMessage(idJson, [new graphql.GraphQLError(original.message, { originalError: original })], context));
          if (state.subscriptions[id] === handle) delete state.subscriptions[id];
          return;
        }
        if (state.subscriptions[id] === handle) {
          delete state.subscriptions[id];
          sendCorked(socket, completeMessage(idJson));
        }
      }
    },
  };
}

/**
 * What graphql-ws keeps in `ctx.subscriptions` for a running subscription: it calls
 * `return()` when the client completes it or the socket closes, which ends the source
 * (the participant's mailbox) and so the pump.
 */
function streamHandle(stream: EventStream): AsyncIterableIterator<never> {
  const end = async (): Promise<IteratorResult<never>> => {
    await stream.source.return?.();
    return { value: undefined, done: true };
  };
  return {
    next: end,
    return: end,
    throw: end,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function nextMessage(idJson: string, result: ExecutionResult, context: MercuriusContext): string {
  const payload = result.errors ? shapedResult(result, context) : result;
  return `{"id":${idJson},"type":"next","payload":${JSON.stringify(payload)}}`;
}

function completeMessage(idJson: string): string {
  return `{"id":${idJson},"type":"complete"}`;
}

function errorMessage(idJson: string, errors: readonly GraphQLError[], context: MercuriusContext): string {
  const shaped = formatErrors({ errors: [...errors] }, context).response.errors?.map(withoutEmptyLocations);
  return `{"id":${idJson},"type":"error","payload":${JSON.stringify(shaped)}}`;
}

/** A result with errors, shaped as over HTTP (errors.ts). */
function shapedResult(result: ExecutionResult, context: MercuriusContext): unknown {
  const { response } = formatErrors(result, context);
  return { ...response, errors: response.errors?.map(withoutEmptyLocations) };
}

/** Cached documents carry no locations: say nothing rather than `locations: []`. */
function withoutEmptyLocations<E extends { locations?: readonly unknown[] }>(error: E): E {
  if (error.locations?.length !== 0) return error;
  const { locations: _none, ...rest } = error;
  return rest as E;
}

/** graphql-ws's test: a non-null object that is not an array. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** graphql-ws's checks of a `subscribe` payload (a failure is graphql-ws's to close with 4400). */
function isSubscribePayload(payload: unknown): payload is SubscribePayload {
  if (!isObject(payload) || typeof payload.query !== 'string') return false;
  const { variables, operationName, extensions } = payload;
  return (
    (variables == null || isObject(variables)) &&
    (operationName == null || typeof operationName === 'string') &&
    (extensions == null || isObject(extensions))
  );
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** A message the server cannot handle: the client's fault (4400) or ours (4500, logged). */
function fault(app: FastifyInstance, socket: WebSocket, err: unknown): void {
  // graphql-ws throws this for well-formed messages only a server may send (next, error).
  if (err instanceof Error && err.message.startsWith('Unexpected message of type')) {
    socket.close(4400, 'Invalid message received');
    return;
  }
  app.log.error({ err }, 'WebSocket message handling failed');
  socket.close(4500, 'Internal server error');
}
