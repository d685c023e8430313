/**
 * What the profiling tools (profile-relay.ts, alloc-probe.ts) share: the bare ws relay and
 * then Parley measured one after the other by the same function, and the package a
 * profile frame's code belongs to.
 */
import { parleySystem } from './clients/parley.js';
import type { System } from './clients/types.js';
import { wsSystem } from './clients/ws.js';
import { RAISED_LIMITS, startChild, startParley, type ServerChild } from './proc.js';

/** Measures the bare ws relay, then Parley (profiled: `detailed`), each on its own server, and prints both reports. */
export async function wsThenParley(measure: (name: string, server: ServerChild, system: System, detailed: boolean) => Promise<string>): Promise<never> {
  const reports: string[] = [];
  for (const [name, start, client, detailed] of [
    ['bare ws', () => startChild('ws relay', 'ws-relay.ts'), wsSystem, false],
    ['Parley', () => startParley({ ...RAISED_LIMITS, LOG_LEVEL: 'info' }), parleySystem, true],
  ] as const) {
    const server = await start();
    const system = client(server.url);
    try {
      reports.push(await measure(name, server, system, detailed));
    } finally {
      system.dispose();
      await server.stop();
    }
  }
  process.stdout.write(`${reports.join('\n\n')}\n`);
  process.exit(0);
}

/** Which package a frame's code belongs to (`parley:<folder>` for api/src). */
export function bucket(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const src = /\/api\/src\/(.+)$/.exec(url);
  if (src) return 'parley:' + src[1]!.split('/')[0];
  return url.replace(/^file:\/\//, '');
}
