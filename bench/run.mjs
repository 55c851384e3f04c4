// npm run bench: prints each benchmark's figures and writes them to bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postgresBench } from './postgres.mjs';
import { rosterBench } from './roster.mjs';
import { startupBench } from './startup.mjs';

const only = process.argv.slice(2);
const suites = { startup: startupBench, roster: rosterBench, postgres: postgresBench };
const results = [];
for (const [name, run] of Object.entries(suites)) {
  if (only.length && !only.includes(name)) continue;
  const r = await run();
  results.push(r);
  console.log(JSON.stringify(r));
}
const dir = join(new URL('.', import.meta.url).pathname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2) + '\n');
