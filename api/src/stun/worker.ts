/**
 * The STUN worker thread's program: runs the UDP listener (listener.ts) off the main
 * thread, so a flood of Binding requests cannot delay GraphQL and GraphQL load cannot
 * leave datagrams unread. Started by thread.ts; talks to it only by messages:
 * in: { type: 'close' }; out: ready, error, closed, and log lines for the app's logger.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createStunHandler } from './handler.js';
import { startStunListener, type StunLogger } from './listener.js';
import { RateLimiter } from '../shared/rate-limit.js';
import type { StunThreadOptions, WorkerMessage } from './thread.js';

const port = parentPort!;
const options = workerData as Omit<StunThreadOptions, 'logger'>;
const post = (message: WorkerMessage) => port.postMessage(message);

function forward(level: 'debug' | 'info' | 'warn'): (obj: object, msg?: string) => void {
  return (obj, msg) => post({ type: 'log', level, obj, msg });
}
const logger: StunLogger = { debug: forward('debug'), info: forward('info'), warn: forward('warn') };

try {
  const listener = await startStunListener({
    port: options.port,
    host: options.host,
    handler: createStunHandler({ portShift: options.portShift }),
    limiter: new RateLimiter({ ratePerSecond: options.rateLimit }),
    logger,
    recvBufferSize: options.recvBufferSize,
  });
  port.on('message', (message: { type: string }) => {
    if (message.type !== 'close') return;
    void listener.close().then(() => {
      post({ type: 'closed' });
      port.close();
    });
  });
  post({ type: 'ready', port: listener.port, addresses: [...listener.addresses] });
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  post({ type: 'error', message: e.message, code: e.code });
  port.close();
}
