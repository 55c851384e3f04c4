// Builds the CLI once before the suite, so the end-to-end tests always run the current src/ through
// the real bin/rollcall (also on a clean checkout right after `npm ci`).
// The project's build is scripts/build.mjs (esbuild → dist/, what `npm run build` runs); tsc only
// type-checks here (tsconfig has noEmit), so it cannot produce dist/.
// ROLLCALL_TEST_NO_BUILD=1 skips the build and tests whatever dist/ holds.
//
// The tests then run a snapshot of bin/ and dist/ (byte-identical copies under node_modules/.cache,
// so the packages still resolve): another build in the same checkout while the suite runs (an
// editor's watcher, a second `npm test`) deletes and rewrites dist/, which would otherwise fail
// whichever tests happened to start a process at that moment.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bin/rollcall the end-to-end tests run (a snapshot of the built CLI). */
    rollcallBin: string;
  }
}

export default function setup(project: TestProject): () => void {
  if (process.env.ROLLCALL_TEST_NO_BUILD !== '1') {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the build failed (node scripts/build.mjs), so the CLI cannot be tested:\n${r.stdout}\n${r.stderr}`);
  }
  const snapshot = join(ROOT, 'node_modules', '.cache', 'rollcall-e2e', `${process.pid}-${Date.now()}`);
  mkdirSync(snapshot, { recursive: true });
  cpSync(join(ROOT, 'bin'), join(snapshot, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'dist'), join(snapshot, 'dist'), { recursive: true });
  const bin = join(snapshot, 'bin', 'rollcall');
  // The binary must start: a smoke run of --version, whatever dist/ is laid out as.
  const v = spawnSync(process.execPath, [bin, '--version'], { cwd: ROOT, encoding: 'utf8' });
  if (v.status !== 0) throw new Error(`bin/rollcall --version failed (exit ${v.status}); is dist/ built?\n${v.stdout}\n${v.stderr}`);
  project.provide('rollcallBin', bin);
  return () => rmSync(snapshot, { recursive: true, force: true });
}
