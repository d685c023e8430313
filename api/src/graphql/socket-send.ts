/**
 * Writes one graphql-ws message to a socket (socket-transport.ts's `send`):
 *  - corked until the end of the tick, so what the server writes in one go (a mutation's
 *    `next` and `complete`, events for several subscriptions) leaves in one TCP write;
 *  - nothing to wait for (undefined) while little is buffered; once a client stops
 *    reading and `HIGH_WATER` bytes wait, a promise resolved only when written, so its
 *    subscriptions stop pulling events and its mailbox fills up to the slow-consumer cut
 *    (signaling/mailbox.ts).
 * Never rejects: a failed write means the socket is gone, and its close ends everything.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** Bytes buffered for a socket before a write waits for the socket to drain. */
export const HIGH_WATER = 64 * 1024;

export function sendCorked(socket: WebSocket, data: string): Promise<void> | undefined {
  if (socket.readyState !== socket.OPEN) return undefined;
  cork((socket as unknown as { _socket?: Socket })._socket);
  if (socket.bufferedAmount < HIGH_WATER) {
    socket.send(data);
    return undefined;
  }
  // A write that fails means the socket is gone: its close ends the operations.
  return new Promise((resolve) => socket.send(data, () => resolve()));
}

function cork(raw: Socket | undefined): void {
  if (!raw || raw.writableCorked > 0) return;
  raw.cork();
  process.nextTick(uncork, raw);
}

function uncork(raw: Socket): void {
  raw.uncork();
}
