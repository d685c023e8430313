/**
 * Runs Parley's production server as a child process on a free port, the way `pnpm start`
 * does (NODE_ENV=production, plain node on the build api/dist/server.js, cwd api/), and
 * stops it the way an operator does (SIGTERM). Used by every cross-process test in tests/.
 * Serves the web test build (window.__parley). Needs `pnpm build:test` first (scripts/test.mjs runs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFlags } from '../../api/start-flags.mjs';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const API_DIR = join(REPO_ROOT, 'api');
/** The built server `pnpm start` runs. */
export const SERVER_ENTRY = join(API_DIR, 'dist', 'server.js');
/** The web test build (`pnpm build:test`): production's pages plus window.__parley for the browser tests. */
export const WEB_TEST_BUILD_DIR = join(REPO_ROOT, 'web', 'build-test');

// A cold start runs initdb for the embedded database: seconds when idle, tens of seconds on a loaded 2-core machine.
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_LIMIT = 64 * 1024;

export interface StartOptions {
  /** Extra environment; PORT, STUN_PORT, DATA_DIR and LOG_LEVEL given here win. */
  env?: Record<string, string | undefined>;
  /** Keep the whole of stdout and stderr instead of the last 64 KiB (tests that read every line). */
  fullOutput?: boolean;
}

export interface RunningServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** ws://127.0.0.1:PORT/graphql */
  wsUrl: string;
  port: number;
  /** The DATA_DIR the server was given (a fresh temp dir unless the caller chose one). */
  dataDir: string;
  /** The environment the child was started with (pass it back to restart on the same data). */
  env: Record<string, string>;
  /** stdout and stderr so far (the last 64 KiB of each unless fullOutput); `cut` says whether anything was dropped. */
  output(): { stdout: string; stderr: string; cut: boolean };
  /** SIGTERM, then wait; throws unless the process exits with code 0 within 10 s. */
  stop(): Promise<{ ms: number }>;
  /** SIGKILL, no questions asked. */
  kill(): void;
}

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

// A test that throws before stop() must not leave a server behind holding a port or a
// database; 'exit' handlers must be synchronous, hence SIGKILL and rmSync.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * vitest ends its workers with a signal, so the 'exit' handler above does not run and a
 * server a test forgot to stop would outlive it. Where util-linux's setpriv exists
 * (Debian: always), the kernel kills the child when the test process dies, however it dies.
 */
function withParentDeathSignal(command: string, args: string[]): [string, string[]] {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/setpriv')) return [command, args];
  return ['/usr/bin/setpriv', ['--pdeathsig', 'KILL', '--', command, ...args]];
}

/** A TCP port nobody listens on right now (the kernel's pick, released at once). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => res(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
}

/** A directory removed when the test process exits. */
export function tempDir(prefix = 'parley-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function tail(text: string): string {
  return text.length > OUTPUT_LIMIT ? text.slice(-OUTPUT_LIMIT) : text;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const given = options.env ?? {};
  const port = given.PORT ? Number(given.PORT) : await freePort();
  // /healthz cannot tell which process answered: a restart on a port still held by the
  // old server would pass for ready.
  if (given.PORT && !(await portIsFree(port))) {
    throw new Error(`Port ${port} is still in use: stop the previous server before restarting on it.`);
  }
  const dataDir = given.DATA_DIR ?? tempDir('parley-data-');

  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // vitest sets NODE_ENV=test and VITEST*; a developer's DATABASE_URL must not leak in.
    if (value === undefined || key.startsWith('VITEST') || key === 'DATABASE_URL') continue;
    env[key] = value;
  }
  Object.assign(env, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    STUN_PORT: '0',
    LOG_LEVEL: 'warn',
    // The production server serving the test build of the pages (WEB_BUILD_DIR is only ever set by tests).
    WEB_BUILD_DIR: WEB_TEST_BUILD_DIR,
  });
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  env.PORT = String(port);
  env.DATA_DIR = dataDir;

  if (!existsSync(SERVER_ENTRY)) throw new Error(`No server build at ${SERVER_ENTRY}: run \`pnpm build:test\` first.`);
  if (env.WEB_BUILD_DIR && !existsSync(join(env.WEB_BUILD_DIR, 'handler.js'))) {
    throw new Error(`No web build at ${env.WEB_BUILD_DIR}: run \`pnpm build:test\` first.`);
  }
  // node itself with `pnpm start`'s flags (no pnpm in between, so a SIGKILL reaches the server).
  const [command, args] = withParentDeathSignal(process.execPath, [...startFlags(), SERVER_ENTRY]);
  const child = spawn(command, args, {
    cwd: API_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  let cut = false;
  const keep = (text: string) => {
    if (options.fullOutput || text.length <= OUTPUT_LIMIT) return text;
    cut = true;
    return tail(text);
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout = keep(stdout + chunk);
    if (process.env.PARLEY_TEST_VERBOSE) process.stdout.write(`[server ${port}] ${chunk}`);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = keep(stderr + chunk);
    if (process.env.PARLEY_TEST_VERBOSE) process.stderr.write(`[server ${port}] ${chunk}`);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      res({ code, signal });
    });
  });
  const state: { exit: { code: number | null; signal: NodeJS.Signals | null } | null } = { exit: null };
  void exited.then((e) => (state.exit = e));

  const url = `http://127.0.0.1:${port}`;
  const describe = () =>
    `server on port ${port} (cwd api/, DATA_DIR ${dataDir})\n--- stderr ---\n${stderr}\n--- stdout ---\n${stdout}`;

  const started = Date.now();
  for (;;) {
    const exit = state.exit;
    if (exit) {
      throw new Error(
        `The server exited (code ${exit.code}, signal ${exit.signal}) before /healthz answered 200: ${describe()}`,
      );
    }
    if (Date.now() - started > READY_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`GET /healthz did not answer 200 within ${READY_TIMEOUT_MS} ms: ${describe()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    port,
    dataDir,
    env,
    output: () => ({ stdout, stderr, cut }),
    async stop() {
      const t0 = Date.now();
      const exit = state.exit;
      if (exit) throw new Error(`The server had already exited (code ${exit.code}): ${describe()}`);
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        exited,
        new Promise<null>((res) => (timer = setTimeout(() => res(null), STOP_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      if (!result) {
        child.kill('SIGKILL');
        throw new Error(`The server did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM: ${describe()}`);
      }
      if (result.code !== 0) {
        throw new Error(
          `The server exited with code ${result.code} (signal ${result.signal}) after SIGTERM, expected 0: ${describe()}`,
        );
      }
      return { ms: Date.now() - t0 };
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}
