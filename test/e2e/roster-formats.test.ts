// SPEC §13: other directories' formats (Google Workspace CSV, Microsoft Entra bulk CSV, SCIM 2.0),
// read by `apply` with the same plan, rules and rails as §8; `export --format scim`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, ROOT, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const HANA = 'hana.sato@acme.example';
const GRACE = 'grace.hopper@acme.example';
const ALAN = 'alan.turing@acme.example';
const YUKI = 'yuki.suzuki@acme.example';
const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SCIM_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

const fixture = (name: string) => join(ROOT, 'fixtures', name);

async function state(w: World): Promise<Record<string, any>> {
  const list = expectOk(await w.run(['member', 'list', '--json'])).json() as any[];
  return Object.fromEntries(list.map((m) => [m.email, { name: m.name, role: m.role, scope: m.scope, org: m.org, orgs: m.orgs, title: m.title, status: m.status, startDate: m.startDate }]));
}

async function orgPaths(w: World): Promise<string[]> {
  return (expectOk(await w.run(['org', 'list', '--json'])).json() as Array<{ path: string }>).map((o) => o.path).sort();
}

function noChanges(r: Result) {
  expect(r.code, describeRun(r)).toBe(0);
  expect(r.out, describeRun(r)).toMatch(/^No changes\.$/m);
}

/** The members of fixtures/google-users.csv, as applied to an empty workspace. */
const GOOGLE = {
  [HANA]: { name: '佐藤 花子', role: 'viewer', org: 'IT', title: 'Head of IT', status: 'invited' },
  [GRACE]: { name: 'Grace Hopper', role: 'viewer', org: 'Support', title: 'Support Engineer', status: 'invited' },
  [ALAN]: { name: 'Alan Turing', role: 'viewer', org: null, title: 'Researcher', status: 'suspended' },
  [YUKI]: { name: '鈴木 由紀', role: 'viewer', org: 'Sales/Tokyo', title: 'Account Manager', status: 'suspended' },
};

describe('Google Workspace user CSV', () => {
  it('is recognised by its header without --format, with names in the right order, org paths and statuses', async () => {
    const w = await World.ready();
    const r = expectOk(await w.run(['apply', fixture('google-users.csv'), '--create-orgs']));
    expect(r.out).toMatch(/Plan: 4 to add, 0 to change, 0 to remove, 0 to restore\./);
    const s = await state(w);
    expect(Object.keys(s).sort()).toEqual([ADMIN, ALAN, GRACE, HANA, YUKI].sort());
    for (const [email, want] of Object.entries(GOOGLE)) expect(s[email], email).toMatchObject(want);
    expect(await orgPaths(w)).toEqual(['IT', 'Sales', 'Sales/Tokyo', 'Support']);
    noChanges(await w.run(['apply', fixture('google-users.csv')]));
    noChanges(await w.run(['apply', fixture('google-users.csv'), '--format', 'google']));
    // by content on standard input too
    noChanges(await w.run(['apply', '-'], { input: readFileSync(fixture('google-users.csv'), 'utf8') }));
  });

  it('reads the Shift_JIS export the same way', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('google-users-sjis.csv'), '--create-orgs']));
    const s = await state(w);
    for (const [email, want] of Object.entries(GOOGLE)) expect(s[email], email).toMatchObject(want);
    noChanges(await w.run(['apply', fixture('google-users-sjis.csv')]));
    noChanges(await w.run(['apply', fixture('google-users.csv')]));
  });

  it('matches columns by name in any order; New Status wins over Status, any case; Org Unit Path / means no org', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Sales']));
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Old Name', '--org', 'Sales', '--title', 'Old']));
    w.file('g.csv', [
      'Employee Title,Status [READ ONLY],Email Address [Required],Last Name [Required],Unknown Column,First Name [Required],New Status [UPLOAD ONLY],Org Unit Path [Required]',
      'Engineer,Suspended,bob@acme.example,Lee,whatever,Bob,ACTIVE,/',
      ',active,carol@acme.example,King,,Carol,SUSPENDED,/Sales',
      'Intern,SUSPENDED,dave@acme.example,山田,,太郎,,/Sales',
    ].join('\n') + '\n');
    expectOk(await w.run(['apply', 'g.csv']));
    const s = await state(w);
    expect(s[BOB]).toMatchObject({ name: 'Bob Lee', org: null, title: 'Engineer', status: 'invited' });
    expect(s[CAROL]).toMatchObject({ name: 'Carol King', org: 'Sales', title: null, status: 'suspended' });
    // 姓 名 when either part is Japanese: Last 山田, First 太郎 → "山田 太郎".
    expect(s['dave@acme.example']).toMatchObject({ name: '山田 太郎', status: 'suspended' });
    noChanges(await w.run(['apply', 'g.csv']));
  });

  it('--role R for new members; fields Google lacks (role, scope, orgs, start date) are left as they are', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Extra']));
    expectOk(await w.run(['member', 'add', GRACE, '--name', 'Grace', '--role', 'support', '--add-org', 'Extra', '--start-date', '2030-01-01']));
    expectOk(await w.run(['apply', fixture('google-users.csv'), '--create-orgs', '--role', 'operator']));
    const s = await state(w);
    expect(s[HANA].role).toBe('operator');
    expect(s[YUKI].role).toBe('operator');
    expect(s[GRACE]).toMatchObject({ name: 'Grace Hopper', role: 'support', org: 'Support', orgs: ['Extra'], startDate: '2030-01-01' });
    noChanges(await w.run(['apply', fixture('google-users.csv'), '--role', 'operator']));
  });

  it('bad input is ROSTER_INVALID (exit 2) naming FILE:LINE, and nothing is applied', async () => {
    const w = await World.ready();
    w.file('gbad.csv', [
      'First Name [Required],Last Name [Required],Email Address [Required],Org Unit Path [Required],Status [READ ONLY]',
      'Bob,Lee,bob@acme.example,/,Active',
      'X,Y,not-an-email,/,Active',
      'Carol,King,carol@acme.example,/,Sleeping',
    ].join('\n') + '\n');
    const r = expectError(await w.run(['apply', 'gbad.csv']), 2, 'ROSTER_INVALID');
    expect(r.err).toContain('gbad.csv:3:');
    expect(r.err).toContain('gbad.csv:4:');
    expect(r.err).not.toContain('gbad.csv:2:');
    expect(await w.emails()).toEqual([ADMIN]);
  });
});

