/**
 * A real coturn (`turnserver`, Debian package coturn) on loopback, configured the way
 * infra/coturn/turnserver.conf is: use-auth-secret with a static-auth-secret, a realm,
 * no CLI; logging to stdout; a free UDP port; its state in a temp dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/server.js';
import { freeUdpPort } from '../stun/free-port.js';

const TURNSERVER = '/usr/bin/turnserver';

export interface Coturn {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

export async function startCoturn(secret: string, realm = 'parley.test'): Promise<Coturn> {
  try {
    accessSync(TURNSERVER, constants.X_OK);
  } catch {
    throw new Error(`${TURNSERVER} is missing: apt-get install coturn`);
  }
  const port = await freeUdpPort();
  const dir = tempDir('parley-coturn-');
  const child: ChildProcess = spawn(
    TURNSERVER,
    [
      '-n', '--no-cli', '--log-file', 'stdout', '--simple-log',
      '--listening-ip', '127.0.0.1', '--relay-ip', '127.0.0.1', '--listening-port', String(port),
      '--min-port', '49160', '--max-port', '49999',
      '--use-auth-secret', '--static-auth-secret', secret, '--realm', realm,
      '--no-tls', '--no-dtls', '--fingerprint',
      '--userdb', join(dir, 'turndb'), '--pidfile', join(dir, 'turnserver.pid'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  process.once('exit', () => child.kill('SIGKILL'));
  const until = Date.now() + 10_000;
  while (!/Total General servers|turn server id=\d+ created/.test(output)) {
    if (child.exitCode !== null) throw new Error(`turnserver exited (${child.exitCode}):\n${output}`);
    if (Date.now() > until) throw new Error(`turnserver did not start within 10 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200));
  return {
    port,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}
