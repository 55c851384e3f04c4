// SPEC §1: the workspace file, its settings, domains and backups.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, PW, STACK, World, describeRun, expectError, expectOk } from '../helpers/world.js';
import { OLD_WORKSPACE, oldWorkspace } from '../helpers/old-workspace.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/migrations/index.js';

describe('init', () => {
  it('creates the workspace file with mode 0600 and signs the admin in', async () => {
    const w = new World({ spawn: true });
    const r = await w.run(['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', ADMIN, '--admin-name', 'Alice Admin', '--password-stdin'], { input: PW + '\n', token: null });
    expectOk(r);
    if (!w.isPg) {
      expect(existsSync(w.ws)).toBe(true);
      expect((statSync(w.ws).mode & 0o777).toString(8)).toBe('600');
    }
    const who = expectOk(await w.run(['whoami', '--json'], { token: null })).json();
    expect(who).toMatchObject({ email: ADMIN, role: 'admin' });
    const alice = (expectOk(await w.run(['member', 'show', ADMIN, '--json'], { token: null }))).json();
    expect(alice).toMatchObject({ email: ADMIN, name: 'Alice Admin', role: 'admin', status: 'active' });
  });

  it('refuses a second init on an existing workspace (ALREADY_EXISTS, exit 5) and leaves it intact', async () => {
    const w = await new World({ spawn: true }).init([], { real: true });
    const r = await w.run(['init', '--name', 'Other', '--domain', 'acme.example', '--admin', 'zed@acme.example', '--password-stdin'], { input: PW + '\n', token: null });
    expectError(r, 5, 'ALREADY_EXISTS');
    expect(await w.emails()).toEqual([ADMIN]);
    expect(expectOk(await w.run(['workspace', 'show', '--json'])).json().name).toBe('Acme');
  });

  it('refuses a password that breaks the policy and creates no workspace (PASSWORD_POLICY, exit 1)', async () => {
    const w = new World({ spawn: true });
    const r = await w.run(['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', ADMIN, '--password-stdin'], { input: 'short\n', token: null });
    expectError(r, 1, 'PASSWORD_POLICY');
    expectError(await w.run(['member', 'list'], { token: 'rc_x' }), 6, 'WORKSPACE_NOT_FOUND');
    // Nothing half-made is left behind: init with a good password then works.
    await w.init([], { real: true });
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('takes --seat-limit', async () => {
    const w = await new World({ spawn: true }).init(['--seat-limit', '3']);
    expect(expectOk(await w.run(['workspace', 'show', '--json'])).json().seatLimit).toBe(3);
  });
});

describe('opening a workspace', () => {
  it('reports a missing workspace as WORKSPACE_NOT_FOUND (exit 6) with the init command in the hint', async () => {
    const w = new World({ spawn: true });
    const r = expectError(await w.run(['member', 'list', '--json'], { token: 'rc_x' }), 6, 'WORKSPACE_NOT_FOUND');
    expect(r.error()?.hint ?? '', describeRun(r)).toMatch(/rollcall init\b/);
    const human = expectError(await w.run(['member', 'list'], { token: 'rc_x' }), 6, 'WORKSPACE_NOT_FOUND');
    expect(human.err).toMatch(/^hint: .*rollcall init/m);
  });

  it('checks the workspace before who is acting: no session and no workspace is WORKSPACE_NOT_FOUND', async () => {
    const w = new World({ spawn: true });
    expectError(await w.run(['whoami'], { token: null }), 6, 'WORKSPACE_NOT_FOUND');
  });

  it('reports a file that is not a database as WORKSPACE_CORRUPT (exit 6), without a stack trace', async () => {
    const w = new World({ spawn: true });
    w.ws = w.file('junk.db', 'not a database '.repeat(300));
    const r = expectError(await w.run(['member', 'list'], { token: 'rc_x' }), 6, 'WORKSPACE_CORRUPT');
    expect(STACK.test(r.err), describeRun(r)).toBe(false);
    const j = expectError(await w.run(['member', 'list', '--json'], { token: 'rc_x' }), 6, 'WORKSPACE_CORRUPT');
    expect(j.err.trim().split('\n')).toHaveLength(1);
  });

  it('reports a SQLite database that is not a rollcall workspace as exit 6, without a stack trace', async () => {
    const w = new World({ spawn: true });
    w.ws = join(w.dir, 'other.db');
    const made = (await import('node:child_process')).spawnSync('sqlite3', [w.ws, 'CREATE TABLE t (x); INSERT INTO t VALUES (1);']);
    expect(made.status).toBe(0);
    const r = await w.run(['member', 'list'], { token: 'rc_x' });
    expectError(r, 6);
    expect(STACK.test(r.err), describeRun(r)).toBe(false);
  });

  it('refuses a workspace newer than the program (WORKSPACE_TOO_NEW, exit 6)', async () => {
    const w = await World.ready({ spawn: true });
    w.sql("UPDATE meta SET value = '999' WHERE key = 'schema_version'");
    expect(w.sql("SELECT value FROM meta WHERE key = 'schema_version'")).toBe('999');
    const r = expectError(await w.run(['member', 'list']), 6, 'WORKSPACE_TOO_NEW');
    expect(STACK.test(r.err)).toBe(false);
    // Nothing was migrated "down" or rewritten.
    expect(w.sql("SELECT value FROM meta WHERE key = 'schema_version'")).toBe('999');
  });

  it('gives an older workspace (schema version 1, no id) a workspace id on first open, and the later versions\' tables and columns, and keeps the id across opens', async () => {
    // A workspace as an older rollcall left it (schema version 2), taken back to version 1: no id.
    const w = oldWorkspace();
    const made = OLD_WORKSPACE.tables.meta.find((r) => r.key === 'workspace_id')!.value;
    w.sql("DELETE FROM meta WHERE key = 'workspace_id'; UPDATE meta SET value = '1' WHERE key = 'schema_version'");
    const first = expectOk(await w.run(['workspace', 'show', '--json'])).json().id;
    expect(first).toMatch(/^ws_[0-9a-f]{32}$/);
    expect(first).not.toBe(made);
    expect(w.sql("SELECT value FROM meta WHERE key = 'schema_version'")).toBe(String(SCHEMA_VERSION));
    expect(w.sql('SELECT COUNT(*) FROM login_codes')).toBe('0'); // version 3's table, made on the way
    expect(w.sql('SELECT COUNT(*) FROM members WHERE external_id IS NOT NULL')).toBe('0'); // version 5's column
    expect(expectOk(await w.run(['workspace', 'show', '--json'])).json().id).toBe(first);
    expect(w.sql("SELECT value FROM meta WHERE key = 'workspace_id'")).toBe(first);
  });
});

describe('workspace show and set', () => {
  it('shows {id, name, domains, seatLimit, seatsUsed, allowExternal} with the defaults; the id in text too', async () => {
    const w = await World.ready({ spawn: true });
    const show = expectOk(await w.run(['workspace', 'show', '--json'])).json();
    expect(show).toEqual(expect.objectContaining({ id: expect.stringMatching(/^ws_[0-9a-f]{32}$/), name: 'Acme', domains: ['acme.example'], seatLimit: 100, seatsUsed: 1, allowExternal: false }));
    expect(expectOk(await w.run(['workspace', 'show'])).out).toContain(show.id);
  });

  it('counts every non-deleted member as a seat in seatsUsed', async () => {
    const w = await World.ready({ spawn: true });
    await w.invitedMember('bob@acme.example', 'Bob');
    await w.invitedMember('carol@acme.example', 'Carol');
    expectOk(await w.run(['member', 'suspend', 'carol@acme.example']));
    expect(expectOk(await w.run(['workspace', 'show', '--json'])).json().seatsUsed).toBe(3);
    expectOk(await w.run(['member', 'remove', 'carol@acme.example']));
    expect(expectOk(await w.run(['workspace', 'show', '--json'])).json().seatsUsed).toBe(2);
  });

  it('sets name, seat-limit and allow-external', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['workspace', 'set', 'name', 'Acme Corp']));
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '25']));
    expectOk(await w.run(['workspace', 'set', 'allow-external', 'true']));
    const show = expectOk(await w.run(['workspace', 'show', '--json'])).json();
    expect(show).toMatchObject({ name: 'Acme Corp', seatLimit: 25, allowExternal: true });
    expectOk(await w.run(['workspace', 'set', 'allow-external', 'false']));
    expect(expectOk(await w.run(['workspace', 'show', '--json'])).json().allowExternal).toBe(false);
  });

  it('refuses invalid setting values and unknown keys as INVALID_INPUT (exit 2), changing nothing', async () => {
    const w = await World.ready({ spawn: true });
    expectError(await w.run(['workspace', 'set', 'seat-limit', 'lots']), 2, 'INVALID_INPUT');
    expectError(await w.run(['workspace', 'set', 'seat-limit', '0']), 2, 'INVALID_INPUT');
    expectError(await w.run(['workspace', 'set', 'allow-external', 'maybe']), 2, 'INVALID_INPUT');
    expectError(await w.run(['workspace', 'set', 'colour', 'blue']), 2, 'INVALID_INPUT');
    expect(expectOk(await w.run(['workspace', 'show', '--json'])).json()).toMatchObject({ seatLimit: 100, allowExternal: false });
  });
});

