#!/usr/bin/env node
// `pnpm dev`: the API with reload on :3001 (tsx watch) and the web app with hot reload
// on :3000 (Vite, proxying /graphql, /graphiql and /healthz to the API). Ctrl-C stops both.
import { spawn } from 'node:child_process';

const children = [
  spawn('pnpm', ['--filter', '@parley/api', 'dev'], { stdio: 'inherit', env: { ...process.env, PORT: '3001' } }),
  spawn('pnpm', ['--filter', '@parley/web', 'dev', '--port', '3000', '--strictPort'], { stdio: 'inherit' }),
];
const stop = () => children.forEach((c) => c.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', stop);
