// Interactive use (SPEC §10, issue 9): at a terminal rollcall asks for what the command line left
// out, hides passwords, lists what a confirmation would lose, and fits tables to 80 columns.
// Driven through a real pseudo-terminal (test/helpers/terminal.ts). Without a terminal nothing
// ever prompts: a missing value is USAGE naming the flag, and a script never hangs.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, BIN, PW, World, describeRun, expectError, expectOk } from '../helpers/world.js';
import { DOWN, ENTER, atTerminal, describeTerminal, stripAnsi } from '../helpers/terminal.js';

// What a terminal shows does not depend on the storage backend, which test/contract/ checks on both:
// these run once, on SQLite, and are skipped (visibly) in the PostgreSQL pass.
const TERMINAL_ONLY_ON_SQLITE = BACKEND === 'pg';

describe.skipIf(TERMINAL_ONLY_ON_SQLITE)('prompts at a terminal', () => {
  it('init with no flags asks for the name, domain, admin and password (hidden, twice), re-asking on a bad value', async () => {
    const w = new World({ spawn: true });
    const args = ['init'];
    const r = atTerminal(w, args, [
      { expect: 'Workspace name', send: 'Acme' + ENTER },
      { expect: 'Email domain', send: 'not a domain' + ENTER },
      { expect: 'domain', send: '\u0015acme.example' + ENTER }, // Ctrl-U clears the bad answer
      { expect: "First admin's email", send: '\u0015alice@acme.example' + ENTER },
      { expect: "Admin's display name", send: ENTER },
      { expect: 'Password', send: 'short' + ENTER },
      { expect: 'at least 10', send: '\u0015' + PW + ENTER },
      { expect: 'Repeat the password', send: PW + ENTER },
    ], { token: null });
    expect(r.code, describeTerminal(args, r)).toBe(0);
    expect(r.text).toContain('Created workspace Acme');
    expect(r.raw, 'the password is never echoed').not.toContain(PW);
    expect(r.text).toMatch(/\*{10,}/);
    const who = expectOk(await w.run(['whoami', '--json'], { token: null })).json();
    expect(who).toMatchObject({ email: ADMIN, role: 'admin', scope: [], via: 'session', token: null });
    expect(expectOk(await w.run(['member', 'show', ADMIN, '--json'], { token: null })).json().name).toBe('alice');
  });

  it('member add with no arguments asks for the address and name, then the role from a list and the org from the tree', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['org', 'add', 'Sales/Tokyo', '--parents']));
    const roles = expectOk(await w.run(['role', 'list', '--json'])).json().map((x: { name: string }) => x.name);
    const args = ['member', 'add'];
    const r = atTerminal(w, args, [
      { expect: 'Email address', send: 'bob@acme' + ENTER },
      { expect: 'valid email', send: '\u0015bob@acme.example' + ENTER },
      { expect: 'Display name', send: '\u0015Bob Lee' + ENTER },
      { expect: 'Role', send: DOWN + ENTER }, // the list starts at viewer: one down
      { expect: 'Primary org', send: DOWN + DOWN + ENTER }, // (none), Sales, Sales/Tokyo
    ]);
    expect(r.code, describeTerminal(args, r)).toBe(0);
    for (const role of roles.slice(0, 5)) expect(r.text, 'the role list is shown').toContain(role);
    const bob = await w.member('bob@acme.example');
    const viewerAt = roles.indexOf('viewer');
    expect(bob).toMatchObject({ name: 'Bob Lee', role: roles[(viewerAt + 1) % roles.length], org: 'Sales/Tokyo', status: 'invited' });
    expect(r.text, 'the temporary password is shown once').toMatch(/temporary password/i);
  });

  it('member add with every value on the command line asks nothing', async () => {
    const w = await World.ready({ spawn: true });
    const args = ['member', 'add', 'bob@acme.example', '--name', 'Bob'];
    const r = atTerminal(w, args, []);
    expect(r.code, describeTerminal(args, r)).toBe(0);
    expect(await w.member('bob@acme.example')).toMatchObject({ role: 'viewer', org: null });
  });

  it('invite issue asks for the address, and for a new member its name and role', async () => {
    const w = await World.ready({ spawn: true });
    const args = ['invite', 'issue'];
    const r = atTerminal(w, args, [
      { expect: 'Email address', send: 'dan@acme.example' + ENTER },
      { expect: 'Display name', send: ENTER },
      { expect: 'Role', send: ENTER },
    ]);
    expect(r.code, describeTerminal(args, r)).toBe(0);
    expect(r.text).toMatch(/invite accept/);
    expect(await w.member('dan@acme.example')).toMatchObject({ name: 'dan', role: 'viewer', status: 'invited' });
  });

  it('group transfer-owner without --to offers the active group admins', async () => {
    const w = await World.ready({ spawn: true });
    await w.activeMember('bob@acme.example', 'Bob');
    await w.activeMember('cat@acme.example', 'Cat');
    expectOk(await w.run(['group', 'create', 'Design']));
    expectOk(await w.run(['group', 'add-member', 'Design', 'bob@acme.example', 'cat@acme.example', '--role', 'admin']));
    const args = ['group', 'transfer-owner', 'Design'];
    const r = atTerminal(w, args, [{ expect: 'New owner', send: DOWN + ENTER }]);
    expect(r.code, describeTerminal(args, r)).toBe(0);
    expect(r.text).toContain('bob@acme.example');
    expect(expectOk(await w.run(['group', 'show', 'Design', '--json'])).json().owner).toBe('cat@acme.example');
  });

  it('login asks for the address and a hidden password; passwd asks for the current one and the new one twice', async () => {
    const w = await World.ready({ spawn: true });
    const pw = await w.activeMember('bob@acme.example', 'Bob');
    const login = atTerminal(w, ['login'], [
      { expect: 'Your email', send: 'bob@acme.example' + ENTER },
      { expect: 'Password', send: pw + ENTER },
    ], { actor: 'bob@acme.example', token: null });
    expect(login.code, describeTerminal(['login'], login)).toBe(0);
    expect(login.raw).not.toContain(pw);
    const next = 'N3wPassw0rd!x';
    const passwd = atTerminal(w, ['passwd'], [
      { expect: 'Current password', send: pw + ENTER },
      { expect: 'New password', send: next + ENTER },
      { expect: 'Repeat the new password', send: next + ENTER },
    ], { actor: 'bob@acme.example', token: null });
    expect(passwd.code, describeTerminal(['passwd'], passwd)).toBe(0);
    expect(passwd.raw).not.toContain(pw);
    expect(passwd.raw).not.toContain(next);
    await w.loginAs('bob@acme.example', next);
  });

  it('Ctrl-C at a prompt cancels: USAGE (exit 2), nothing created', async () => {
    const w = new World({ spawn: true });
    const r = atTerminal(w, ['init'], [{ expect: 'Workspace name', send: '\u0003' }], { token: null });
    expect(r.code, describeTerminal(['init'], r)).toBe(2);
    expect(r.text).toContain('cancelled');
    expect(existsSync(w.ws)).toBe(false);
  });
});

