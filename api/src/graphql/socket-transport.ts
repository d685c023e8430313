/**
 * WebSocket /graphql on graphql-ws's own server (`makeServer`, protocol
 * graphql-transport-ws): it enforces the protocol (4400 bad message, 4401 subscribe before
 * the ack, 4408 no connection_init in time, 4409 duplicate id, 4429 second init). Every
 * operation, subscriptions included, comes prepared from PreparedOperations (parsed,
 * validated with our limits and compiled once); a document that fails gets an `error`
 * message and never runs.
 *
 * Order: graphql-ws handles a socket's messages concurrently, but it calls `onSubscribe`
 * synchronously as each message arrives. The operation is started right there, so a
 * client's signals reach the hub in the order they were sent.
 *
 * graphql/plugin.ts mounts `handler` as the wsHandler of mercurius's GET /graphql route.
 */
import type { ExecutionArgs, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { makeServer, type Context, type OperationResult } from 'graphql-ws';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MercuriusContext } from 'mercurius';
import type { WebSocket } from 'ws';
import { RoomRepository } from '../rooms/room-repository.js';
import { formatErrors } from './errors.js';
import { PreparedOperations } from './prepared.js';
import { sendCorked } from './socket-send.js';
import { graphql } from './graphql-cjs.js';

/** Seconds a new socket has to send connection_init (then 4408). */
export const CONNECTION_INIT_TIMEOUT_MS = 3_000;
/** Close code of a socket that ended without a close frame (RFC 6455). */
const CLOSE_ABNORMAL = 1006;

/** What graphql-ws keeps per connection beside its own state. */
interface Extra {
  socket: WebSocket;
  /** The resolvers' context, the same shape as over HTTP: one per connection. */
  context: MercuriusContext;
}

/** The operation already running when graphql-ws asks for it (see the order note above). */
const STARTED = Symbol('started');
type StartedArgs = ExecutionArgs & { [STARTED]: OperationResult };

export interface SocketTransport {
  /** The @fastify/websocket handler for GET /graphql upgrades. */
  handler(this: unknown, socket: WebSocket, request: FastifyRequest): void;
}

export function createSocketTransport(
  app: FastifyInstance,
  options: { schema: () => GraphQLSchema; lostSockets: WeakSet<WebSocket> },
): SocketTransport {
  let prepared: PreparedOperations | null = null;
  // mercurius builds the executable schema when it registers, after this transport exists.
  const operations = () => (prepared ??= new PreparedOperations(options.schema()));

  const server = makeServer<Record<string, unknown> | undefined, Extra>({
    connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
    onSubscribe(ctx: Context<Record<string, unknown> | undefined, Extra>, _id, payload) {
      const operation = operations().get(payload.query, payload.operationName);
      if (!('kind' in operation)) return operation.map(forGraphqlWs);
      const { context } = ctx.extra;
      const variables = payload.variables ?? undefined;
      const args: StartedArgs = {
        schema: options.schema(),
        document: operation.document,
        operationName: operation.operationName,
        variableValues: variables,
        contextValue: context,
        rootValue: undefined,
        [STARTED]: operation.kind === 'subscription' ? operation.subscribe(context, variables) : operation.execute(context, variables),
      };
      return args;
    },
    execute: (args) => (args as StartedArgs)[STARTED],
    subscribe: (args) => (args as StartedArgs)[STARTED],
    onNext(ctx, _id, _payload, _args, result: ExecutionResult) {
      if (!result.errors) return undefined;
      const { response } = formatErrors(result, ctx.extra.context);
      return { ...response, errors: response.errors?.map(withoutEmptyLocations) } as never;
    },
    onError(ctx, _id, _payload, errors) {
      return formatErrors({ errors: [...errors] }, ctx.extra.context).response.errors?.map(withoutEmptyLocations) as never;
    },
  });

  return {
    handler(socket, request) {
      const context = {
        app,
        socket,
        request,
        rooms: () => new RoomRepository(app.orm.em.fork()),
      } as unknown as MercuriusContext;
      const closed = server.opened(
        {
          protocol: socket.protocol,
          send: (data) => sendCorked(socket, data),
          close: (code, reason) => socket.close(code, reason),
          onMessage: (cb) =>
            socket.on('message', (data, isBinary) => {
              if (isBinary) {
                socket.close(4400, 'Invalid message received');
                return;
              }
              cb(String(data)).catch((err: unknown) => fault(app, socket, err));
            }),
        },
        { socket, context },
      );
      socket.once('close', (code, reason) => {
        // Before the streams end: a participant whose socket died may come back (resume).
        if (code === CLOSE_ABNORMAL) options.lostSockets.add(socket);
        closed(code, String(reason)).catch((err: unknown) => app.log.error({ err }, 'closing a socket failed'));
      });
    },
  };
}

/**
 * The same error as graphql-ws's copy of GraphQLError, which it checks with `instanceof`
 * (limits.ts builds its errors with whichever copy `import` finds).
 */
function forGraphqlWs(error: GraphQLError): GraphQLError {
  return new graphql.GraphQLError(error.message, { source: error.source, positions: error.positions, extensions: error.extensions });
}

/** Cached documents carry no locations: say nothing rather than `locations: []`. */
function withoutEmptyLocations<E extends { locations?: readonly unknown[] }>(error: E): E {
  if (error.locations?.length !== 0) return error;
  const { locations: _none, ...rest } = error;
  return rest as E;
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
