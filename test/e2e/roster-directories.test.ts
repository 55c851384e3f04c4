// Issue 20, points 2, 3 and 8 (SPEC §13): the files admins download from Microsoft Entra, Graph
// PowerShell and GAM, taken from public sources (fixtures/real/*/SOURCES.md), apply as their
// authors meant and re-apply as "No changes."; Entra's bulk-delete file removes, softly and under
// the rails of §8; a Department holding "/" is one top-level org.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, ROOT, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const real = (dir: 'entra' | 'graph' | 'gam', name: string) => join(ROOT, 'fixtures', 'real', dir, name);
/** U+2215 DIVISION SLASH: how `/` inside one Department is stored (decisions.md). */
const S = '\u2215';

function noChanges(r: Result) {
  expect(r.code, describeRun(r)).toBe(0);
  expect(r.out, describeRun(r)).toMatch(/^No changes\.$/m);
}

async function orgPaths(w: World): Promise<string[]> {
  return (expectOk(await w.run(['org', 'list', '--json'])).json() as Array<{ path: string }>).map((o) => o.path).sort();
}

/** Every member, by email, as `member list --json` shows it: one run for many checks. */
async function members(w: World): Promise<Record<string, any>> {
  const list = expectOk(await w.run(['member', 'list', '--json'])).json() as any[];
  return Object.fromEntries(list.map((m) => [m.email, m]));
}

/** A World whose workspace takes addresses on any domain, as the real files' tenants need. */
async function openWorld(): Promise<World> {
  const w = await World.ready();
  expectOk(await w.run(['workspace', 'set', 'allow-external', 'true']));
  return w;
}

describe('Microsoft Entra bulk-create templates', () => {
  it('every generation applies as its author meant (headers by [property], Block sign in, the example row, Department with / as one org); re-applied, No changes.', async () => {
    const w = await openWorld();
    const files = ['bulk-create-svasanth303.csv', 'bulk-create-itstriich.csv', 'bulk-create-nileshl98.csv', 'bulk-create-kabene-excerpt.csv',
      'bulk-create-rosyrose123-tab.csv', 'bulk-create-older-template.csv'];
    const outputs: string[] = [];
    for (const f of files) {
      const r = expectOk(await w.run(['apply', real('entra', f), '--create-orgs']));
      outputs.push(r.out + r.err);
    }
    expect(outputs[0]).toMatch(/Plan: 5 to add, 0 to change, 0 to remove, 0 to restore\./);
    const m = await members(w);
    // Block sign in Yes (any case) suspends; No leaves the new member invited.
    expect(m['user1@vpoint.example']).toMatchObject({ name: 'Test User1', status: 'suspended' });
    expect(m['user-2@nileshl98.onmicrosoft.example']).toMatchObject({ name: 'user-2', status: 'suspended' });
    // A user name quoted across two lines, and cells with spaces around them, as real files have them.
    expect(m['user1@nileshl98.onmicrosoft.example']).toMatchObject({ name: 'user1', status: 'invited' });
    expect(m['chris@contoso.example']).toMatchObject({ name: 'Chris Green', status: 'invited' });
    // The template's example row is skipped, and said so; the rows under it are read.
    expect(outputs[3]).toMatch(/Plan: 4 to add/);
    expect(outputs[3]).toMatch(/example row/);
    expect(m['cortez@domainname.onmicrosoft.example']).toMatchObject({ name: 'Nichols Hall', title: 'Payloads Operations Engineer' });
    // An older template: `Name (example: Chris Green) [displayName] *`; no display name → given and last name.
    expect(m['chris.green@contoso.example']).toMatchObject({ name: 'Chris Green', title: 'Engineer', org: `R&D${S}EMEA`, status: 'invited' });
    expect(m['ines.moreau@contoso.example']).toMatchObject({ name: 'Inès Moreau', org: `R&D${S}EMEA` });
    expect(m['kenji.watanabe@contoso.example']).toMatchObject({ org: 'Sales', title: null, status: 'suspended' });
    // R&D/EMEA is one top-level org, not R&D → EMEA.
    expect(await orgPaths(w)).toEqual([`R&D${S}EMEA`, 'Sales']);
    expect(Object.keys(m)).toHaveLength(1 + 5 + 5 + 6 + 4 + 1 + 3);
    for (const f of files) noChanges(await w.run(['apply', real('entra', f)]));
    noChanges(await w.run(['apply', real('entra', 'bulk-create-older-template.csv'), '--format', 'entra']));
  });

  it('a file Entra itself would refuse, or that lists no users to read, is ROSTER_INVALID saying why, and nothing changes', async () => {
    const w = await World.ready();
    const bad = expectError(await w.run(['apply', real('entra', 'bulk-create-nbaez001-no-domain.csv')]), 2, 'ROSTER_INVALID');
    expect(bad.err).toMatch(/bulk-create-nbaez001-no-domain\.csv:3: not a valid email address: "kevin\.baez\.01"/);
    expect(bad.err).toMatch(/bulk-create-nbaez001-no-domain\.csv:4:/);
    w.file('restore.csv', 'version:v1.0\nObject ID [objectId] Required\n0b3c7a52-0d2c-4a4e-9b7e-1b1f2c3d4e5f\n');
    const restore = expectError(await w.run(['apply', 'restore.csv']), 2, 'ROSTER_INVALID');
    expect(restore.err).toMatch(/restore\.csv:2: this is an Entra bulk-restore file/);
    w.file('block.csv', 'version:v1.0\nUser name [userPrincipalName] Required,Name [displayName] Required,Block sign in (Yes/No) [accountEnabled] Required\nbob@acme.example,Bob,Maybe\n');
    expect(expectError(await w.run(['apply', 'block.csv']), 2, 'ROSTER_INVALID').err).toContain('block.csv:3: Block sign in is "Maybe", not Yes or No');
    expect(await w.emails()).toEqual([ADMIN]);
  });
});

