/**
 * Where the files the server reads at start live. Resolved from api/: this module is
 * api/src/paths.ts under tsx and part of api/dist/server.js in the build, one folder
 * below api/ either way, so the same relative paths hold for both.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The api/ package folder. */
export const API_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The wire contract at the repository root. */
export const SCHEMA_FILE = join(API_ROOT, '..', 'schema.graphql');
/** Where `pnpm build` puts the web app (SvelteKit adapter-node output). */
export const WEB_BUILD_DIR = join(API_ROOT, '..', 'web', 'build');
/** GraphiQL's bundle, built by api/scripts/build-graphiql.mjs. */
export const GRAPHIQL_DIR = join(API_ROOT, 'dist', 'graphiql');
