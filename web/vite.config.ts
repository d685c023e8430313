import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

/** Where `pnpm dev` in api/ listens; the web dev server forwards API paths there. */
const API_DEV = 'http://127.0.0.1:3001';

export default defineConfig({
  plugins: [sveltekit(), svelteTesting()],
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
