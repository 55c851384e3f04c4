// npm run demo: builds a demo workspace from fixtures/ with the real CLI, printing each command as
// a user would type it, then shows the members and the audit trail.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const DIR = join(ROOT, 'demo');
const env = {
  ...process.env,
  ROLLCALL_WORKSPACE: join(DIR, 'acme.db'),
  ROLLCALL_CONFIG_DIR: join(DIR, 'config'),
};
delete env.ROLLCALL_TOKEN;
const ADMIN_PASSWORD = 'Demo-Passw0rd!'.replace('-', '#');

function rollcall(args, { input, quiet = false, allowFail = false } = {}) {
  if (!quiet) console.log(`\n$ rollcall ${args.map((a) => (/[\s"'#]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/rollcall'), ...args], { env, input: input ?? '', encoding: 'utf8' });
  if (!quiet) process.stdout.write(r.stdout);
  if (r.stderr && !quiet) process.stdout.write(r.stderr);
  if (r.status !== 0 && !allowFail) {
    console.error(`demo: "rollcall ${args.join(' ')}" failed with exit ${r.status}\n${r.stderr}`);
    process.exit(1);
  }
  return r;
}

rmSync(DIR, { recursive: true, force: true });
mkdirSync(DIR, { recursive: true });
console.log(`Demo workspace: ${env.ROLLCALL_WORKSPACE} (admin: admin@acme.example / ${ADMIN_PASSWORD})`);

rollcall(['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', 'admin@acme.example', '--admin-name', 'Demo Admin', '--password-stdin'], { input: ADMIN_PASSWORD + '\n' });

const roster = join(ROOT, 'fixtures/demo-roster.csv');
rollcall(['apply', roster, '--create-orgs', '--dry-run']);
rollcall(['apply', roster, '--create-orgs', '--secrets-out', join(DIR, 'secrets.csv')]);
rollcall(['apply', roster, '--detailed-exitcode']);
rollcall(['org', 'tree']);
rollcall(['member', 'suspend', 'linus.t@acme.example', '--reason', 'on leave']);
rollcall(['member', 'remove', 'taro.yamada@acme.example', '--reason', 'internship ended']);
rollcall(['member', 'restore', 'taro.yamada@acme.example']);
rollcall(['member', 'suspend', 'admin@acme.example'], { allowFail: true });
rollcall(['member', 'list']);
rollcall(['member', 'list', '--search', '佐藤']);
rollcall(['member', 'list', '--org', 'IT']);
rollcall(['workspace', 'show']);
rollcall(['audit', 'list', '--limit', '5']);
rollcall(['audit', 'verify']);
console.log(`\nTry it yourself:\n  export ROLLCALL_WORKSPACE=${env.ROLLCALL_WORKSPACE} ROLLCALL_CONFIG_DIR=${env.ROLLCALL_CONFIG_DIR}\n  node bin/rollcall member list`);
