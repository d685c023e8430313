/**
 * The node flags `pnpm start` runs the built server with, read from this package's own
 * `start` script so that there is one list: the tests (tests/support/server.ts), the
 * benchmarks (bench/lib/proc.ts) and scripts/start-figures.mjs start Parley with them too.
 */
import { readFileSync } from 'node:fs';

export function startFlags() {
  const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
  const match = /\bnode((?:\s+--\S+)*)\s+dist\/server\.js/.exec(pkg.scripts.start);
  if (!match) throw new Error(`api/package.json's start script does not run node on dist/server.js: ${pkg.scripts.start}`);
  return match[1].trim().split(/\s+/).filter(Boolean);
}