describe('Microsoft Entra bulk-delete file', () => {
  it('soft-removes the members it lists: planned as removals, --yes needed, under --max-removals, restorable, never adds, never the acting member', async () => {
    const w = await openWorld();
    expectOk(await w.run(['apply', real('entra', 'bulk-create-svasanth303.csv')]));
    const users = [1, 2, 3, 4, 5].map((n) => `user${n}@vpoint.example`);
    const del = real('entra', 'bulk-delete.csv');
    const dry = expectOk(await w.run(['apply', del, '--dry-run']));
    expect(dry.out).toMatch(/Plan: 0 to add, 0 to change, 2 to remove, 0 to restore\./);
    expect(dry.out + dry.err).toMatch(/nobody@vpoint\.example/); // not a member: a note, not an add
    expect(dry.out + dry.err).toMatch(/example row/);
    // Not at a terminal, a removal needs --yes; --max-removals counts the file's removals.
    const noYes = await w.run(['apply', del]);
    expect({ exit: noYes.code, code: noYes.errCode() }, describeRun(noYes)).toEqual({ exit: 2, code: 'USAGE' });
    expectError(await w.run(['apply', del, '--yes', '--max-removals', '1']), 1, 'REMOVAL_LIMIT');
    // It lists whom to remove, not the directory: pruning by it (everyone else!) is refused.
    expect(expectError(await w.run(['apply', del, '--yes', '--prune']), 2, 'ROSTER_INVALID').err).toMatch(/bulk-delete file/);
    expect(await w.emails()).toEqual([ADMIN, ...users].sort());
    const applied = expectOk(await w.run(['apply', del, '--yes', '--json'])).json();
    expect(applied.changes).toEqual([{ action: 'remove', email: users[0] }, { action: 'remove', email: users[1] }]);
    expect(await w.emails()).toEqual([ADMIN, ...users.slice(2)].sort());
    expect(await w.emails(['--status', 'deleted'])).toEqual(users.slice(0, 2));
    noChanges(await w.run(['apply', del, '--yes']));
    // Restorable: the batch brings them back.
    expectOk(await w.run(['member', 'restore', '--batch', applied.batch]));
    expect(await w.emails()).toEqual([ADMIN, ...users].sort());
    expect(await w.member(users[0])).toMatchObject({ name: 'Test User1', status: 'suspended' });
    // The member applying it is never removed.
    w.file('self.csv', `version:v1.0\nUser name [userPrincipalName] Required\n${ADMIN}\n`);
    expectError(await w.run(['apply', 'self.csv', '--yes']), 1, 'INVALID_STATE');
    expect(await w.emails()).toEqual([ADMIN, ...users].sort());
  });
});

