import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: {
    runes: true,
  },
  kit: {
    // The API process mounts build/handler.js inside Fastify (see api/src).
    adapter: adapter({ out: 'build' }),
  },
};

export default config;
