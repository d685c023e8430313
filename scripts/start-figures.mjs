#!/usr/bin/env node
/**
 * Start time and idle memory of the built server, for README's figures:
 * `node scripts/start-figures.mjs [--runs N] [--tsx]` after `pnpm build`.
 * For each database (PGlite first start on an empty DATA_DIR, PGlite restart on that
 * same dir, PostgreSQL at TEST_DATABASE_URL when reachable) it starts the server as
 * `pnpm start` does, times spawn to the first 200 from /healthz, waits for the process to
 * settle and reads its RSS (VmRSS) and peak RSS (VmHWM) from /proc. `--tsx` runs the
 * sources through tsx instead (the old `pnpm start`), for comparison.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFlags } from '../api/start-flags.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const api = join(root, 'api');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const tsx = args.includes('--tsx');
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SETTLE_MS = 5_000;

const freePort = () =>
  new Promise((res) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMB: Math.round(kb('VmRSS') / 1024), peakMB: Math.round(kb('VmHWM') / 1024) };
}

async function once(env) {
  const port = await freePort();
  const argv = tsx ? ['--import', 'tsx', 'src/server.ts'] : [...startFlags(), 'dist/server.js'];
  const t0 = performance.now();
  const child = spawn(process.execPath, argv, {
    cwd: api,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', STUN_PORT: '0', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let ready = 0;
  while (!ready) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) ready = performance.now() - t0;
    } catch {}
    if (!ready) await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const mem = memory(child.pid);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return { ms: Math.round(ready), ...mem };
}

const rows = [];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function measure(name, envs) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(envs(i)));
  rows.push({
    name,
    ms: median(results.map((r) => r.ms)),
    rssMB: median(results.map((r) => r.rssMB)),
    peakMB: median(results.map((r) => r.peakMB)),
    all: results.map((r) => r.ms).join(' '),
  });
}

const dirs = Array.from({ length: runs }, () => mkdtempSync(join(tmpdir(), 'parley-start-')));
try {
  await measure('PGlite, first start (initdb)', (i) => ({ DATA_DIR: dirs[i] }));
  await measure('PGlite, later start', (i) => ({ DATA_DIR: dirs[i] }));
  await measure('PostgreSQL', () => ({ DATABASE_URL: pgUrl }));
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
console.log(`${tsx ? 'tsx on src/server.ts' : 'node dist/server.js'}, median of ${runs}, load ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
console.log('| database | start to /healthz | idle RSS | peak RSS | runs (ms) |\n|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.ms} ms | ${r.rssMB} MB | ${r.peakMB} MB | ${r.all} |`);
