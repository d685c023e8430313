#!/usr/bin/env node
/**
 * Fails when the generated GraphQL files are stale: snapshots their contents, runs
 * `pnpm codegen`, and compares. Contents, not git, so it works on uncommitted changes.
 * The snapshot is put back afterwards: a check does not rewrite the tree.
 * Called by `pnpm codegen:check` and scripts/test.mjs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GENERATED_DIRS = ['api/src/graphql/generated', 'web/src/lib/graphql/generated'];

/** path (relative to root) -> contents, for every file under the generated dirs. */
function snapshot() {
  const files = new Map();
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path));
    }
  };
  for (const dir of GENERATED_DIRS) walk(join(root, dir));
  return files;
}

function restore(before, after) {
  for (const path of after.keys()) if (!before.has(path)) rmSync(join(root, path));
  for (const [path, contents] of before) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), contents);
  }
}

const before = snapshot();
const run = spawnSync('pnpm', ['codegen'], { cwd: root, encoding: 'utf8' });
const after = snapshot();
restore(before, after);

if (run.error || run.status !== 0) {
  process.stderr.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  console.error(`codegen check: \`pnpm codegen\` failed (${run.error?.message ?? `exit ${run.status}`}).`);
  process.exit(1);
}

const stale = [];
for (const [path, contents] of after) {
  const old = before.get(path);
  if (!old) stale.push(`${path} (missing)`);
  else if (!old.equals(contents)) stale.push(`${path} (out of date)`);
}

if (stale.length > 0) {
  console.error('codegen check: generated files are stale:');
  for (const line of stale) console.error(`  ${line}`);
  console.error('Run `pnpm codegen` and commit the result.');
  process.exit(1);
}
console.log(`codegen check: ${after.size} generated files are up to date.`);
