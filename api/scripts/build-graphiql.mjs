// Bundles GraphiQL (graphiql/main.tsx) with esbuild into dist/graphiql/, so /graphiql
// serves only same-origin assets. Run by `pnpm build`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: { graphiql: 'graphiql/main.tsx' },
  bundle: true,
  minify: true,
  format: 'esm',
  splitting: false,
  target: 'es2022',
  jsx: 'automatic',
  outdir: 'dist/graphiql',
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file', '.svg': 'file' },
  logLevel: 'warning',
});
