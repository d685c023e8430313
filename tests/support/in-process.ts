/**
 * Parley's app built in this test process and listening on a real loopback port, for
 * tests that talk to it over real sockets and also look inside (live participants, open
 * sockets, heap). Uses the embedded database in a fresh directory.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/src/app.js';
import { configFor, type Config } from '../../api/src/config.js';
import { tempDir } from './server.js';

export interface InProcessServer {
  app: FastifyInstance;
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

export async function startInProcess(overrides: Partial<Config> = {}): Promise<InProcessServer> {
  const app = await buildApp(configFor({ dataDir: tempDir('parley-inproc-'), logLevel: 'error', ...overrides }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    close: () => app.close(),
  };
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after full collections, in bytes. */
export async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

/**
 * The heap split by what holds it, from a full heap snapshot (taken after a GC): `code` is
 * V8's own compiled code and its feedback (bytecode, baseline and optimised code, feedback
 * vectors, inline caches), which grows as more of the program gets hot; `data` is
 * everything else (objects, arrays, strings, closures, maps): where a leak shows.
 */
export async function heapByKind(): Promise<{ code: number; data: number }> {
  await settledHeap();
  const { getHeapSnapshot } = await import('node:v8');
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const snap = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [width, type, size] = [fields.length, fields.indexOf('type'), fields.indexOf('self_size')];
  let code = 0;
  let data = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    if (types[snap.nodes[i + type]!] === 'code') code += snap.nodes[i + size]!;
    else data += snap.nodes[i + size]!;
  }
  return { code, data };
}

/** Polls `check` until it returns true or `ms` pass; returns whether it did. */
export async function eventually(check: () => boolean, ms = 10_000, step = 20): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, step));
  }
  return check();
}
