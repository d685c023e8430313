/**
 * The STUN listener: owns the UDP sockets and nothing else. Each datagram goes through
 * the rate limiter, then the pure handler; an answer goes back to the source. plugin.ts
 * starts it with the app and closes it in onClose; tests start it directly.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { StunHandler } from './handler.js';
import type { RateLimiter } from '../shared/rate-limit.js';

/** The part of the pino logger (app.log) the listener uses. */
export interface StunLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface StunListenerOptions {
  /** UDP port for both families; 0 picks a free one for IPv4 and reuses it for IPv6. */
  port: number;
  /** The HTTP host from config: a loopback host binds loopback only, anything else all interfaces. */
  host: string;
  handler: StunHandler;
  limiter: RateLimiter;
  logger: StunLogger;
  /**
   * SO_RCVBUF in bytes (the kernel caps it at net.core.rmem_max): room for a burst of
   * requests that arrives while the thread is busy. Unset keeps the system default
   * (about 200 KB on Linux, some 100 datagrams).
   */
  recvBufferSize?: number;
}

export interface StunListener {
  /** The bound UDP port. */
  readonly port: number;
  /** The addresses actually bound, e.g. ['127.0.0.1', '::1']. */
  readonly addresses: readonly string[];
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

function bind(type: 'udp4' | 'udp6', address: string, port: number, recvBufferSize?: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type, ipv6Only: type === 'udp6', recvBufferSize });
    const onError = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

function serve(socket: Socket, options: StunListenerOptions): void {
  const { handler, limiter, logger } = options;
  socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    if (!limiter.allow(rinfo.address)) return;
    const response = handler(msg, { address: rinfo.address, port: rinfo.port, family: rinfo.family });
    if (!response) return;
    socket.send(response, rinfo.port, rinfo.address, (err) => {
      if (err) logger.debug({ err, to: rinfo.address }, 'STUN response not sent');
    });
  });
  // A send error (ICMP unreachable and the like) must not take the process down.
  socket.on('error', (err) => logger.warn({ err }, 'STUN socket error'));
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

/** Binds IPv4 (required) and IPv6 (best effort) and starts answering. */
export async function startStunListener(options: StunListenerOptions): Promise<StunListener> {
  const loopback = isLoopbackHost(options.host);
  const v4 = await bind('udp4', loopback ? '127.0.0.1' : '0.0.0.0', options.port, options.recvBufferSize);
  const port = v4.address().port;
  const sockets = [v4];
  try {
    sockets.push(await bind('udp6', loopback ? '::1' : '::', port, options.recvBufferSize));
  } catch (err) {
    options.logger.debug({ err, port }, 'STUN not listening on IPv6');
  }
  for (const socket of sockets) serve(socket, options);
  const addresses = sockets.map((s) => s.address().address);
  options.logger.info({ port, addresses, recvBufferSize: v4.getRecvBufferSize() }, 'STUN listening');
  return {
    port,
    addresses,
    close: async () => {
      await Promise.all(sockets.map(closeSocket));
    },
  };
}
