// Bundles the CLI with esbuild into one CommonJS file, dist/rollcall.cjs. Measured on Node 20 here:
// one file instead of dozens of ES modules saves ~30 ms of start-up, and CommonJS (no ES module
// loader for our own code) ~10 ms more. Type checking is `npm run typecheck`; this only emits.
// Modules behind a dynamic import (PostgreSQL, rosters) are evaluated only when reached, and the
// packages they use are required only then.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const external = [
  'better-sqlite3', 'pg', 'pg-copy-streams', '@inquirer/prompts', 'chalk', 'cli-table3', 'ora', 'yaml', 'csv-parse', 'csv-stringify', 'iconv-lite',
  'jq-wasm', 'scim2-parse-filter', 'scim-patch', 'nodemailer',
];

// Commander requires child_process at load for executable subcommands, which rollcall does not use;
// loading it (and net, dgram, streams with it) cost every command ~4 ms. Its require becomes a
// property read on first use.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.namespace === 'lazy' ? { path: 'node:child_process', external: true } : { path: 'child_process', namespace: 'lazy' });
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/rollcall.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external,
  // Every import.meta.url in src/ is createRequire's argument, which takes a path as well as a URL.
  define: { 'import.meta.url': '__filename' },
  minifyWhitespace: true, // smaller to parse at every start; identifiers stay readable in stack traces
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [lazyChildProcess],
  metafile: true,
  write: false,
});

// bin/bundle.cjs compiles the bundle with a V8 code cache, and V8 does not keep, in code read
// from a cache, what Node needs to run an import() there. So the bundle's import() of packages
// (the ES modules among them cannot be required) go through __importPackage: the loader's own
// import() when bin/bundle.cjs passes one, else the bundle's (loaded by require, as the tests do).
const [out] = result.outputFiles;
const dynamic = Object.values(result.metafile.outputs)[0].imports.filter((i) => i.kind === 'dynamic-import' && i.external).length;
if (!out.text.startsWith('"use strict";')) throw new Error('the bundle no longer starts with "use strict";');
const text = out.text.replaceAll('import("', '__importPackage("')
  .replace('"use strict";', '"use strict";var __importPackage=typeof __rollcallImport=="function"?__rollcallImport:(s)=>import(s);');
const routed = text.split('__importPackage("').length - 1;
if (routed !== dynamic) throw new Error(`the bundle has ${routed} import(" texts but ${dynamic} dynamic imports of packages: a string holds import(", which must not be rewritten`);
mkdirSync(new URL('../dist', import.meta.url));
writeFileSync(out.path, text);

// The V8 code cache bin/bundle.cjs loads the bundle with, made in a process of its own (see there).
const cache = spawnSync(process.execPath, ['-e', "require('./bin/bundle.cjs').writeCodeCache().catch((e) => { console.error(e); process.exit(1); })"], {
  cwd: new URL('..', import.meta.url), stdio: 'inherit',
});
if (cache.status !== 0) throw new Error('the code cache could not be written (see above)');