describe('Microsoft Entra bulk-create CSV', () => {
  it('is recognised by its version:v1.0 first line; Block sign in Yes suspends; Department is a top-level org', async () => {
    const w = await World.ready();
    const r = expectOk(await w.run(['apply', fixture('entra-users.csv'), '--create-orgs']));
    expect(r.out).toMatch(/Plan: 3 to add, 0 to change, 0 to remove, 0 to restore\./);
    const s = await state(w);
    expect(s[HANA]).toMatchObject({ name: 'Hana Sato', org: 'IT', title: 'Head of IT', status: 'invited', role: 'viewer' });
    expect(s[GRACE]).toMatchObject({ name: 'Grace Hopper', org: 'Support', title: 'Support Engineer', status: 'invited' });
    expect(s[ALAN]).toMatchObject({ name: 'Alan Turing', org: 'Research', title: 'Researcher', status: 'suspended' });
    expect(await orgPaths(w)).toEqual(['IT', 'Research', 'Support']);
    noChanges(await w.run(['apply', fixture('entra-users.csv')]));
    noChanges(await w.run(['apply', fixture('entra-users.csv'), '--format', 'entra']));
  });

  it('never stores the initial passwords of the file', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('entra-users.csv'), '--create-orgs', '--secrets-out', 'secrets.csv']));
    expect(readFileSync(fixture('entra-users.csv'), 'utf8')).toContain('Secr3tPassw0rd!');
    expect(w.dump()).not.toContain('Secr3tPassw0rd!');
    expect(readFileSync(join(w.dir, 'secrets.csv'), 'utf8')).not.toContain('Secr3tPassw0rd!');
    // the file's password does not let anyone in
    expectError(await w.run(['login', HANA, '--password-stdin'], { input: 'Secr3tPassw0rd!\n', actor: HANA, token: null }), 4, 'INVALID_CREDENTIALS');
  });

  it('--role R for new members', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('entra-users.csv'), '--create-orgs', '--role', 'support']));
    const s = await state(w);
    for (const e of [HANA, GRACE, ALAN]) expect(s[e].role).toBe('support');
  });

  it('errors count lines from the top of the file (the header is line 2): a bad email on line 3 is FILE:3', async () => {
    const w = await World.ready();
    w.file('entra-bad.csv', [
      'version:v1.0',
      'Name [displayName] Required,User name [userPrincipalName] Required,Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required',
      'Bob Lee,not-an-email,Secr3tPassw0rd!,No',
      'Carol King,carol@acme.example,Secr3tPassw0rd!,No',
      'Dave Ng,dave@acme.example,Secr3tPassw0rd!,Maybe',
    ].join('\n') + '\n');
    const r = expectError(await w.run(['apply', 'entra-bad.csv']), 2, 'ROSTER_INVALID');
    expect(r.err).toContain('entra-bad.csv:3:');
    expect(r.err).toContain('entra-bad.csv:5:');
    expect(r.err).not.toMatch(/entra-bad\.csv:[124]:/);
    expect(r.err).not.toContain('Secr3tPassw0rd!');
    expect(await w.emails()).toEqual([ADMIN]);
    // the same with CRLF line ends
    w.file('entra-crlf.csv', readFileSync(join(w.dir, 'entra-bad.csv'), 'utf8').replace(/\n/g, '\r\n'));
    const c = expectError(await w.run(['apply', 'entra-crlf.csv']), 2, 'ROSTER_INVALID');
    expect(c.err).toContain('entra-crlf.csv:3:');
    expect(c.err).toContain('entra-crlf.csv:5:');
  });
});

