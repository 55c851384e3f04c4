// Issue 18 (11): a PostgreSQL password need not be on the command line (where `ps` shows it to every
// user of the machine): PGPASSWORD, ~/.pgpass (PGPASSFILE) and ROLLCALL_WORKSPACE all carry it, and
// none of them leaks it into output, errors or the session file. Needs the test server's
// rc_password_user (scripts/pg-server.sh), the one role it does not trust.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, PG_SERVER, PW, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const ROLE = 'rc_password_user';

function admin(query: string) {
  const r = spawnSync('psql', [`${PG_SERVER}/postgres`, '-v', 'ON_ERROR_STOP=1', '-qAtc', query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${query}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Nothing a run printed, and nothing in the config dir, holds the password. */
function noLeak(w: World, r: Result, password: string) {
  expect(`${r.out}\n${r.err}`, describeRun(r)).not.toContain(password);
  const dir = w.cfg('admin');
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    let text = '';
    try {
      text = readFileSync(join(dir, f), 'utf8');
    } catch { /* a folder */ }
    expect(text, f).not.toContain(password);
  }
}

describe.skipIf(BACKEND !== 'pg')('PostgreSQL passwords off the command line (PostgreSQL workspaces only)', () => {
  it('PGPASSWORD, ROLLCALL_WORKSPACE and PGPASSFILE carry the password; a missing or wrong one is WORKSPACE_UNAVAILABLE (exit 6); none leaks', async () => {
    const w = new World({ spawn: true }); // pg reads PG* variables from the process environment
    w.ensureDb();
    const password = `pw-${randomBytes(8).toString('hex')}`;
    admin(`DO $$ BEGIN CREATE ROLE ${ROLE} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$; ALTER ROLE ${ROLE} PASSWORD '${password}'`);
    admin(`ALTER DATABASE ${w.dbName} OWNER TO ${ROLE}`);
    const url = new URL(PG_SERVER);
    url.username = ROLE;
    url.pathname = `/${w.dbName}`;
    w.ws = url.toString();
    const none = { PGPASSWORD: undefined, PGPASSFILE: join(w.dir, 'no-such-pgpass') };

    // No password anywhere: refused, saying where one may come from.
    const missing = expectError(await w.run(['member', 'list'], { token: null, env: none }), 6, 'WORKSPACE_UNAVAILABLE');
    expect(missing.err, describeRun(missing)).toMatch(/PGPASSWORD/);

    // PGPASSWORD: init, then a session-backed command.
    const init = expectOk(await w.run(['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', ADMIN, '--password-stdin'],
      { input: PW + '\n', token: null, env: { ...none, PGPASSWORD: password } }));
    noLeak(w, init, password);
    noLeak(w, expectOk(await w.run(['whoami'], { token: null, env: { ...none, PGPASSWORD: password } })), password);

    // A wrong PGPASSWORD: refused, and not echoed.
    const wrong = expectError(await w.run(['whoami'], { token: null, env: { ...none, PGPASSWORD: 'wrong-sekrit' } }), 6, 'WORKSPACE_UNAVAILABLE');
    expect(wrong.err).not.toContain('wrong-sekrit');

    // ~/.pgpass (PGPASSFILE), mode 0600 as libpq wants.
    const pgpass = w.file('pgpass', `*:*:*:${ROLE}:${password}\n`);
    spawnSync('chmod', ['600', pgpass]);
    noLeak(w, expectOk(await w.run(['whoami'], { token: null, env: { ...none, PGPASSFILE: pgpass } })), password);

    // ROLLCALL_WORKSPACE holding the password (the environment, not argv): the same session answers.
    const withPw = new URL(w.ws);
    withPw.password = password;
    w.ws = withPw.toString();
    noLeak(w, expectOk(await w.run(['whoami'], { token: null, env: none })), password);
  });
});
