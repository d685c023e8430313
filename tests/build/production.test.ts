/**
 * Nothing test-only ships: the production build (`pnpm build`: web/build and
 * api/dist) carries no window.__parley hook and reads no STUN_TEST_PORT_SHIFT, while the
 * test build (web/build-test) does carry the hook, which shows the search can find it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startFlags } from '../../api/start-flags.mjs';
import { REPO_ROOT, WEB_TEST_BUILD_DIR } from '../support/server.js';

const WEB_BUILD = join(REPO_ROOT, 'web', 'build');
const API_BUILD = join(REPO_ROOT, 'api', 'dist');

/** Files under `dir` (recursively) whose text contains `needle`, as paths relative to dir. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(js|mjs|cjs|html|json|map)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    if (readFileSync(path, 'utf8').includes(needle)) hits.push(path.slice(dir.length + 1));
  }
  return hits;
}

function built(dir: string): string {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist: run \`pnpm build:test\` first.`);
  return dir;
}

describe('production build', () => {
  it('web pages carry no test hook', () => {
    expect(filesContaining(built(WEB_BUILD), '__parley')).toEqual([]);
  });

  it('the test build does carry it (so the search above can see it)', () => {
    expect(filesContaining(built(WEB_TEST_BUILD_DIR), '__parley').length).toBeGreaterThan(0);
  });

  it('the server reads no test-only setting from the environment', () => {
    expect(filesContaining(built(API_BUILD), 'STUN_TEST_PORT_SHIFT')).toEqual([]);
    expect(filesContaining(built(API_BUILD), '__parley')).toEqual([]);
  });
});

describe("pnpm start's node flags", () => {
  it('keep the young generation from shrinking while idle, and this node accepts them', () => {
    const flags = startFlags();
    expect(flags).toEqual(expect.arrayContaining(['--enable-source-maps', '--min-semi-space-size=8', '--no-memory-reducer']));
    // A node that rejects a flag exits with "bad option" instead of running.
    expect(execFileSync(process.execPath, [...flags, '-p', '42'], { encoding: 'utf8' }).trim()).toBe('42');
  });
});
