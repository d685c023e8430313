import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: {
    runes: true,
  },
  kit: {
    // The API process mounts build/handler.js inside Fastify (see api/src). A test build
    // (PARLEY_TEST_BUILD=1, with the browser tests' hook) goes to build-test/ instead, so
    // it never overwrites what production serves.
    adapter: adapter({ out: process.env.PARLEY_TEST_BUILD === '1' ? 'build-test' : 'build' }),
    // SvelteKit adds the hashes of its own inline scripts to script-src. The API adds the
    // other security headers (api/src/http/security.ts).
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'media-src': ['self', 'blob:', 'mediastream:'],
        'connect-src': ['self', 'ws:', 'wss:'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
