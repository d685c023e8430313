/**
 * Cross-process tests: real servers on real ports, real PostgreSQL, Debian's Chromium.
 *
 * Two projects, so scripts/test.mjs can run the browser ones in a network namespace:
 *  - "node":  API over sockets, STUN over UDP, PostgreSQL on 127.0.0.1:5432 (host network).
 *  - "netns": tests/web/** and tests/call/**: browsers and the servers they talk to.
 *    scripts/test.mjs runs these under `unshare -n` with only loopback up, so every ICE
 *    candidate is 127.0.0.1 and no request can leave the machine. PostgreSQL is not
 *    reachable in there, so tests in these folders use the embedded database.
 * `vitest run` alone (pnpm --filter @parley/tests test) runs both on the host network.
 */
import { defineConfig } from 'vitest/config';

/** Folders whose tests run inside the loopback-only network namespace. */
export const NETNS_DIRS = ['web', 'call'];

export default defineConfig({
  test: {
    environment: 'node',
    // Each test spawns servers or browsers: 2 cores, so one file at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    teardownTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**', ...NETNS_DIRS.map((d) => `${d}/**`)],
        },
      },
      {
        extends: true,
        test: {
          name: 'netns',
          include: NETNS_DIRS.map((d) => `${d}/**/*.test.ts`),
        },
      },
    ],
  },
});