describe.skipIf(TERMINAL_ONLY_ON_SQLITE)('confirmations at a terminal list what will be lost', () => {
  it('member purge lists the members and what goes with them; "no" keeps them, "yes" purges', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['member', 'add', 'bob@acme.example', '--name', 'Bob']));
    expectOk(await w.run(['member', 'remove', 'bob@acme.example']));
    const args = ['member', 'purge', 'bob@acme.example'];
    const no = atTerminal(w, args, [{ expect: 'for good', send: 'n' + ENTER }]);
    expect(no.code, describeTerminal(args, no)).toBe(2);
    expect(no.text).toMatch(/This will remove:\s+- bob@acme\.example \(Bob\)/);
    expect((await w.member('bob@acme.example')).status).toBe('deleted');
    const yes = atTerminal(w, args, [{ expect: 'for good', send: 'y' + ENTER }]);
    expect(yes.code, describeTerminal(args, yes)).toBe(0);
    expectError(await w.run(['member', 'show', 'bob@acme.example']), 3, 'NOT_FOUND');
  });

  it('org rm lists the org and every org below it', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['org', 'add', 'Sales/Tokyo/Enterprise', '--parents']));
    const args = ['org', 'rm', 'Sales'];
    const r = atTerminal(w, args, [{ expect: 'Remove these 3 orgs', send: 'y' + ENTER }]);
    expect(r.code, describeTerminal(args, r)).toBe(0);
    for (const path of ['Sales', 'Sales/Tokyo', 'Sales/Tokyo/Enterprise']) expect(r.text).toContain(`- ${path}`);
    expect(expectOk(await w.run(['org', 'list', '--json'])).json()).toEqual([]);
  });

  it('group delete lists the memberships that go with it', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['member', 'add', 'bob@acme.example', '--name', 'Bob']));
    expectOk(await w.run(['group', 'create', 'Design', '--description', 'UI']));
    expectOk(await w.run(['group', 'add-member', 'Design', 'bob@acme.example']));
    const args = ['group', 'delete', 'Design'];
    const r = atTerminal(w, args, [{ expect: 'Delete group Design and its 2 memberships', send: 'n' + ENTER }]);
    expect(r.code, describeTerminal(args, r)).toBe(2);
    expect(r.text).toContain("- bob@acme.example's membership (member)");
    expect(r.text).toContain(`- ${ADMIN}'s membership (owner)`);
    expectOk(await w.run(['group', 'show', 'Design']));
  });

  it('apply --prune shows the plan and lists the members it would remove before asking', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['member', 'add', 'bob@acme.example', '--name', 'Bob']));
    const roster = w.file('r.csv', `email,name\n${ADMIN},Alice Admin\n`);
    const args = ['apply', roster, '--prune'];
    const r = atTerminal(w, args, [{ expect: 'removing 1 member', send: 'n' + ENTER }]);
    expect(r.code, describeTerminal(args, r)).toBe(2);
    expect(r.text).toContain('- bob@acme.example (restorable for 7 days)');
    expect((await w.member('bob@acme.example')).status).toBe('invited');
  });
});

