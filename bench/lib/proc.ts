/**
 * Server processes for the benchmarks: each system under test (Parley, the bare ws relay,
 * the Socket.IO relay) runs in its own child process, so the load generator (this
 * process) does not share its event loop or steal its core. A child reports its ports
 * over IPC and answers memory and CPU questions (after a full GC) over the same channel.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFlags } from '../../api/start-flags.mjs';

export const BENCH_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const REPO_ROOT = resolve(BENCH_DIR, '..');
export const API_DIR = join(REPO_ROOT, 'api');

export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** V8's committed heap, used or not (part of the RSS). */
  heapTotal?: number;
  external: number;
  arrayBuffers: number;
  /** Committed bytes per V8 space (new_space, old_space, code_space, ...). */
  spaces?: Record<string, number>;
}

export interface ServerChild {
  name: string;
  pid: number;
  port: number;
  stunPort: number;
  url: string;
  /** Process memory after full collections in the child. */
  memory(): Promise<MemorySample>;
  /** CPU microseconds (user + system) the child used so far. */
  cpu(): Promise<number>;
  /** Writes a heap snapshot (after full GCs) in the child; resolves to its file name. */
  snapshot(): Promise<string>;
  /** Milliseconds since the child started (the clock of its --trace-gc lines). */
  uptime(): Promise<number>;
  /** Starts V8's CPU profiler in the child (profile-relay.ts). */
  profileStart(): Promise<boolean>;
  /** Stops it; resolves to the .cpuprofile file written in the child. */
  profileStop(): Promise<string>;
  /** Starts V8's sampling heap profiler, counting collected objects too (alloc-probe.ts). */
  allocStart(): Promise<boolean>;
  /** Stops it; the path of the .heapprofile written. */
  allocStop(): Promise<string>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

export function freeTcpPort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => res(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  return new Promise((res, rej) => {
    s.once('error', rej);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * Forks `script` (a bench/servers/*.ts file) with tsx and --expose-gc, waits for its
 * `ready` message. Parley runs with cwd api/ so its own tsconfig and node_modules apply.
 */
export async function startChild(
  name: string,
  script: string,
  env: Record<string, string> = {},
  cwd = BENCH_DIR,
  extraExecArgv: string[] = [],
): Promise<ServerChild> {
  const child = fork(join(BENCH_DIR, 'servers', script), [], {
    cwd,
    execArgv: ['--expose-gc', ...extraExecArgv, '--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    // stdout (the servers' logs, Parley's at info) is dropped: writing it still costs them as in production.
    // BENCH_SERVER_STDOUT=<file> keeps it instead (e.g. with --trace-gc in execArgv).
    stdio: ['ignore', process.env.BENCH_SERVER_STDOUT ? openSync(process.env.BENCH_SERVER_STDOUT, 'a') : 'ignore', 'inherit', 'ipc'],
  });
  live.add(child);
  let seq = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  const exited = new Promise<void>((r) => child.once('exit', () => (live.delete(child), r())));
  const ready = new Promise<{ port: number; stunPort: number }>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${name} did not start within 180 s`)), 180_000);
    child.once('exit', (code) => rej(new Error(`${name} exited with code ${code} before it was ready`)));
    child.on('message', (msg: { type: string; id?: number; port?: number; stunPort?: number; value?: unknown }) => {
      if (msg.type === 'ready') {
        clearTimeout(timer);
        res({ port: msg.port!, stunPort: msg.stunPort ?? 0 });
      } else if (msg.type === 'answer') {
        waiting.get(msg.id!)?.(msg.value);
        waiting.delete(msg.id!);
      }
    });
  });
  const { port, stunPort } = await ready;
  const ask = <T>(type: string) =>
    new Promise<T>((res) => {
      const id = ++seq;
      waiting.set(id, res as (v: unknown) => void);
      child.send({ type, id });
    });
  return {
    name,
    pid: child.pid!,
    port,
    stunPort,
    url: `http://127.0.0.1:${port}`,
    memory: () => ask<MemorySample>('memory'),
    cpu: () => ask<number>('cpu'),
    snapshot: () => ask<string>('snapshot'),
    uptime: () => ask<number>('uptime'),
    profileStart: () => ask<boolean>('profile-start'),
    profileStop: () => ask<string>('profile-stop'),
    allocStart: () => ask<boolean>('alloc-start'),
    allocStop: () => ask<string>('alloc-stop'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

let template: Promise<string> | null = null;

/**
 * A fresh embedded database costs an initdb (3 s idle, 20 s on a loaded 2-core machine):
 * the first Parley start makes one, stops cleanly, and every benchmark server then
 * starts on its own copy, which reopens in well under a second.
 */
function parleyDataDir(): Promise<string> {
  template ??= (async () => {
    const dir = tempDir('parley-bench-template-');
    const first = await startChild('parley', 'parley.ts', { STUN_PORT: '0', DATA_DIR: dir }, API_DIR);
    await first.stop();
    return dir;
  })();
  return template.then((dir) => {
    const copy = tempDir('parley-bench-');
    cpSync(dir, copy, { recursive: true });
    return copy;
  });
}

/**
 * Parley's per-client budgets (createRoom and joinRoom per address, sendSignal per
 * participant) raised out of the way: every load-generator client comes from 127.0.0.1.
 * The load benchmarks pass these and say so in their notes; the call benchmark does not.
 */
export const RAISED_LIMITS = {
  RATE_LIMIT_CREATE_ROOM: '1000000',
  RATE_LIMIT_JOIN: '1000000',
  RATE_LIMIT_SIGNALS: '1000000',
};

/**
 * Parley's production app (api/src/app.ts) in a child, configured by environment as
 * server.ts is. With BENCH_DATABASE_URL set (a PostgreSQL URL whose user may create
 * databases), each start gets a fresh database there instead of embedded PGlite: on a
 * machine too loaded for PGlite's initdb to finish in time. It runs with the node flags of
 * `pnpm start` (api/start-flags.mjs); BENCH_PARLEY_FLAGS adds more.
 */
export async function startParley(env: Record<string, string> = {}, execArgv: string[] = []): Promise<ServerChild> {
  // The node flags production runs with (`pnpm start`), then BENCH_PARLEY_FLAGS="--flag ..."
  // (trying V8 settings), then the caller's.
  execArgv = [...startFlags(), ...(process.env.BENCH_PARLEY_FLAGS?.split(/\s+/).filter(Boolean) ?? []), ...execArgv];
  // The web test build: the call benchmark reads window.__parley, which production pages lack.
  const web = join(REPO_ROOT, 'web', 'build-test');
  const admin = process.env.BENCH_DATABASE_URL;
  if (admin) {
    const name = `parley_bench_${process.pid}_${++databases}`;
    execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return startChild('parley', 'parley.ts', { STUN_PORT: '0', DATABASE_URL: url.toString(), WEB_BUILD_DIR: web, ...env }, API_DIR, execArgv);
  }
  return startChild('parley', 'parley.ts', { STUN_PORT: '0', DATA_DIR: await parleyDataDir(), WEB_BUILD_DIR: web, ...env }, API_DIR, execArgv);
}
let databases = 0;

export interface ExternalProcess {
  pid: number;
  stop(): Promise<void>;
  output(): string;
}

/** A non-Node process (coturn), killed with SIGTERM then SIGKILL. */
export function startExternal(command: string, args: string[]): ExternalProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  const keep = (b: Buffer) => (out = (out + b.toString()).slice(-16_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => (live.delete(child), r())));
  return {
    pid: child.pid!,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU microseconds (user + system) of any process, from /proc. */
export function procCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / 100) * 1e6;
}

