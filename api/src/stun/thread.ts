/**
 * Starts the STUN listener in its own worker thread (worker.ts) and gives the app the
 * same StunListener shape the in-thread listener has. One thread: several sockets could
 * share the port only with SO_REUSEPORT, which dgram offers from Node 22.12/23.1 and
 * Parley supports Node 20.19+; on small machines one thread answers far more than
 * browsers ask (bench/benches/stun.ts).
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StunListener, StunLogger } from './listener.js';

export interface StunThreadOptions {
  port: number;
  host: string;
  /** Binding requests per second per source address. */
  rateLimit: number;
  /** Test-only mapped-port shift (config.stunTestPortShift). */
  portShift: number;
  recvBufferSize?: number;
  logger: StunLogger;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { type: 'ready'; port: number; addresses: string[] }
  | { type: 'error'; message: string; code?: string }
  | { type: 'closed' }
  | { type: 'log'; level: 'debug' | 'info' | 'warn'; obj: object; msg?: string };

/** Receive buffer asked for: 4 MiB holds thousands of queued requests (Linux caps it at net.core.rmem_max). */
export const STUN_RECV_BUFFER = 4 * 1024 * 1024;
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * The built server runs dist/stun-worker.js (an esbuild entry next to dist/server.js).
 * From sources (tsx, vitest) the worker loads worker.ts through tsx's loader, registered
 * inside the worker because a Worker's execArgv cannot carry `--import`.
 */
function spawnWorker(workerData: object): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./stun-worker.js', import.meta.url), { workerData });
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData });
}

export function startStunThread(options: StunThreadOptions): Promise<StunListener> {
  const { logger, ...data } = options;
  const worker = spawnWorker({ recvBufferSize: STUN_RECV_BUFFER, ...data });
  let closing = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'log') logger[m.level](m.obj, m.msg);
  });
  return new Promise((resolve, reject) => {
    const onStartMessage = (m: WorkerMessage) => {
      if (m.type === 'error') {
        reject(Object.assign(new Error(m.message), { code: m.code }));
      } else if (m.type === 'ready') {
        worker.off('exit', onEarlyExit);
        worker.on('exit', (code) => {
          if (!closing) logger.warn({ code }, 'STUN thread exited: STUN is not answered until restart');
        });
        resolve({
          port: m.port,
          addresses: m.addresses,
          close: async () => {
            if (closing) return exited;
            closing = true;
            worker.postMessage({ type: 'close' });
            const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
            await exited;
            clearTimeout(timer);
          },
        });
      }
    };
    const onEarlyExit = (code: number) => reject(new Error(`STUN thread exited (code ${code}) before listening`));
    worker.on('message', onStartMessage);
    worker.once('exit', onEarlyExit);
    worker.once('error', (err) => {
      logger.warn({ err }, 'STUN thread failed');
      reject(err);
    });
  });
}