describe.skipIf(TERMINAL_ONLY_ON_SQLITE)('tables and colour at a terminal', () => {
  it('member list fits 80 columns, with colour; NO_COLOR removes the colour', async () => {
    const w = await World.ready({ spawn: true });
    for (let i = 0; i < 4; i++) {
      expectOk(await w.run(['member', 'add', `someone.with.a.long.address.${i}@acme.example`, '--name', `A Person With A Rather Long Name ${i}`,
        '--title', 'Senior Principal Staff Engineer, Platform Reliability']));
    }
    const r = atTerminal(w, ['member', 'list'], []);
    expect(r.code, describeTerminal(['member', 'list'], r)).toBe(0);
    const lines = r.text.split('\n').filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line.length, `wider than 80 columns: ${line}`).toBeLessThanOrEqual(80);
    expect(r.text).toContain('someone.with.a.long');
    expect(r.raw, 'colour at a terminal').toMatch(/\u001b\[\d+m/);
    const plain = atTerminal(w, ['member', 'list'], [], { env: { NO_COLOR: '1' } });
    expect(plain.raw).not.toMatch(/\u001b\[\d+m/);
    expect(stripAnsi(plain.raw)).toContain('EMAIL');
  });

  it('at 120 columns nothing wraps', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['member', 'add', 'someone.with.a.long.address@acme.example', '--name', 'A Person With A Long Name', '--title', 'Staff Engineer']));
    const r = atTerminal(w, ['member', 'list'], [], { cols: 120 });
    expect(r.text).toMatch(/someone\.with\.a\.long\.address@acme\.example\s+A Person With A Long Name\s+viewer\s+invited\s+Staff Engineer/);
  });
});

describe.skipIf(TERMINAL_ONLY_ON_SQLITE)('without a terminal nothing prompts', () => {
  // Each command would prompt at a terminal; here it must say which flag is missing (USAGE, exit 2).
  const cases: Array<[string[], RegExp]> = [
    [['init'], /missing --name/],
    [['init', '--name', 'Acme'], /missing --domain/],
    [['init', '--name', 'Acme', '--domain', 'acme.example'], /missing --admin/],
    [['login'], /missing EMAIL/],
    [['member', 'add'], /missing EMAIL/],
    [['member', 'add', 'bob@acme.example'], /missing --name/],
    [['invite', 'issue'], /missing EMAIL/],
    [['group', 'transfer-owner', 'Design'], /missing --to/],
    [['passwd', ADMIN], /--password-stdin/],
    [['member', 'purge', 'bob@acme.example'], /needs --yes/],
    [['org', 'rm', 'Sales'], /needs --yes/],
    [['group', 'delete', 'Design'], /needs --yes/],
  ];

  it('each prompting command is USAGE (exit 2) naming what is missing, even with stdin left open', async () => {
    const w = await World.ready({ spawn: true });
    await w.activeMember('bob@acme.example', 'Bob');
    expectOk(await w.run(['member', 'remove', 'bob@acme.example']));
    expectOk(await w.run(['org', 'add', 'Sales']));
    expectOk(await w.run(['group', 'create', 'Design']));
    const fresh = new World({ spawn: true });
    for (const [args, message] of cases) {
      const target = args[0] === 'init' ? fresh : w;
      // stdin is a pipe nobody writes to or closes: a prompt would wait forever.
      const child = execa(process.execPath, [BIN, ...args], { env: target.envFor(), extendEnv: false, cwd: target.dir, reject: false, timeout: 20_000, stdin: 'pipe' });
      const r = await child;
      expect(r.timedOut, `rollcall ${args.join(' ')} waited for input`).toBe(false);
      expect({ args, exit: r.exitCode }).toEqual({ args, exit: 2 });
      expect(r.stderr).toMatch(/error\[USAGE\]/);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(fresh.ws)).toBe(false);
  });

  it('in process too (the harness gives no terminal): USAGE naming the flag', async () => {
    const w = await World.ready();
    const r = expectError(await w.run(['member', 'add', 'bob@acme.example']), 2, 'USAGE');
    expect(r.err).toContain('missing --name');
    expect(describeRun(r)).toContain('member add');
  });
});
