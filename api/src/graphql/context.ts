/** What every resolver gets in its context, beyond mercurius's own fields. */
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { RoomRepository } from '../rooms/room-repository.js';

declare module 'mercurius' {
  interface MercuriusContext {
    /** Rooms in the database, over an EntityManager forked for this operation. */
    rooms: () => RoomRepository;
    /** The WebSocket a subscription or socket-borne mutation came on; absent over HTTP. */
    socket?: WebSocket;
    /** The WebSocket's upgrade request (its `ip` honours TRUST_PROXY); over HTTP, use `reply.request`. */
    request?: FastifyRequest;
  }
}
