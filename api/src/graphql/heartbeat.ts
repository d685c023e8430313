/**
 * Finds WebSocket peers that vanished without a close (cable pulled, laptop asleep):
 * every interval each socket is pinged, and one that has not answered the previous
 * ping is terminated, which ends its subscriptions and so its presence. A dead peer is
 * gone between one and two intervals after its last sign of life.
 */
import type { WebSocket, WebSocketServer } from 'ws';

const alive = new WeakSet<WebSocket>();

export function startHeartbeat(server: WebSocketServer, intervalMs: number): { stop(): void } {
  server.on('connection', (socket) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
    // Any message is a sign of life too.
    socket.on('message', () => alive.add(socket));
  });
  const timer = setInterval(() => {
    for (const socket of server.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
