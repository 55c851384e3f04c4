// The package as a user gets it (issue 23.11): `npm pack` (which runs `prepare`, the build), then
// `npm install -g` of that tarball into a temporary prefix, then the installed `rollcall`:
// --version, and init, member list and roster validate in a new folder with no other rollcall
// around. .ci/run runs it after `npm ci`; `npm run pack-check` runs it by hand.
//
// Speed: the install takes the packages from the npm cache that `npm ci` just filled
// (--prefer-offline). better-sqlite3's install script downloads a prebuilt binary from GitHub, or
// compiles SQLite for minutes where it cannot; its own download cache (the npm cache's
// _prebuilds/) is seeded here with the binary `npm ci` already has for this platform and Node,
// so the install script runs as on a user's machine but finds its download done.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const tmp = mkdtempSync(join(tmpdir(), 'rollcall-pack-'));
const log = (msg) => console.log(`pack-check: ${msg} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} → exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** better-sqlite3's prebuilt binary where its install script looks for a finished download. */
function seedPrebuild(cache) {
  const dir = join(ROOT, 'node_modules', 'better-sqlite3');
  const binary = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binary)) return log('no built better-sqlite3 to seed the download cache with: its install may compile');
  const req = createRequire(join(dir, 'package.json'));
  const pkg = req('./package.json');
  const opts = { ...req('prebuild-install/rc')(pkg), pkg };
  const util = req('prebuild-install/util');
  process.env.npm_config_cache = cache; // where the install script will look
  const cached = util.cachedPrebuild(util.getDownloadUrl(opts));
  if (existsSync(cached)) return;
  mkdirSync(dirname(cached), { recursive: true });
  run('tar', ['czf', cached, '-C', dir, 'build/Release/better_sqlite3.node']);
}

try {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT }));
  const files = packed.files.map((f) => f.path).sort();
  const unexpected = files.filter((f) => !/^(bin\/|dist\/|README\.md$|LICENSE|package\.json$)/.test(f));
  for (const needed of ['bin/rollcall', 'bin/package.json', 'dist/rollcall.cjs', 'package.json', 'README.md']) {
    if (!files.includes(needed)) throw new Error(`the tarball lacks ${needed}: ${files.join(', ')}`);
  }
  if (unexpected.length) throw new Error(`the tarball holds what a user does not need: ${unexpected.join(', ')}`);
  log(`packed ${packed.filename}: ${files.join(', ')}`);

  const cache = run('npm', ['config', 'get', 'cache']).trim();
  seedPrebuild(cache);
  const prefix = join(tmp, 'prefix');
  run('npm', ['install', '--global', '--prefix', prefix, join(tmp, packed.filename), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tmp });
  log(`installed into ${prefix}`);

  // The installed command, in a new folder, with nothing of the checkout around.
  const bin = join(prefix, process.platform === 'win32' ? 'rollcall.cmd' : join('bin', 'rollcall'));
  const work = join(tmp, 'work');
  mkdirSync(work);
  const env = { PATH: process.env.PATH, HOME: work, ROLLCALL_CONFIG_DIR: join(work, 'config'), CI: 'true' };
  const rollcall = (args, input) => run(bin, args, { cwd: work, env, input });
  const version = rollcall(['--version']).trim();
  const expected = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  if (version !== expected) throw new Error(`rollcall --version says ${version}, package.json ${expected}`);
  rollcall(['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', 'alice@acme.example', '--password-stdin'], 'Adm1nPassw0rd!\n');
  const members = JSON.parse(rollcall(['member', 'list', '--json']));
  if (members.length !== 1 || members[0].email !== 'alice@acme.example') throw new Error(`member list: ${JSON.stringify(members)}`);
  const filtered = rollcall(['member', 'list', '--jq', '.[0].email']).trim(); // jq-wasm, required at run time from the install
  if (filtered !== 'alice@acme.example') throw new Error(`member list --jq: ${filtered}`);
  writeFileSync(join(work, 'roster.csv'), 'email,name\nbob@acme.example,Bob Lee\n');
  const valid = rollcall(['roster', 'validate', 'roster.csv']).trim();
  if (valid !== 'valid: 1 member') throw new Error(`roster validate: ${valid}`);
  // The start-up code cache was packed with the bundle it was made from (bin/bundle.cjs).
  const installed = join(prefix, 'lib', 'node_modules', 'rollcall', 'bin', 'bundle.cjs');
  const cached = run(process.execPath, ['-e', `process.stdout.write(String(require(${JSON.stringify(installed)}).compileBundle().cacheUsed))`], { cwd: work, env });
  if (process.platform !== 'win32' && cached !== 'true') throw new Error('the installed rollcall does not use its code cache');
  log(`rollcall ${version} runs from the tarball: --version, init, member list (--json, --jq), roster validate, with its code cache`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
