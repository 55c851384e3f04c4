// Builds the CLI once before the suite, so the end-to-end tests always run the current src/ through
// the real bin/rollcall (also on a clean checkout right after `npm ci`).
// The project's build is scripts/build.mjs (esbuild → dist/, what `npm run build` runs); tsc only
// type-checks here (tsconfig has noEmit), so it cannot produce dist/.
// ROLLCALL_TEST_NO_BUILD=1 skips the build and tests whatever dist/ holds.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export default function setup(): void {
  if (process.env.ROLLCALL_TEST_NO_BUILD !== '1') {
    const started = Date.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the build failed (node scripts/build.mjs), so the CLI cannot be tested:\n${r.stdout}\n${r.stderr}`);
    if (process.env.ROLLCALL_TEST_VERBOSE === '1') console.log(`built dist/ in ${Date.now() - started} ms`);
  }
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) throw new Error('dist/main.js is missing: build with npm run build');
}
