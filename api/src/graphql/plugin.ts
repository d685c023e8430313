/**
 * The GraphQL transports on /graphql: mercurius for HTTP (POST and GET, graphql-jit on),
 * graphql-ws for the WebSocket (graphql-transport-ws; socket-transport.ts), where queries
 * and mutations also run, so a client's signals share one ordered channel with its
 * subscription. Both run the same schema and resolvers and shape errors the same way.
 */
import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import mercurius from 'mercurius';
import type { WebSocket } from 'ws';
import type { GraphQLField, GraphQLSchema } from 'graphql';
import { randomBytes } from 'node:crypto';
import { SignalingHub, type Member } from '../signaling/hub.js';
import type { Signaling } from '../signaling/signaling.js';
import { ClusterHub } from '../cluster/cluster-hub.js';
import { connectRedis } from '../cluster/redis.js';
import { RoomRepository } from '../rooms/room-repository.js';
import { serverSecret } from '../db/secrets.js';
import { buildResolvers } from './resolvers.js';
import { formatErrors } from './errors.js';
import { MAX_DEPTH, MAX_SELECTIONS, maxSelections } from './limits.js';
import { startHeartbeat } from './heartbeat.js';
import { createSocketTransport } from './socket-transport.js';
import { handleProtocols } from 'graphql-ws';
import { sameOriginUpgrade } from '../http/security.js';
import { SCHEMA_FILE } from '../paths.js';
import './context.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The signaling core: in-process (SignalingHub) or shared through Redis (ClusterHub) when REDIS_URL is set. */
    hub: Signaling;
    /** The socket each joined member's subscription runs on, to cut off slow consumers. */
    signalingSockets: WeakMap<Member, WebSocket>;
    /** Sockets that died without a close frame (their participants may resume). */
    lostSockets: WeakSet<WebSocket>;
  }
}

type SubscriptionResolver = Pick<GraphQLField<unknown, unknown>, 'subscribe' | 'resolve'>;

/** Puts each Subscription field's subscribe and resolve on the executable schema. */
function attachSubscriptions(schema: GraphQLSchema, resolvers: Record<string, SubscriptionResolver>): void {
  const fields = schema.getSubscriptionType()?.getFields() ?? {};
  for (const [name, { subscribe, resolve }] of Object.entries(resolvers)) {
    const field = fields[name];
    if (!field) throw new Error(`Subscription.${name} has a resolver but is not in the schema`);
    field.subscribe = subscribe;
    field.resolve = resolve;
  }
}

const schema = readFileSync(SCHEMA_FILE, 'utf8');

/** Close code for a participant cut off for not reading its events (RFC 6455 "try again later"). */
const CLOSE_SLOW_CONSUMER = 1013;
/** Close code on shutdown: "service restart", so clients reconnect and resume. */
const CLOSE_SERVICE_RESTART = 1012;
/** How often the server pings each socket; a socket that missed one ping is dropped. */
export const HEARTBEAT_MS = 4_000;

export default fp(
  async (app) => {
    const sockets = new WeakMap<Member, WebSocket>();
    const lost = new WeakSet<WebSocket>();
    const hubOptions = {
      maxParticipants: app.config.maxParticipants,
      secret: await serverSecret(app.orm, 'resume-token'),
      resumeGraceMs: app.config.resumeGraceMs,
      onLeave: (member: Member, reason: string) => {
        app.log.debug({ participant: member.participant.id, room: member.roomId, reason }, 'participant left');
        if (reason === 'overflow') {
          app.log.warn({ participant: member.participant.id }, 'slow consumer cut off');
          sockets.get(member)?.close(CLOSE_SLOW_CONSUMER, 'Too many undelivered events');
        } else if (reason === 'shutdown') {
          sockets.get(member)?.close(CLOSE_SERVICE_RESTART, 'Server restarting');
        }
      },
    };
    let hub: Signaling;
    if (app.config.redisUrl) {
      // A random suffix per start: a restarted process never inherits its former self's members.
      const node = `${app.config.instanceId}-${randomBytes(3).toString('hex')}`;
      const redis = await connectRedis(app.config.redisUrl, `parley:${node}`, (err) => app.log.warn({ err }, 'redis'));
      const cluster = new ClusterHub({ ...hubOptions, redis, prefix: app.config.redisPrefix, node, log: app.log });
      await cluster.start();
      app.log.info({ node, prefix: app.config.redisPrefix }, 'cluster mode: calls shared through Redis');
      hub = cluster;
    } else {
      hub = new SignalingHub(hubOptions);
    }
    app.decorate('hub', hub);
    app.decorate('signalingSockets', sockets);
    app.decorate('lostSockets', lost);

    // mercurius registers GET /graphql (HTTP queries); its WebSocket upgrades go to
    // graphql-ws instead. Added before @fastify/websocket, whose own onRoute hook reads the
    // wsHandler set here.
    const transport = createSocketTransport(app, { schema: () => app.graphql.schema, lostSockets: lost });
    app.addHook('onRoute', (route) => {
      if (route.url === '/graphql' && route.method === 'GET') route.wsHandler = transport.handler as never;
    });

    await app.register(websocket, {
      // On shutdown: tell every client "service restart" (they reconnect and resume), then
      // end the streams. Closing first means no client reads a `complete` as a leave.
      preClose(done) {
        app.log.debug({ sockets: app.websocketServer.clients.size }, 'closing WebSockets with 1012');
        for (const client of app.websocketServer.clients) client.close(CLOSE_SERVICE_RESTART, 'Server restarting');
        hub.closeAll();
        app.websocketServer.close();
        done();
      },
      options: {
        maxPayload: 1024 * 1024,
        handleProtocols,
        verifyClient: ({ origin, req }: { origin?: string; req: { headers: { host?: string } } }) =>
          sameOriginUpgrade(origin, req.headers.host),
      },
    });
    const heartbeat = startHeartbeat(app.websocketServer, HEARTBEAT_MS);

    // mercurius without its own subscriptions would take joinRoom's { subscribe, resolve }
    // for a plain resolver: the socket transport's subscriptions are attached below.
    const { Subscription: subscriptionResolvers, ...resolvers } = buildResolvers(app);
    await app.register(mercurius, {
      schema,
      resolvers: resolvers as never,
      path: '/graphql',
      graphiql: false,
      queryDepth: MAX_DEPTH,
      allowBatchedQueries: false,
      validationRules: [maxSelections(MAX_SELECTIONS)],
      // Compile a query with graphql-jit from its second use.
      jit: 1,
      errorFormatter: formatErrors,
      context: () => ({ rooms: () => new RoomRepository(app.orm.em.fork()) }),
    });

    attachSubscriptions(app.graphql.schema, subscriptionResolvers as Record<string, SubscriptionResolver>);

    app.addHook('onClose', async () => heartbeat.stop());
  },
  { name: 'parley-graphql', dependencies: ['parley-config', 'parley-db', 'parley-stun'] },
);