describe('domains', () => {
  it('adds and lists domains; a member on an added domain is internal', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['domain', 'add', 'beta.example']));
    expect([...expectOk(await w.run(['domain', 'list', '--json'])).json()].sort()).toEqual(['acme.example', 'beta.example']);
    const plain = expectOk(await w.run(['domain', 'list']));
    expect(plain.out).toContain('beta.example');
    const bob = expectOk(await w.run(['member', 'add', 'bob@beta.example', '--name', 'Bob', '--json'])).json();
    expect(bob.kind).toBe('internal');
  });

  it('refuses to add a domain twice (ALREADY_EXISTS, exit 5)', async () => {
    const w = await World.ready({ spawn: true });
    expectError(await w.run(['domain', 'add', 'acme.example']), 5, 'ALREADY_EXISTS');
  });

  it('refuses to remove a domain that non-purged members use (DOMAIN_IN_USE, exit 1), naming them', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['domain', 'add', 'beta.example']));
    await w.invitedMember('bob@beta.example', 'Bob');
    await w.invitedMember('carol@beta.example', 'Carol');
    const r = expectError(await w.run(['domain', 'rm', 'beta.example']), 1, 'DOMAIN_IN_USE');
    expect(r.err).toContain('bob@beta.example');
    expect(r.err).toContain('carol@beta.example');
    // A removed member that can still be restored keeps using the domain.
    expectOk(await w.run(['member', 'remove', 'bob@beta.example', 'carol@beta.example']));
    const again = expectError(await w.run(['domain', 'rm', 'beta.example']), 1, 'DOMAIN_IN_USE');
    expect(again.err).toContain('bob@beta.example');
    expect([...expectOk(await w.run(['domain', 'list', '--json'])).json()].sort()).toEqual(['acme.example', 'beta.example']);
    // Once purged, the domain is free.
    expectOk(await w.run(['member', 'purge', 'bob@beta.example', 'carol@beta.example', '--yes']));
    expectOk(await w.run(['domain', 'rm', 'beta.example']));
    expect(expectOk(await w.run(['domain', 'list', '--json'])).json()).toEqual(['acme.example']);
  });

  it('refuses to remove the last domain (exit 1), even when no member uses it', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['workspace', 'set', 'allow-external', 'true']));
    expectOk(await w.run(['member', 'update', ADMIN, '--email', 'alice@elsewhere.example']));
    const r = expectError(await w.run(['domain', 'rm', 'acme.example']), 1);
    expect(r.errCode()).not.toBe('DOMAIN_IN_USE');
    expect(expectOk(await w.run(['domain', 'list', '--json'])).json()).toEqual(['acme.example']);
  });

  it('refuses to remove a domain that is not the workspace\'s (NOT_FOUND, exit 3)', async () => {
    const w = await World.ready({ spawn: true });
    expectError(await w.run(['domain', 'rm', 'nowhere.example']), 3, 'NOT_FOUND');
  });
});

