/**
 * The GraphQL transport: mercurius on /graphql over HTTP POST and WebSocket
 * (graphql-transport-ws), with queries and mutations also executed on the socket so a
 * client's signals share one ordered channel with its subscription.
 */
import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import mercurius from 'mercurius';
import type { WebSocket } from 'ws';
import { SignalingHub, type Member } from '../signaling/hub.js';
import { RoomRepository } from '../rooms/room-repository.js';
import { buildResolvers } from './resolvers.js';
import { formatErrors } from './errors.js';
import { startHeartbeat } from './heartbeat.js';
import { guardSocket } from './ws-guard.js';
import './context.js';

declare module 'fastify' {
  interface FastifyInstance {
    hub: SignalingHub;
    /** The socket each joined member's subscription runs on, to cut off slow consumers. */
    signalingSockets: WeakMap<Member, WebSocket>;
  }
}

const schema = readFileSync(new URL('../../../schema.graphql', import.meta.url), 'utf8');

/** Close code for a participant cut off for not reading its events (RFC 6455 "try again later"). */
const CLOSE_SLOW_CONSUMER = 1013;
/** How often the server pings each socket; a socket that missed one ping is dropped. */
export const HEARTBEAT_MS = 5_000;

export default fp(
  async (app) => {
    const sockets = new WeakMap<Member, WebSocket>();
    const hub = new SignalingHub({
      maxParticipants: app.config.maxParticipants,
      onLeave: (member, reason) => {
        app.log.debug({ participant: member.participant.id, room: member.roomId, reason }, 'participant left');
        if (reason === 'overflow') {
          app.log.warn({ participant: member.participant.id }, 'slow consumer cut off');
          sockets.get(member)?.close(CLOSE_SLOW_CONSUMER, 'Too many undelivered events');
        }
      },
    });
    app.decorate('hub', hub);
    app.decorate('signalingSockets', sockets);

    await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
    app.websocketServer.on('connection', guardSocket);
    const heartbeat = startHeartbeat(app.websocketServer, HEARTBEAT_MS);

    await app.register(mercurius, {
      schema,
      resolvers: buildResolvers(app) as never,
      path: '/graphql',
      graphiql: false,
      errorFormatter: formatErrors,
      context: () => ({ rooms: () => new RoomRepository(app.orm.em.fork()) }),
      subscription: {
        fullWsTransport: true,
        // graphql-transport-ws pings as well; the WebSocket heartbeat above finds dead peers.
        keepAlive: 10_000,
        context: (socket: WebSocket) => ({
          socket,
          rooms: () => new RoomRepository(app.orm.em.fork()),
        }),
      },
    });

    app.addHook('onClose', async () => {
      heartbeat.stop();
      hub.leaveAll('shutdown');
      for (const client of app.websocketServer.clients) client.close(1001, 'Server shutting down');
    });
  },
  { name: 'parley-graphql', dependencies: ['parley-config', 'parley-db', 'parley-stun'] },
);
