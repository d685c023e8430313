/**
 * The GraphQL transport adapter: each resolver validates its arguments through the
 * room service or the signaling hub and maps the result onto the schema's types.
 */
import type { FastifyInstance } from 'fastify';
import type { Resolvers } from './generated/resolvers.js';
import { DateTime, JSONScalar, readableJson } from './scalars.js';
import { KnownRooms, createRoom, findRoom } from '../rooms/room-service.js';
import { ErrorCode, ParleyError } from '../rooms/errors.js';
import { stunUrl } from '../stun/ice-servers.js';
import type { ParticipantView, RoomEvent } from '../signaling/types.js';
import { turnIceServer } from '../turn/credentials.js';
import { RequestBudgets } from './rate-limits.js';
import { ChatRepository } from '../chat/chat-repository.js';
import { ChatService } from '../chat/chat-service.js';
import type { MercuriusContext } from 'mercurius';

/** The client's address: the HTTP request's, or the WebSocket upgrade request's. */
function clientAddress(ctx: MercuriusContext): string {
  return (ctx.reply?.request ?? ctx.request)?.ip ?? 'unknown';
}

export function buildResolvers(app: FastifyInstance): Resolvers {
  const { hub } = app;
  const budgets = new RequestBudgets(app.config.rateLimits);
  const known = new KnownRooms();
  const chat = new ChatService({
    repository: new ChatRepository(app.orm),
    hub,
    spend: (participantId) => budgets.spend('sendChatMessage', participantId),
    log: app.log,
  });
  return {
    DateTime,
    JSON: JSONScalar,
    Query: {
      // Rooms are immutable: a known one is answered from memory, as joins are.
      room: (_root, { slug }, ctx) => {
        budgets.spend('room', clientAddress(ctx));
        return findRoom(ctx.rooms(), slug, known);
      },
      iceServers: (_root, _args, ctx) => {
        // Over HTTP or on the socket (the page asks there, see web/src/lib/rtc/ice-servers.ts).
        const url = stunUrl(app.config, app.stun.port, (ctx.reply?.request ?? ctx.request)?.headers.host);
        const servers: { urls: string[]; username?: string; credential?: string }[] = url ? [{ urls: [url] }] : [];
        // The username names who asked (the client address), for coturn's logs.
        const turn = turnIceServer(app.config, clientAddress(ctx));
        if (turn) servers.push(turn);
        return servers;
      },
    },
    Mutation: {
      createRoom: (_root, { input }, ctx) => {
        budgets.spend('createRoom', clientAddress(ctx));
        return createRoom(ctx.rooms(), input, known);
      },
      sendSignal: (_root, { input }, ctx) => {
        // Made-up tokens are charged to the address: a token is a participant's budget only once it proved real.
        budgets.spendSignal(input.token, clientAddress(ctx));
        // In cluster mode send() issues its Redis script before its first await: order holds.
        const sent = hub.send(input.token, input.to, input.kind, input.payload);
        // In-process the relay is synchronous, and so is the answer (no promise per signal).
        if (sent instanceof Promise) return sent.then(() => (budgets.proven(input.token), true));
        budgets.proven(input.token);
        return true;
      },
      // Media state: budgeted with the participant's signals (a toggle is as cheap as a candidate).
      setMediaState: async (_root, { input }) => {
        budgets.spend('sendSignal', input.token);
        const { token, ...patch } = input;
        return hub.setMediaState(token, patch);
      },
      sendChatMessage: (_root, { input }) => chat.send(input.token, input.text),
    },
    Room: {
      // A Welcome carries the roster as of the join (cluster mode); otherwise ask the hub.
      participants: (room) => (room as { participants?: ParticipantView[] }).participants ?? hub.roster(room.id),
    },
    Signal: {
      // For reading (GraphiQL): clients that relay keep using payload, byte for byte.
      payloadJSON: (signal) => readableJson(signal.payload),
    },
    Welcome: {
      chat: (welcome) => (welcome as { chat?: unknown[] }).chat ?? [],
    },
    RoomEvent: {
      __resolveType: (event) => (event as RoomEvent).__typename,
    },
    Subscription: {
      joinRoom: {
        subscribe: async (_root, { slug, displayName, resume }, ctx) => {
          budgets.spend('joinRoom', clientAddress(ctx));
          const room = await findRoom(ctx.rooms(), slug, known);
          if (!room) {
            throw new ParleyError(ErrorCode.ROOM_NOT_FOUND, `No room has the slug "${slug}". Check the link or create the room.`);
          }
          const socket = ctx.socket;
          const connection = { lost: () => (socket ? app.lostSockets.has(socket) : false) };
          const member = await (resume ? hub.resume(room, resume, displayName, connection) : hub.join(room, displayName, connection));
          if (socket) app.signalingSockets.set(member, socket);
          budgets.proven(member.token); // its first burst of candidates is its own budget, not the address's
          // A cluster join awaits Redis: a socket that closed meanwhile ends the join (no ghost).
          if (socket && socket.readyState !== socket.OPEN) hub.leave(member);
          await chat.attachHistory(member);
          return member.events;
        },
        resolve: (event: RoomEvent) => event,
      },
    },
  } as Resolvers;
}
