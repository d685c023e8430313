import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

/**
 * A test build (PARLEY_TEST_BUILD=1, `pnpm build:test`, written to build-test/ by
 * svelte.config.js) carries window.__parley for the browser tests; production builds
 * and the dev server do not.
 */
const TEST_BUILD = process.env.PARLEY_TEST_BUILD === '1';

/** Where `pnpm dev` in api/ listens; the web dev server forwards API paths there. */
const API_DEV = 'http://127.0.0.1:3001';

export default defineConfig({
  plugins: [sveltekit(), svelteTesting()],
  define: { __PARLEY_TEST_HOOK__: JSON.stringify(TEST_BUILD) },
  server: {
    proxy: {
      '/graphql': { target: API_DEV, ws: true },
      '/graphiql': { target: API_DEV },
      '/healthz': { target: API_DEV },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/vitest-setup.ts'],
  },
});
