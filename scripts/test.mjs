#!/usr/bin/env node
/**
 * `pnpm test`: the one command that says whether Parley works. Runs, in order, stopping
 * at the first failure with what to do about it:
 *   preflight (Chromium, turnutils_stunclient, PostgreSQL, Redis), codegen check, typecheck,
 *   production build plus the web test build (`pnpm build:test`), API unit tests, web unit
 *   tests, cross-process tests.
 * The last line is always `N passed, N failed` (tests counted from vitest's summaries)
 * so CI can read it.
 *
 * Network namespace: the cross-process tests run in two vitest projects (tests/vitest.config.ts).
 * "node" (API, STUN, PostgreSQL) runs on the host network because PostgreSQL on
 * 127.0.0.1:5432 lives there. "netns" (tests/web, tests/call: browsers and the servers they
 * spawn, on the embedded database) runs under `unshare -n` with only loopback up, so ICE
 * sees only 127.0.0.1 and nothing can leave the machine. As non-root, `unshare -rn` is
 * tried; where namespaces are unavailable (some containers) the browser tests run on the
 * host network with a warning, still blocked from non-loopback hosts by the tests themselves.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const isRoot = process.getuid?.() === 0;

const totals = { passed: 0, failed: 0 };

function summary() {
  console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
}

function fail(step, hint) {
  console.error(`\n✗ ${step} failed.${hint ? `\n  ${hint.split('\n').join('\n  ')}` : ''}`);
  summary();
  process.exit(1);
}

function banner(step) {
  console.log(`\n━━ ${step} ━━`);
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Runs a command with inherited stdio; resolves to its exit code. */
function run(cmd, args, options = {}) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('error', (err) => {
      console.error(`${cmd}: ${err.message}`);
      res(127);
    });
    child.on('exit', (code, signal) => res(code ?? (signal ? 128 : 1)));
  });
}

const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * Runs a vitest-running command, echoing its output, and adds the counts from vitest's
 * "Tests  N failed | N passed (N)" summary lines to the totals.
 */
function runVitest(cmd, args) {
  return new Promise((res) => {
    const env = { ...process.env };
    if (process.stdout.isTTY && !env.NO_COLOR) env.FORCE_COLOR = '1';
    const child = spawn(cmd, args, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'], env });
    let text = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      text += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      text += chunk.toString('utf8');
    });
    child.on('error', (err) => {
      console.error(`${cmd}: ${err.message}`);
      res({ code: 127, counted: false });
    });
    child.on('exit', (code, signal) => {
      let counted = false;
      for (const line of text.replace(ANSI, '').split('\n')) {
        const tests = /\bTests\s+(.*?)\s*\(\d+\)\s*$/.exec(line);
        if (tests) {
          counted = true;
          totals.passed += Number(/(\d+) passed/.exec(tests[1])?.[1] ?? 0);
          totals.failed += Number(/(\d+) failed/.exec(tests[1])?.[1] ?? 0);
        }
        // A failing beforeAll fails its suite and marks its tests skipped, and an
        // unhandled error fails the run without failing a test: count both as failures.
        const suites = /Failed Suites (\d+)/.exec(line);
        if (suites) totals.failed += Number(suites[1]);
        const errors = /^\s*Errors\s+(\d+) errors?/.exec(line);
        if (errors) totals.failed += Number(errors[1]);
      }
      res({ code: code ?? (signal ? 128 : 1), counted });
    });
  });
}

/** Sends PING (after AUTH when the URL has a password) and resolves on +PONG; rejects otherwise. */
function pingRedis(url) {
  const { hostname, port, username, password } = new URL(url);
  return new Promise((res, rej) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    socket.setTimeout(5_000, () => socket.destroy(new Error('no answer within 5 s')));
    let reply = '';
    socket.on('connect', () => {
      const auth = password ? `AUTH ${username ? `${decodeURIComponent(username)} ` : ''}${decodeURIComponent(password)}\r\n` : '';
      socket.write(`${auth}PING\r\n`);
    });
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('+PONG')) {
        socket.end();
        res();
      } else if (reply.startsWith('-')) socket.destroy(new Error(reply.trim()));
    });
    socket.on('error', rej);
    socket.on('close', () => rej(new Error(reply.trim() || 'connection closed')));
  });
}

