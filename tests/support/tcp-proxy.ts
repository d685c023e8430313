/**
 * A TCP proxy in the test process that the test can cut and restore: between a server
 * and a real PostgreSQL (a database outage, without touching the machine's shared
 * service), or between a browser and the server (a network blip: connections are dropped
 * without a WebSocket close frame, so the server sees 1006, "lost").
 */
import { createServer, connect, type Socket, type Server } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones (they are closed at once). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let up = true;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const cut = () => {
    up = false;
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut,
    restore() {
      up = true;
    },
    close() {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
