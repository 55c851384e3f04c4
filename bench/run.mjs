// npm run bench [-- SUITE…]: builds dist/ from the checked-out source, runs the suites (default:
// startup roster postgres scim; `scale`, the million-member run, only when named), prints each suite's
// result as a JSON line, writes bench/results/latest.json (and bench/results/SUITE.json per suite),
// and ends with a human summary: the figures and every goal of issue 21, met or not.
// Progress goes to stderr; Ctrl-C keeps the rounds measured so far and reports them.
// BENCH_RUNS (3) rounds per figure; BENCH_NO_BUILD=1 measures dist/ as is. See docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT, keepRoundsOnSignal, loadavg, log, stop } from './lib.mjs';
import { postgresBench } from './postgres.mjs';
import { rosterBench } from './roster.mjs';
import { scaleBench } from './scale.mjs';
import { scimBench } from './scim.mjs';
import { startupBench } from './startup.mjs';
import { summary } from './summary.mjs';

const suites = { startup: startupBench, roster: rosterBench, postgres: postgresBench, scim: scimBench, scale: scaleBench };
const DEFAULT = ['startup', 'roster', 'postgres', 'scim'];
const asked = process.argv.slice(2);
const unknown = asked.filter((s) => !(s in suites));
if (unknown.length) {
  console.error(`bench: unknown suite ${unknown.join(', ')}; choose from ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
const only = asked.length ? asked : DEFAULT;

if (!process.env.BENCH_NO_BUILD) {
  log('building dist/rollcall.cjs');
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const commit = git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? '+changes' : '');
const run = {
  at: new Date().toISOString(),
  node: process.version,
  commit,
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model.trim(), memGb: Math.round(totalmem() / 2 ** 30) },
  loadavg: { start: loadavg() },
  results: [],
};
keepRoundsOnSignal();
const dir = join(ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
for (const name of Object.keys(suites).filter((s) => only.includes(s))) {
  log(`${name}…`);
  const r = await suites[name]();
  if (stop.requested) r.interrupted = true;
  run.results.push(r);
  console.log(JSON.stringify(r));
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ ...run, results: [r] }, null, 2) + '\n');
  if (stop.requested) break;
}
run.loadavg.end = loadavg();
writeFileSync(join(dir, 'latest.json'), JSON.stringify(run, null, 2) + '\n');
console.log('\n' + summary(run));