describe('SCIM 2.0', () => {
  it('reads a ListResponse (recognised by schemas): User resources imported, Group resources reported and not imported', async () => {
    const w = await World.ready();
    const r = expectOk(await w.run(['apply', fixture('scim-users.json'), '--create-orgs']));
    expect(r.out).toMatch(/Plan: 3 to add, 0 to change, 0 to remove, 0 to restore\./);
    expect(r.out + r.err).toMatch(/not imported/i);
    expect(r.out + r.err).toMatch(/group/i);
    const s = await state(w);
    expect(Object.keys(s).sort()).toEqual([ADMIN, ALAN, GRACE, HANA].sort());
    expect(s[HANA]).toMatchObject({ name: '佐藤 花子', org: 'IT', title: 'Head of IT', status: 'invited' });
    expect(s[GRACE]).toMatchObject({ name: 'Grace Hopper', org: 'Support', title: 'Support Engineer', status: 'invited' });
    expect(s[ALAN]).toMatchObject({ name: 'Alan Turing', org: null, status: 'suspended' });
    expect(expectOk(await w.run(['group', 'list', '--json'])).json()).toEqual([]);
    const j = expectOk(await w.run(['apply', fixture('scim-users.json'), '--json'])).json();
    expect(j.changes).toEqual([]);
    noChanges(await w.run(['apply', fixture('scim-users.json')]));
    noChanges(await w.run(['apply', fixture('scim-users.json'), '--format', 'scim']));
  });

  it('never stores a password from the file', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('scim-users.json'), '--create-orgs']));
    expect(readFileSync(fixture('scim-users.json'), 'utf8')).toContain('t1meMa$heen');
    expect(w.dump()).not.toContain('t1meMa$heen');
    expectError(await w.run(['login', HANA, '--password-stdin'], { input: 't1meMa$heen\n', actor: HANA, token: null }), 4, 'INVALID_CREDENTIALS');
  });

  it('reads a bare array of Users and a single User; active:false suspends; an enterprise department path stays a path', async () => {
    const w = await World.ready();
    w.file('array.json', JSON.stringify([
      { schemas: [SCIM_USER], userName: BOB, name: { givenName: 'Bob', familyName: 'Lee' }, active: true, title: 'Engineer' },
      { schemas: [SCIM_USER], userName: 'ignored-username', emails: [{ value: 'other@acme.example' }, { value: CAROL, primary: true }], name: { givenName: '花子', familyName: '佐藤' }, active: false },
    ], null, 2));
    w.file('one.json', JSON.stringify({
      schemas: [SCIM_USER, SCIM_ENTERPRISE], userName: 'dave@acme.example', displayName: 'Dave Ng', title: 'CTO',
      [SCIM_ENTERPRISE]: { department: 'Sales/Tokyo' },
    }, null, 2));
    expectOk(await w.run(['apply', 'array.json']));
    expectOk(await w.run(['apply', 'one.json', '--create-orgs']));
    const s = await state(w);
    expect(s[BOB]).toMatchObject({ name: 'Bob Lee', title: 'Engineer', status: 'invited' });
    expect(s[CAROL]).toMatchObject({ name: '佐藤 花子', status: 'suspended' });
    expect(s['other@acme.example']).toBeUndefined();
    expect(s['dave@acme.example']).toMatchObject({ name: 'Dave Ng', title: 'CTO', org: 'Sales/Tokyo' });
    expect(await orgPaths(w)).toEqual(['Sales', 'Sales/Tokyo']);
    noChanges(await w.run(['apply', 'array.json']));
    noChanges(await w.run(['apply', 'one.json']));
  });

  it('--role R for new members', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('scim-users.json'), '--create-orgs', '--role', 'operator']));
    const s = await state(w);
    for (const e of [HANA, GRACE, ALAN]) expect(s[e].role).toBe('operator');
  });

  it('bad input is ROSTER_INVALID (exit 2) naming the resource index, and nothing is applied', async () => {
    const w = await World.ready();
    w.file('bad-scim.json', JSON.stringify({
      schemas: [SCIM_LIST], totalResults: 3,
      Resources: [
        { schemas: [SCIM_USER], userName: BOB, displayName: 'Bob' },
        { schemas: [SCIM_USER], displayName: 'No Email' },
        { schemas: [SCIM_USER], userName: 'not-an-email', displayName: 'X' },
      ],
    }, null, 2));
    const r = expectError(await w.run(['apply', 'bad-scim.json']), 2, 'ROSTER_INVALID');
    expect(r.err).toContain('bad-scim.json');
    expect(r.err).toMatch(/\[1\]/);
    expect(r.err).toMatch(/\[2\]/);
    expect(r.err).not.toMatch(/\[0\]/);
    expect(await w.emails()).toEqual([ADMIN]);
    w.file('broken.json', '{"schemas": ["' + SCIM_LIST + '"], "Resources": [');
    expectError(await w.run(['apply', 'broken.json', '--format', 'scim']), 2, 'ROSTER_INVALID');
    expect(await w.emails()).toEqual([ADMIN]);
  });
});

