/**
 * Test helpers for the STUN server: build Binding requests, ask a live listener over UDP,
 * pick a free UDP port. Used by the unit tests here and the cross-process tests in tests/stun.
 * Not imported by production code.
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { decodeMessage, encodeMessage, MAGIC_COOKIE, MessageClass, Method, type StunAttribute, type StunMessage } from './message.js';
import type { StunLogger } from './listener.js';

export interface RequestOptions {
  /** RFC 3489 style: a random cookie word instead of the magic cookie. */
  classic?: boolean;
  fingerprint?: boolean;
  attributes?: StunAttribute[];
  cls?: MessageClass;
  method?: number;
  transactionId?: Buffer;
}

/** A Binding request as a StunMessage (encode it with encodeMessage). */
export function requestMessage(options: RequestOptions = {}): StunMessage {
  let cookie = MAGIC_COOKIE;
  while (options.classic && cookie === MAGIC_COOKIE) cookie = randomBytes(4).readUInt32BE(0);
  return {
    method: options.method ?? Method.Binding,
    cls: options.cls ?? MessageClass.Request,
    cookie,
    transactionId: options.transactionId ?? randomBytes(12),
    attributes: options.attributes ?? [],
  };
}

/** A Binding request datagram; FINGERPRINT by default unless classic. */
export function bindingRequest(options: RequestOptions = {}): Buffer {
  return encodeMessage(requestMessage(options), { fingerprint: options.fingerprint ?? !options.classic });
}

/**
 * Sends one datagram to `host`:`port` from a fresh socket (so a fresh source port) and
 * resolves with the first reply, or null after `timeoutMs`.
 */
export function ask(
  port: number,
  request: Buffer,
  { host = '127.0.0.1', timeoutMs = 1000 }: { host?: string; timeoutMs?: number } = {},
): Promise<{ response: StunMessage; raw: Buffer; localPort: number } | null> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(null), timeoutMs);
    const finish = (value: { response: StunMessage; raw: Buffer; localPort: number } | null): void => {
      clearTimeout(timer);
      socket.close();
      resolve(value);
    };
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
    socket.once('message', (raw) => finish({ response: decodeMessage(raw), raw, localPort: socket.address().port }));
    socket.send(request, port, host);
  });
}

/** A UDP port that was free a moment ago (bind port 0, read it, close). */
export function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** A StunLogger that keeps its lines, for assertions. */
export function memoryLogger(): StunLogger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn') };
}
