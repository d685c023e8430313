// Bundles the server (src/server.ts and everything it imports) with esbuild into
// dist/server.js, and the STUN worker thread into dist/stun-worker.js, with source maps, so `pnpm start` runs plain node, no TypeScript
// loader. Run by `pnpm build`.
//
// Packages stay outside the bundle where bundling would break them: PGlite reads its
// WASM and data files next to its own module; MikroORM (and knex and pg under it) load
// drivers and dialects with dynamic require. Only direct dependencies of api/ can stay
// outside: pnpm resolves nothing else from here. graphql stays outside so every user
// (mercurius, graphql-ws, graphql-jit, our code) shares the one CommonJS copy Node loads:
// bundled, esbuild would add its ESM copy beside it, and graphql-js refuses schemas across
// copies (see src/graphql/graphql-cjs.ts).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export const external = [
  '@electric-sql/pglite',
  '@electric-sql/pglite-socket',
  '@mikro-orm/*',
  'graphql',
];

await build({
  absWorkingDir: root,
  entryPoints: { server: 'src/server.ts', 'stun-worker': 'src/stun/worker.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  outdir: 'dist',
  sourcemap: 'linked',
  // Keep names so stack traces and MikroORM's entity/migration names stay readable.
  keepNames: true,
  external,
  // Bundled CommonJS packages call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __esmCreateRequire } from 'node:module'; const require = __esmCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