describe('export --format scim', () => {
  it('writes a ListResponse of User resources that apply reads back as No changes.', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('roster.csv'), '--create-orgs']));
    const out = expectOk(await w.run(['export', '--format', 'scim'])).out;
    const doc = JSON.parse(out);
    expect(doc.schemas).toEqual([SCIM_LIST]);
    expect(doc.Resources).toHaveLength(7);
    const members = expectOk(await w.run(['member', 'list', '--json'])).json() as any[];
    const yuki = members.find((m) => m.email === 'yuki.suzuki@acme.example');
    const res = doc.Resources.find((r: any) => r.userName === 'yuki.suzuki@acme.example');
    expect(res.schemas).toContain(SCIM_USER);
    expect(res).toMatchObject({
      id: yuki.id, displayName: '鈴木 由紀', title: 'Account Manager', active: true,
      name: expect.objectContaining({ formatted: '鈴木 由紀' }),
      emails: [expect.objectContaining({ value: 'yuki.suzuki@acme.example' })],
      meta: expect.objectContaining({ created: expect.any(String), lastModified: expect.any(String) }),
    });
    expect(res[SCIM_ENTERPRISE]).toMatchObject({ department: 'Sales/Tokyo' });
    // externalId is the provisioning client's (RFC 7643 §3.1): rollcall's export leaves it out
    expect(res).not.toHaveProperty('externalId');
    expect(doc.Resources.find((r: any) => r.userName === "lee.o'neil@acme.example").active).toBe(false);
    w.file('users.json', out);
    noChanges(await w.run(['apply', 'users.json']));
    expectOk(await w.run(['export', '--format', 'scim', '-o', 'users2.json']));
    noChanges(await w.run(['apply', 'users2.json', '--format', 'scim']));
    const d = await w.run(['apply', 'users2.json', '--detailed-exitcode']);
    expect(d.code, describeRun(d)).toBe(0);
  });
});
