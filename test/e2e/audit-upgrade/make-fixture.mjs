// Makes workspace-v2.json, the workspace audit-upgrade.test.ts upgrades: a history written by a
// rollcall from before the compact audit format (schema version 2), every table's rows as stored,
// and what that rollcall printed of it (heads, listings) to compare with after the upgrade.
//
//   node test/e2e/audit-upgrade/make-fixture.mjs OLD_BIN > test/e2e/audit-upgrade/workspace-v2.json
//
// OLD_BIN is bin/rollcall of a checkout of such a version, built (the committed file was made by
// main at c532ee2). Times are fixed (ROLLCALL_NOW); ids, batches and hashes are the run's own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve(process.argv[2] ?? '');
const dir = mkdtempSync(join(tmpdir(), 'rc-fixture-'));
const ws = join(dir, 'ws.db');
const T0 = Date.parse('2030-01-07T09:00:00.000Z');
let minutes = 0;
let token = '';
const run = (args, input) => execFileSync(process.execPath, [bin, ...args], {
  input, encoding: 'utf8',
  env: { ...process.env, ROLLCALL_WORKSPACE: ws, ROLLCALL_CONFIG_DIR: join(dir, 'cfg'), ROLLCALL_NOW: new Date(T0 + minutes++ * 60_000).toISOString(), ROLLCALL_TOKEN: token, NO_COLOR: '1', CI: 'true' },
});
const json = (args) => JSON.parse(run([...args, '--json']));
const at = (local) => `${local}@acme.example`;

try {
  run(['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', at('alice'), '--admin-name', 'Alice Admin', '--password-stdin'], 'Adm1nPassw0rd!\n');
  token = json(['token', 'create', '--name', 'test-admin', '--expires-in', '3000d']).token;
  for (const who of ['bob', 'carol', 'dave']) run(['member', 'add', at(who), '--name', who[0].toUpperCase() + who.slice(1)]);
  run(['group', 'create', 'Design', '--description', 'Product design']);
  run(['group', 'add-member', 'Design', at('bob'), at('carol')]);
  const roster = join(dir, 'roster.csv');
  execFileSync('sh', ['-c', `printf '%s\\n' 'email,name,title,org' ${['erin', 'frank', 'gina', 'hal'].map((p, i) => `'${at(p)},${p},Staff,Sales/Team${i % 2}'`).join(' ')} > ${roster}`]);
  run(['apply', roster, '--create-orgs']);
  const early = run(['audit', 'head']).trim();
  run(['member', 'suspend', at('bob'), '--reason', 'on leave']);
  run(['member', 'remove', at('carol'), at('dave'), '--reason', 'left']);
  const removals = json(['audit', 'list', '--action', 'member.remove']);
  const final = run(['audit', 'head']).trim();
  const removeBatch = removals[0].batch;
  const out = {
    made: 'node test/e2e/audit-upgrade/make-fixture.mjs with main at c532ee2 (schema version 2)',
    token, early, final, removeBatch,
    list: json(['audit', 'list', '--limit', '1000']),
    batchList: json(['audit', 'list', '--batch', removeBatch]),
    targetList: json(['audit', 'list', '--target', at('bob')]),
    groupList: json(['audit', 'list', '--target', 'Design']),
    verify: json(['audit', 'verify', '--head', early, '--head', final]),
    tables: {},
  };
  const db = new (createRequire(import.meta.url)('better-sqlite3'))(ws, { readonly: true });
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid").pluck().all();
  for (const t of tables) out.tables[t] = db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all();
  db.close();
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
