/**
 * A participant behind a narrow uplink, for real congestion without netem: a child
 * network namespace joined to ours by a veth pair, with a token bucket (`tc ... tbf`) on
 * the child's end, so everything the child sends to us is shaped. Addresses exist only
 * inside these two namespaces (the caller already runs in a private one, `unshare -n`).
 * A Chromium started through `chromiumPath` runs in the child; Playwright drives it over
 * a pipe, which no namespace touches. Used by tests/call/shaped-uplink.test.ts and the
 * shaped bench (bench/benches/shaped-run.ts); tests/call/link-failure.test.ts cuts it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from './browser.js';

export interface ShapedLink {
  /** Our end's address (where the child reaches our servers). */
  hostAddress: string;
  /** The child's address. */
  childAddress: string;
  /** A script that runs Chromium inside the child namespace (Playwright's executablePath). */
  chromiumPath: string;
  /** Shapes the child's uplink: `tc qdisc replace ... tbf rate <rate> burst 32kbit latency 400ms`. */
  shape(rate: string): void;
  /** Lifts the shaping. */
  unshape(): void;
  /** Cuts the link (`ip link set <our end> down`): nothing crosses until up(). */
  down(): void;
  /** Brings the link back; both ends keep their addresses. */
  up(): void;
  close(): void;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** Makes the child namespace and the veth pair; `subnet` is the /24's first three octets. */
export async function createShapedLink(chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', subnet = '10.77.0'): Promise<ShapedLink> {
  // `unshare -n` execs sleep: the holder's pid is the namespace's handle for nsenter.
  const holder: ChildProcess = spawn('unshare', ['-n', 'sleep', 'infinity'], { stdio: 'ignore' });
  const pid = holder.pid!;
  const ours = readlinkSync('/proc/self/ns/net');
  for (let i = 0; ; i++) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/net`) !== ours) break;
    } catch {
      // not there yet
    }
    if (i > 100) throw new Error('the child network namespace did not appear');
    await new Promise((r) => setTimeout(r, 20));
  }
  const tag = Math.random().toString(36).slice(2, 7);
  const ourEnd = `shp${tag}a`;
  const theirEnd = `shp${tag}b`;
  const hostAddress = `${subnet}.1`;
  const childAddress = `${subnet}.2`;
  const inChild = (...args: string[]) => run('nsenter', ['-t', String(pid), '-n', ...args]);
  run('ip', ['link', 'add', ourEnd, 'type', 'veth', 'peer', 'name', theirEnd]);
  run('ip', ['link', 'set', theirEnd, 'netns', String(pid)]);
  run('ip', ['addr', 'add', `${hostAddress}/24`, 'dev', ourEnd]);
  run('ip', ['link', 'set', ourEnd, 'up']);
  inChild('ip', 'link', 'set', 'lo', 'up');
  inChild('ip', 'addr', 'add', `${childAddress}/24`, 'dev', theirEnd);
  inChild('ip', 'link', 'set', theirEnd, 'up');

  const dir = mkdtempSync(join(tmpdir(), 'parley-shaped-'));
  const chromiumPath = join(dir, 'chromium-in-child');
  writeFileSync(chromiumPath, `#!/bin/sh\nexec nsenter -t ${pid} -n ${chromium} "$@"\n`);
  chmodSync(chromiumPath, 0o755);

  return {
    hostAddress,
    childAddress,
    chromiumPath,
    shape: (rate) => void inChild('tc', 'qdisc', 'replace', 'dev', theirEnd, 'root', 'tbf', 'rate', rate, 'burst', '32kbit', 'latency', '400ms'),
    unshape: () => void inChild('tc', 'qdisc', 'del', 'dev', theirEnd, 'root'),
    down: () => void run('ip', ['link', 'set', ourEnd, 'down']),
    up: () => void run('ip', ['link', 'set', ourEnd, 'up']),
    close: () => {
      try {
        run('ip', ['link', 'del', ourEnd]);
      } catch {
        // gone with the namespace already
      }
      holder.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A headless Chromium inside the child namespace: no loopback candidates (its only path
 * is the veth), and the server's plain-http address there treated as secure, which
 * getUserMedia needs.
 */
export function launchBehind(link: ShapedLink, serverPort: number | string): Promise<Browser> {
  return chromium.launch({
    executablePath: link.chromiumPath,
    headless: true,
    args: [...CHROMIUM_ARGS.filter((a) => a !== '--allow-loopback-in-peer-connection'), `--unsafely-treat-insecure-origin-as-secure=http://${link.hostAddress}:${serverPort}`],
  });
}