describe('backup', () => {
  it('writes a copy that opens as a workspace and lists the same members', async () => {
    const w = await World.ready({ spawn: true });
    await w.invitedMember('bob@acme.example', 'Bob', ['--title', 'Manager']);
    await w.invitedMember('carol@acme.example', 'Carol');
    expectOk(await w.run(['member', 'suspend', 'carol@acme.example']));
    const dest = join(w.dir, 'backup.db');
    expectOk(await w.run(['backup', dest]));
    expect(existsSync(dest)).toBe(true);
    const original = expectOk(await w.run(['member', 'list', '--json'])).json();
    // The copy is a SQLite workspace whatever the source; the admin's token lives in it too.
    const copy = expectOk(await w.run(['member', 'list', '--json'], { env: { ROLLCALL_WORKSPACE: dest } })).json();
    expect(copy).toEqual(original);
    const verify = await w.run(['audit', 'verify'], { env: { ROLLCALL_WORKSPACE: dest } });
    expect(verify.code, describeRun(verify)).toBe(0);
    // The same workspace: the same id (a saved plan made on one applies to the other while both are unchanged).
    const idIn = async (ws?: string) => expectOk(await w.run(['workspace', 'show', '--json'], { env: ws ? { ROLLCALL_WORKSPACE: ws } : {} })).json().id;
    expect(await idIn(dest)).toBe(await idIn());
  });

  // Checked on the SQLite run only: the backup is a SQLite file made with the same mode either way.
  it.skipIf(BACKEND === 'pg')('keeps the backup private (mode 0600): it holds every password hash (checked once, on the SQLite run)', async () => {
    const w = await World.ready({ spawn: true });
    const dest = join(w.dir, 'b.db');
    expectOk(await w.run(['backup', dest]));
    expect((statSync(dest).mode & 0o077)).toBe(0);
  });
});

describe('workspace copy', () => {
  it('onto an existing workspace is refused and changes nothing, the hint suggesting another name (or --force for a file), never -w', async () => {
    const w = await World.ready();
    const other = await World.ready(); // a file, or a database with rollcall's tables
    await w.invitedMember('bob@acme.example', 'Bob'); // what a copy would bring
    const r = w.isPg ? expectError(await w.run(['workspace', 'copy', other.ws]), 5, 'ALREADY_EXISTS') : expectError(await w.run(['workspace', 'copy', other.ws]), 2, 'INVALID_INPUT');
    const hint = /^hint: (.*)$/m.exec(r.err)?.[1] ?? '';
    expect(hint, describeRun(r)).not.toMatch(/(^|\s)-w\b|--workspace|existing workspace/);
    expect(hint, describeRun(r)).toMatch(w.isPg ? /new database.*\?schema=NAME/ : /another file name, or add --force/);
    expect(await other.emails()).toEqual([ADMIN]);
  });
});