async function preflight() {
  banner('preflight: tools the tests need');
  const problems = [];
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    problems.push(
      `No Chromium at ${CHROMIUM_PATH}: apt-get update && apt-get install -y chromium chromium-driver (or set CHROMIUM_PATH).`,
    );
  }
  if (!which('turnutils_stunclient')) {
    problems.push('No turnutils_stunclient (the reference STUN client): apt-get install -y coturn');
  }
  if (!which('unshare') || !which('ip')) {
    problems.push('No unshare/ip for the loopback-only network namespace: apt-get install -y util-linux iproute2');
  }
  let pg;
  try {
    pg = createRequire(join(root, 'tests', 'package.json'))('pg');
  } catch {
    problems.push('The tests package is not installed: pnpm install --frozen-lockfile');
  }
  if (pg) {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (err) {
      problems.push(
        `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (${err.message}).\n` +
          'Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start ' +
          '(install: apt-get install -y postgresql), or set TEST_DATABASE_URL.',
      );
    } finally {
      await client.end().catch(() => {});
    }
  }
  try {
    await pingRedis(TEST_REDIS_URL);
  } catch (err) {
    problems.push(
      `Redis is not reachable at ${TEST_REDIS_URL} (${err.message}); the cluster tests need it.\n` +
        'Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 (install: apt-get install -y redis-server), ' +
        'or set TEST_REDIS_URL.',
    );
  }
  if (problems.length) fail('preflight', problems.join('\n'));
  console.log(
    `Chromium ${CHROMIUM_PATH}, turnutils_stunclient, PostgreSQL at ${TEST_DATABASE_URL}, Redis at ${TEST_REDIS_URL}: ok`,
  );
}

/** The command prefix that runs a command in a fresh loopback-only network namespace. */
function netnsPrefix() {
  const flags = isRoot ? ['-n'] : ['-rn'];
  const probe = spawnSync('unshare', [...flags, 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' });
  if (probe.status === 0) return ['unshare', ...flags];
  console.warn(
    `⚠ Cannot create a network namespace (unshare ${flags.join(' ')}: ${probe.stderr?.trim() || probe.error?.message}); ` +
      'running the browser tests on the host network.',
  );
  return null;
}

async function step(name, cmd, args, hint) {
  banner(name);
  const t0 = Date.now();
  const code = await run(cmd, args);
  if (code !== 0) fail(name, hint);
  console.log(`(${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

async function testStep(name, cmd, args, hint) {
  banner(name);
  const t0 = Date.now();
  const { code, counted } = await runVitest(cmd, args);
  if (code !== 0) fail(name, `${hint}${counted ? '' : '\n(vitest printed no test summary: it crashed or found no test files)'}`);
  console.log(`(${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

await preflight();
await step('codegen check', 'node', ['scripts/codegen-check.mjs'], 'Run `pnpm codegen` and commit the generated files.');
await step('typecheck (pnpm -r check)', 'pnpm', ['-r', 'check'], 'Fix the type errors above.');
await step(
  'build (pnpm build:test)',
  'pnpm',
  ['build:test'],
  'The build failed: the production build (which tests/build checks) or the web test build the browser tests use.',
);
await testStep('API tests', 'pnpm', ['--filter', '@parley/api', 'test'], 'See the failing API tests above.');
await testStep('web tests', 'pnpm', ['--filter', '@parley/web', 'test'], 'See the failing web tests above.');
await testStep(
  'cross-process tests (host network)',
  'pnpm',
  ['--filter', '@parley/tests', 'test', '--project', 'node'],
  'See the failing tests above.',
);
const prefix = netnsPrefix();
const browserCmd = 'exec pnpm --filter @parley/tests test --project netns';
await testStep(
  `browser tests (${prefix ? 'loopback-only network namespace' : 'host network'})`,
  prefix ? prefix[0] : 'sh',
  prefix ? [...prefix.slice(1), 'sh', '-c', `ip link set lo up && ${browserCmd}`] : ['-c', browserCmd],
  'See the failing browser tests above.',
);
console.log('\n✓ all steps passed');
summary();