describe('Entra "Download users" and Graph PowerShell exports', () => {
  it('one directory exported three ways applies alike; accountEnabled False suspends; a guest is its mail; a typed path R&D/EMEA still nests', async () => {
    const w = await openWorld();
    const r = expectOk(await w.run(['apply', real('entra', 'download-users-older.csv'), '--create-orgs']));
    expect(r.out).toMatch(/Plan: 5 to add, 0 to change, 0 to remove, 0 to restore\./);
    const m = await members(w);
    expect(m['adele.vance@fabrikam.example']).toMatchObject({ name: 'Adele Vance', title: 'Product Manager', org: `R&D${S}EMEA`, status: 'invited' });
    expect(m['lynne.robbins@fabrikam.example']).toMatchObject({ org: null, title: 'Planner', status: 'suspended' });
    expect(m['megan.bowen@contoso.example']).toMatchObject({ name: 'Megan Bowen', status: 'invited' });
    expect(m['yuki.tanaka@fabrikam.example']).toMatchObject({ name: '田中 由紀', title: '営業', org: `営業部${S}東京` });
    expect(await orgPaths(w)).toEqual(['Human Resources', `R&D${S}EMEA`, `営業部${S}東京`]);
    noChanges(await w.run(['apply', real('entra', 'download-users-older.csv')]));
    // Graph PowerShell: Windows PowerShell 5.1 (BOM, #TYPE line, every property) and PowerShell 7 (Select-Object).
    noChanges(await w.run(['apply', real('graph', 'get-mguser-ps51-type-line.csv')]));
    noChanges(await w.run(['apply', real('graph', 'get-mguser-ps7-select.csv')]));
    noChanges(await w.run(['apply', real('graph', 'get-mguser-ps7-select.csv'), '--format', 'graph']));
    // Paths people type keep their meaning: R&D/EMEA is R&D → EMEA, beside the one org R&D∕EMEA.
    expectOk(await w.run(['org', 'add', 'R&D/EMEA', '--parents']));
    expect(await orgPaths(w)).toEqual(['Human Resources', 'R&D', 'R&D/EMEA', `R&D${S}EMEA`, `営業部${S}東京`]);
    noChanges(await w.run(['apply', real('entra', 'download-users-older.csv')]));
    // The real "Download users" of 2021 (a guest without mail keeps its UPN; names as written).
    expectOk(await w.run(['apply', real('entra', 'download-users-ysecurity.csv')]));
    expect(await w.member('test12345@msobbysec.onmicrosoft.example')).toMatchObject({ name: '=3+1', status: 'invited' });
    noChanges(await w.run(['apply', real('entra', 'download-users-ysecurity.csv')]));
    // A change in Entra reaches the member: AccountEnabled True again unsuspends.
    w.file('enable.csv', '"UserPrincipalName","AccountEnabled"\n"lynne.robbins@fabrikam.example","True"\n');
    expectOk(await w.run(['apply', 'enable.csv']));
    expect(await w.member('lynne.robbins@fabrikam.example')).toMatchObject({ status: 'invited', org: null, title: 'Planner' });
    w.file('maybe.csv', '#TYPE Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser\n"UserPrincipalName","AccountEnabled"\n"lynne.robbins@fabrikam.example","Maybe"\n');
    expect(expectError(await w.run(['apply', 'maybe.csv']), 2, 'ROSTER_INVALID').err).toContain('maybe.csv:3: accountEnabled is "Maybe", not True or False');
  });
});

describe('GAM print users', () => {
  it('reads primaryEmail, name.* (given/family, else full name), orgUnitPath and suspended True/False; skips Valid False rows; re-applied, No changes.', async () => {
    const w = await openWorld();
    const fields = real('gam', 'print-users-fields.csv');
    expectOk(await w.run(['apply', fields, '--create-orgs']));
    const m = await members(w);
    expect(m['hana.sato@acme.example']).toMatchObject({ name: '佐藤 花子', org: 'IT', status: 'invited' });
    expect(m['alan.turing@acme.example']).toMatchObject({ org: null, status: 'suspended' });
    expect(m['yuki.suzuki@acme.example']).toMatchObject({ name: '鈴木 由紀', org: 'Sales/Tokyo', status: 'suspended' });
    expect(await orgPaths(w)).toEqual(['IT', 'Sales', 'Sales/Tokyo', 'Support']);
    // Google's own export of the same directory adds only what GAM's file did not carry (titles).
    const google = expectOk(await w.run(['apply', join(ROOT, 'fixtures', 'google-users.csv'), '--json'])).json();
    expect(google.summary).toEqual({ add: 0, change: 4, remove: 0, restore: 0 });
    expect(google.changes.every((c: any) => Object.keys(c.fields).join() === 'title')).toBe(true);
    noChanges(await w.run(['apply', fields]));
    // GAM's wiki examples: `print users name`, a header-filtered full name with orgUnitPath, showvalidcolumn.
    expectOk(await w.run(['apply', real('gam', 'print-users-name.csv')]));
    expectOk(await w.run(['apply', real('gam', 'print-users-ou-costcenter.csv'), '--create-orgs']));
    expect(await w.member('testuser1@domain.example')).toMatchObject({ name: 'Test User1', org: 'Test' });
    const valid = await w.run(['apply', real('gam', 'print-users-showvalidcolumn.csv')]);
    noChanges(valid);
    expect(valid.out + valid.err).toMatch(/testuserxxx@domain\.example/);
    expect(await w.emails()).not.toContain('testuserxxx@domain.example');
    for (const f of ['print-users-name.csv', 'print-users-ou-costcenter.csv']) noChanges(await w.run(['apply', real('gam', f), '--format', 'gam']));
    w.file('gam-bad.csv', 'primaryEmail,suspended\nhana.sato@acme.example,Yes\n');
    expect(expectError(await w.run(['apply', 'gam-bad.csv']), 2, 'ROSTER_INVALID').err).toContain('gam-bad.csv:2: suspended is "Yes", not True or False');
  });
});
