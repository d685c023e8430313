/**
 * Interop: coturn's turnutils_stunclient, a STUN client nobody here wrote, accepts our
 * Binding response (exit 0) and prints the reflexive address we reported.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startStun, type StunFixture } from './fixture.js';

const run = promisify(execFile);
const CLIENT = '/usr/bin/turnutils_stunclient';

let listener: StunFixture | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

/** Runs the client against our port; -f (RFC 5780) is not used: it hangs on a one-address server. */
async function stunclient(port: number, host: string): Promise<string> {
  try {
    accessSync(CLIENT, constants.X_OK);
  } catch {
    throw new Error(`${CLIENT} is missing: apt-get install coturn (it brings turnutils_stunclient)`);
  }
  const { stdout } = await run('timeout', ['10', CLIENT, '-p', String(port), host]);
  return stdout;
}

describe('turnutils_stunclient against our listener', () => {
  it('exits 0 and prints the reflexive address we report', async () => {
    listener = await startStun({ record: true });
    const stdout = await stunclient(listener.port, '127.0.0.1');
    const source = listener.answered[0];
    expect(source?.address).toBe('127.0.0.1');
    expect(stdout).toContain(`IPv4. UDP reflexive addr: 127.0.0.1:${source?.port}`);
  });

  it('prints the shifted port when the test-only shift is on', async () => {
    listener = await startStun({ record: true, portShift: 1000 });
    const stdout = await stunclient(listener.port, '127.0.0.1');
    const source = listener.answered[0]!;
    expect(stdout).toContain(`UDP reflexive addr: 127.0.0.1:${(source.port + 1000) & 0xffff}`);
  });

  it('works over IPv6 loopback too', async (ctx) => {
    listener = await startStun({ record: true });
    if (!listener.addresses.includes('::1')) ctx.skip(); // this machine has no IPv6 loopback
    const stdout = await stunclient(listener.port, '::1');
    expect(stdout).toContain(`IPv6. UDP reflexive addr: ::1:${listener.answered[0]?.port}`);
  });
});
