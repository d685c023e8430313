/**
 * graphql-js as mercurius and graphql-ws load it: the CommonJS build. Under Node a plain
 * `import 'graphql'` resolves there too, but bundlers and vitest pick the ESM copy, and
 * graphql-js refuses schemas and `instanceof`-checks errors across the two. The socket
 * transport (prepared.ts, socket-transport.ts) takes graphql and graphql-jit from here.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const graphql = require('graphql') as typeof import('graphql');
export const jit = require('graphql-jit') as typeof import('graphql-jit');
