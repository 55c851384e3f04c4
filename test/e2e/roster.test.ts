// SPEC §8: roster files. `apply FILE|-` (CSV, YAML, JSON), `export`, validation, the plan, the safety
// rails (--prune, --max-removals, --yes), secrets, and one transaction / one batch per apply.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, ROOT, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';
const DAVE = 'dave@acme.example';
const ERIN = 'erin@acme.example';

const HANA = 'hana.sato@acme.example';
const KENJI = 'kenji.tanaka@acme.example';
const YUKI = 'yuki.suzuki@acme.example';
const GRACE = 'grace.hopper@acme.example';
const LEE = "lee.o'neil@acme.example";
const NEWHIRE = 'new.hire@acme.example';

const fixture = (name: string) => join(ROOT, 'fixtures', name);

/** What a roster decides about a member, from `member list --json`, by email. */
async function state(w: World, status: string[] = []): Promise<Record<string, any>> {
  const list = expectOk(await w.run(['member', 'list', ...status, '--json'])).json() as any[];
  const out: Record<string, any> = {};
  for (const m of list) {
    out[m.email] = { name: m.name, role: m.role, scope: m.scope, org: m.org, orgs: m.orgs, title: m.title, status: m.status, startDate: m.startDate };
  }
  return out;
}

async function orgPaths(w: World): Promise<string[]> {
  return (expectOk(await w.run(['org', 'list', '--json'])).json() as Array<{ path: string }>).map((o) => o.path).sort();
}

async function auditAll(w: World): Promise<any[]> {
  return expectOk(await w.run(['audit', 'list', '--limit', '100000', '--json'])).json();
}

/** The plan's lines naming an email (stdout). */
function linesFor(r: Result, email: string): string[] {
  return r.out.split('\n').filter((l) => l.includes(email));
}

function noChanges(r: Result) {
  expect(r.code, describeRun(r)).toBe(0);
  expect(r.out, describeRun(r)).toMatch(/^No changes\.$/m);
  expect(r.out, describeRun(r)).not.toMatch(/Plan: /);
}

/** The members the sample roster (fixtures/roster.*) describes, as applied. */
const HANA_STATE = { name: '佐藤 花子', role: 'admin', scope: [], org: 'IT', orgs: [], title: 'Head of IT', status: 'invited', startDate: null };
const YUKI_STATE = { name: '鈴木 由紀', role: 'viewer', scope: [], org: 'Sales/Tokyo', orgs: ['Support'], title: 'Account Manager', status: 'invited', startDate: null };

describe('apply: formats', () => {
  it('reads CSV by its extension: every column, quoted commas and quotes, suspended status, start date', async () => {
    const w = await World.ready();
    const r = expectOk(await w.run(['apply', fixture('roster.csv'), '--create-orgs']));
    expect(r.out).toMatch(/^Plan: 6 to add, 0 to change, 0 to remove, 0 to restore\.$/m);
    const s = await state(w);
    expect(Object.keys(s).sort()).toEqual([ADMIN, GRACE, HANA, KENJI, LEE, NEWHIRE, YUKI].sort());
    expect(s[HANA]).toEqual(HANA_STATE);
    expect(s[YUKI]).toEqual(YUKI_STATE);
    expect(s[KENJI]).toMatchObject({ name: '田中 健二', role: 'site-admin', scope: ['Sales'], org: 'Sales', title: 'Sales Director' });
    expect(s[LEE]).toMatchObject({ name: "O'Neil, Lee", title: 'Sales "Rep"', org: 'Sales/Osaka', status: 'suspended' });
    expect(s[NEWHIRE]).toMatchObject({ startDate: '2031-04-01', status: 'pending', org: 'IT' });
    noChanges(await w.run(['apply', fixture('roster.csv'), '--create-orgs']));
  });

  it('reads YAML by its extension (.yaml and .yml); its orgs: are created without --create-orgs', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('roster.yaml')]));
    expect(await orgPaths(w)).toEqual(['IT', 'Sales', 'Sales/Osaka', 'Sales/Tokyo', 'Support']);
    const s = await state(w);
    expect(s[HANA]).toEqual(HANA_STATE);
    expect(s[YUKI]).toEqual(YUKI_STATE);
    expect(s[KENJI]).toMatchObject({ role: 'site-admin', scope: ['Sales'], org: 'Sales' });
    expect(s[GRACE]).toMatchObject({ role: 'support', org: 'Support', title: 'Support Engineer' });
    noChanges(await w.run(['apply', fixture('roster.yaml')]));
    const yml = w.file('people.yml', readFileSync(fixture('roster.yaml')));
    noChanges(await w.run(['apply', yml]));
  });

  it('reads JSON by its extension; its orgs are created', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('roster.json')]));
    expect(await orgPaths(w)).toEqual(['IT', 'Sales', 'Sales/Tokyo', 'Support']);
    const s = await state(w);
    expect(s[HANA]).toEqual(HANA_STATE);
    expect(s[YUKI]).toEqual(YUKI_STATE);
    expect(s[GRACE]).toMatchObject({ name: 'Grace Hopper', role: 'support', org: 'Support', status: 'invited' });
    noChanges(await w.run(['apply', fixture('roster.json')]));
  });

  it('--format wins over the extension', async () => {
    const w = await World.ready();
    w.file('people.txt', readFileSync(fixture('roster.yaml')));
    w.file('looks-like.csv', JSON.stringify({ members: [{ email: BOB, name: 'Bob Lee', title: 'Engineer' }] }));
    expectOk(await w.run(['apply', 'people.txt', '--format', 'yaml']));
    expectOk(await w.run(['apply', 'looks-like.csv', '--format', 'json']));
    const s = await state(w);
    expect(s[HANA]).toEqual(HANA_STATE);
    expect(s[BOB]).toMatchObject({ name: 'Bob Lee', title: 'Engineer' });
  });

  it('reads standard input (-) as CSV by default, or as --format says', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', '-'], { input: `email,name,title\n${BOB},Bob Lee,Engineer\n` }));
    expect((await state(w))[BOB]).toMatchObject({ name: 'Bob Lee', title: 'Engineer' });
    expectOk(await w.run(['apply', '-', '--format', 'yaml'], { input: `members:\n  - email: ${CAROL}\n    name: Carol King\n` }));
    expect((await state(w))[CAROL]).toMatchObject({ name: 'Carol King' });
    noChanges(await w.run(['apply', '-'], { input: `email,name,title\n${BOB},Bob Lee,Engineer\n` }));
  });
});

describe('apply: CSV details', () => {
  it('accepts the Japanese headers (メールアドレス, 氏名, 役割, 組織, 兼務組織, 職級) with CRLF line ends', async () => {
    const w = await World.ready();
    expect(readFileSync(fixture('roster-ja.csv'), 'latin1')).toContain('\r\n');
    expectOk(await w.run(['apply', fixture('roster-ja.csv'), '--create-orgs']));
    const s = await state(w);
    expect(s[HANA]).toEqual({ ...HANA_STATE, title: '部長' });
    expect(s[YUKI]).toEqual({ ...YUKI_STATE, org: '営業部/東京', orgs: ['サポート'], title: '主任' });
    noChanges(await w.run(['apply', fixture('roster-ja.csv')]));
  });

  it('accepts 権限 and 役割/権限 as the role header, and headers in any case and order', async () => {
    const w = await World.ready();
    w.file('a.csv', `氏名,権限,メールアドレス\nBob,operator,${BOB}\n`);
    w.file('b.csv', `役割/権限,メールアドレス\nsupport,${CAROL}\n`);
    w.file('c.csv', `TITLE,Email,NAME\nEngineer,${DAVE},Dave\n`);
    for (const f of ['a.csv', 'b.csv', 'c.csv']) expectOk(await w.run(['apply', f]));
    const s = await state(w);
    expect(s[BOB]).toMatchObject({ name: 'Bob', role: 'operator' });
    expect(s[CAROL]).toMatchObject({ role: 'support' });
    expect(s[DAVE]).toMatchObject({ name: 'Dave', title: 'Engineer', role: 'viewer' });
  });

  it('reads a UTF-8 file with a BOM', async () => {
    const w = await World.ready();
    expect([...readFileSync(fixture('roster-bom.csv')).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expectOk(await w.run(['apply', fixture('roster-bom.csv'), '--create-orgs']));
    const s = await state(w);
    expect(s[HANA]).toEqual({ ...HANA_STATE, title: '部長' });
    expect(s[YUKI]).toMatchObject({ name: '鈴木 由紀', org: '営業部/東京', orgs: ['サポート'] });
  });

  it('detects Shift_JIS when the file is not valid UTF-8, and takes --encoding shift_jis', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('roster-sjis.csv'), '--create-orgs']));
    const s = await state(w);
    expect(s[HANA]).toEqual({ ...HANA_STATE, title: '部長' });
    expect(s[YUKI]).toEqual({ ...YUKI_STATE, org: '営業部/東京', orgs: ['サポート'], title: '主任' });
    expect(await orgPaths(w)).toEqual(expect.arrayContaining(['IT', '営業部', '営業部/東京', 'サポート']));
    // The same file, the encoding named: the same members, so nothing to change.
    noChanges(await w.run(['apply', fixture('roster-sjis.csv'), '--encoding', 'shift_jis']));
    // The UTF-8 version of the same roster agrees.
    noChanges(await w.run(['apply', fixture('roster-ja.csv')]));
  });

  it('reads quoted fields holding commas, quotes and newlines, and counts lines in the file', async () => {
    const w = await World.ready();
    const text = `email,name,title\n${BOB},"Lee, Bob","Line one\nline ""two"""\nnot-an-email,X,\n`;
    w.file('q.csv', text);
    const r = expectError(await w.run(['apply', 'q.csv']), 2, 'ROSTER_INVALID');
    expect(r.err).toContain('q.csv:4:');
    expect(r.err).not.toMatch(/q\.csv:[235]:/);
    expect(await w.emails()).toEqual([ADMIN]);
    w.file('q.csv', text.replace('not-an-email,X,', `${CAROL},"King, ""CK"" Carol",`));
    expectOk(await w.run(['apply', 'q.csv']));
    const s = await state(w);
    expect(s[BOB].name).toBe('Lee, Bob');
    expect(s[BOB].title).toBe('Line one\nline "two"');
    expect(s[CAROL]).toMatchObject({ name: 'King, "CK" Carol', title: null });
  });

  it('counts a CRLF as one line break, inside quoted fields too (Excel on Windows)', async () => {
    const w = await World.ready();
    w.file('crlf.csv', `email,name,title\r\n${BOB},Bob,"Line one\r\nline two"\r\n${CAROL},Carol,\r\nnot-an-email,X,\r\n`);
    const r = expectError(await w.run(['apply', 'crlf.csv']), 2, 'ROSTER_INVALID');
    expect(r.err, describeRun(r)).toContain('crlf.csv:5:');
    expect(r.err).not.toMatch(/crlf\.csv:[2346]:/);
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('ignores blank lines', async () => {
    const w = await World.ready();
    w.file('blank.csv', `email,name\n\n${BOB},Bob\n\n\n${CAROL},Carol\n\n`);
    const r = expectOk(await w.run(['apply', 'blank.csv']));
    expect(r.out).toMatch(/Plan: 2 to add, 0 to change, 0 to remove, 0 to restore\./);
    expect(await w.emails()).toEqual([ADMIN, BOB, CAROL]);
  });
});

describe('export', () => {
  it('export in csv, yaml and json (stdout, or -o by extension) applies back as No changes.', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('roster.csv'), '--create-orgs']));
    expectOk(await w.run(['member', 'suspend', GRACE]));
    expectOk(await w.run(['member', 'remove', KENJI]));
    // stdout defaults to CSV, with a header row
    const csv = expectOk(await w.run(['export'])).out;
    expect(csv.split(/\r?\n/)[0].toLowerCase()).toMatch(/^email,|,email,|,email$/);
    expect(csv).not.toContain(KENJI); // removed members are not exported
    w.file('stdout.csv', csv);
    w.file('stdout.yaml', expectOk(await w.run(['export', '--format', 'yaml'])).out);
    w.file('stdout.json', expectOk(await w.run(['export', '--format', 'json'])).out);
    expectOk(await w.run(['export', '-o', 'out.yml'])); // the format from -o's extension
    expect(readFileSync(join(w.dir, 'out.yml'), 'utf8')).toMatch(/^members:/m);
    expect(JSON.parse(readFileSync(join(w.dir, 'stdout.json'), 'utf8')).members.length).toBe(6);
    for (const f of ['stdout.csv', 'stdout.yaml', 'stdout.json', 'out.yml']) {
      const r = await w.run(['apply', f, '--detailed-exitcode']);
      noChanges(r);
    }
    expect((await w.member(GRACE)).status).toBe('suspended');
    expect((await w.member(KENJI)).status).toBe('deleted');
  });
});

describe('apply: validation before any change', () => {
  it('reports every problem together as FILE:LINE: message (ROSTER_INVALID, exit 2) and changes nothing', async () => {
    const w = await World.ready();
    w.file('bad.csv', [
      'email,name,role,start_date',
      `${BOB},Bob,viewer,`,
      'not-an-email,X,viewer,',
      `${CAROL},Carol,viewer,`,
      `${DAVE},Dave,wizard,`,
      `${ERIN},Erin,viewer,2030-13-45`,
    ].join('\n') + '\n');
    const before = (await auditAll(w)).length;
    const r = expectError(await w.run(['apply', 'bad.csv']), 2, 'ROSTER_INVALID');
    for (const line of [3, 5, 6]) expect(r.err, describeRun(r)).toMatch(new RegExp(`^(.*\\s)?bad\\.csv:${line}: \\S`, 'm'));
    expect(r.err).not.toMatch(/bad\.csv:[24]:/);
    expect(await w.emails()).toEqual([ADMIN]);
    expect((await auditAll(w)).length).toBe(before);
    // --json: the same problems, in the one error object
    const j = expectError(await w.run(['apply', 'bad.csv', '--json']), 2, 'ROSTER_INVALID');
    expect(j.error()!.message).toMatch(/bad\.csv:3:[\s\S]*bad\.csv:5:[\s\S]*bad\.csv:6:/);
  });

  it('a repeated email (any case) is an error at its later line', async () => {
    const w = await World.ready();
    w.file('dup.csv', `email,name\n${BOB},Bob\n${CAROL},Carol\nBOB@Acme.Example,Bob Again\n`);
    const r = expectError(await w.run(['apply', 'dup.csv']), 2, 'ROSTER_INVALID');
    expect(r.err).toContain('dup.csv:4:');
    expect(r.err).not.toMatch(/dup\.csv:[23]:/);
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('a repeated id is an error at its later line', async () => {
    const w = await World.ready();
    const bob = expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--json'])).json();
    w.file('dupid.csv', `id,email,name\n${bob.id},${BOB},Bob\n,${CAROL},Carol\n${bob.id},${DAVE},Dave\n`);
    const r = expectError(await w.run(['apply', 'dupid.csv']), 2, 'ROSTER_INVALID');
    expect(r.err).toContain('dupid.csv:4:');
    expect(r.err).not.toMatch(/dupid\.csv:[23]:/);
    expect(await w.emails()).toEqual([ADMIN, BOB]);
  });

  it('YAML problems name the line of the member; JSON problems name members[i]', async () => {
    const w = await World.ready();
    w.file('bad.yaml', ['orgs: []', 'members:', `  - email: ${BOB}`, '    name: Bob', '  - email: not-an-email', '    name: X', ''].join('\n'));
    const y = expectError(await w.run(['apply', 'bad.yaml']), 2, 'ROSTER_INVALID');
    expect(y.err).toContain('bad.yaml:5:');
    w.file('bad.json', JSON.stringify({ members: [{ email: BOB, name: 'Bob' }, { email: 'not-an-email', name: 'X' }, { email: CAROL, role: 'wizard' }] }, null, 2));
    const j = expectError(await w.run(['apply', 'bad.json']), 2, 'ROSTER_INVALID');
    expect(j.err).toContain('members[1]');
    expect(j.err).toContain('members[2]');
    expect(j.err).not.toContain('members[0]');
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('an org the roster names that does not exist is an error unless --create-orgs, which creates it', async () => {
    const w = await World.ready();
    w.file('orgs.csv', `email,org,orgs\n${BOB},Sales/Tokyo,Support;Ops\n`);
    const r = expectError(await w.run(['apply', 'orgs.csv']), 2, 'ROSTER_INVALID');
    expect(r.err).toContain('orgs.csv:2:');
    expect(r.err).toContain('Sales/Tokyo');
    expect(await orgPaths(w)).toEqual([]);
    expect(await w.emails()).toEqual([ADMIN]);
    expectOk(await w.run(['apply', 'orgs.csv', '--create-orgs']));
    expect(await orgPaths(w)).toEqual(['Ops', 'Sales', 'Sales/Tokyo', 'Support']);
    expect((await state(w))[BOB].org).toBe('Sales/Tokyo');
    expect([...(await state(w))[BOB].orgs].sort()).toEqual(['Ops', 'Support']);
  });
});

/** bob (title Engineer), carol, dave (removed): a roster that adds erin, changes bob, prunes carol, restores dave. */
async function planWorld(): Promise<World> {
  const w = await World.ready();
  expectOk(await w.run(['apply', '-'], { input: `email,name,title\n${BOB},Bob,Engineer\n${CAROL},Carol,\n${DAVE},Dave,\n` }));
  expectOk(await w.run(['member', 'remove', DAVE]));
  w.file('plan.csv', `email,title\n${ADMIN},\n${BOB},Lead\n${DAVE},\n${ERIN},Intern\n`);
  return w;
}

describe('apply: the plan', () => {
  it('prints add / change (field: old → new) / remove / restore lines and the summary, then Batch: ID', async () => {
    const w = await planWorld();
    const r = expectOk(await w.run(['apply', 'plan.csv', '--prune', '--yes']));
    expect(linesFor(r, ERIN).some((l) => /\badd\b/i.test(l)), describeRun(r)).toBe(true);
    expect(linesFor(r, BOB).some((l) => /\bchange\b/i.test(l)), describeRun(r)).toBe(true);
    expect(r.out).toMatch(/title: Engineer → Lead/);
    expect(linesFor(r, CAROL).some((l) => /\bremove\b/i.test(l)), describeRun(r)).toBe(true);
    expect(linesFor(r, DAVE).some((l) => /\brestore\b/i.test(l)), describeRun(r)).toBe(true);
    expect(r.out).toMatch(/^Plan: 1 to add, 1 to change, 1 to remove, 1 to restore\.$/m);
    expect(r.out.trim().split('\n').at(-1)).toMatch(/^Batch: \S+$/);
    const s = await state(w);
    expect(s[ERIN]).toMatchObject({ title: 'Intern', status: 'invited' });
    expect(s[BOB].title).toBe('Lead');
    expect(s[DAVE].status).toBe('invited');
    expect(s[CAROL]).toBeUndefined();
    expect((await w.member(CAROL)).status).toBe('deleted');
  });

  it('--json prints {changes, summary, applied, batch}', async () => {
    const w = await planWorld();
    const body = expectOk(await w.run(['apply', 'plan.csv', '--prune', '--yes', '--json'])).json();
    expect(body.summary).toEqual({ add: 1, change: 1, remove: 1, restore: 1 });
    expect(body.applied).toBe(true);
    expect(body.batch).toEqual(expect.any(String));
    const byAction = (a: string) => body.changes.filter((c: any) => c.action === a);
    expect(body.changes).toHaveLength(4);
    expect(byAction('add')).toEqual([expect.objectContaining({ email: ERIN })]);
    expect(byAction('change')).toEqual([expect.objectContaining({ email: BOB, fields: { title: { from: 'Engineer', to: 'Lead' } } })]);
    expect(byAction('remove')).toEqual([expect.objectContaining({ email: CAROL })]);
    expect(byAction('restore')).toEqual([expect.objectContaining({ email: DAVE })]);
    for (const c of body.changes) expect(['add', 'change', 'remove', 'restore']).toContain(c.action);
  });

  it('prints No changes. (and summary zeros in JSON) when the workspace already matches', async () => {
    const w = await World.ready();
    w.file('same.csv', `email,name\n${BOB},Bob\n`);
    expectOk(await w.run(['apply', 'same.csv']));
    noChanges(await w.run(['apply', 'same.csv']));
    const body = expectOk(await w.run(['apply', 'same.csv', '--json'])).json();
    expect(body.changes).toEqual([]);
    expect(body.summary).toEqual({ add: 0, change: 0, remove: 0, restore: 0 });
    expect(body.applied).toBe(false);
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const w = await planWorld();
    const before = await state(w);
    const deletedBefore = await state(w, ['--status', 'deleted']);
    const audit = (await auditAll(w)).length;
    const r = expectOk(await w.run(['apply', 'plan.csv', '--prune', '--dry-run']));
    expect(r.out).toMatch(/^Plan: 1 to add, 1 to change, 1 to remove, 1 to restore\.$/m);
    const j = expectOk(await w.run(['apply', 'plan.csv', '--prune', '--dry-run', '--json'])).json();
    expect(j.summary).toEqual({ add: 1, change: 1, remove: 1, restore: 1 });
    expect(j.applied).toBe(false);
    expect(await state(w)).toEqual(before);
    expect(await state(w, ['--status', 'deleted'])).toEqual(deletedBefore);
    expect((await auditAll(w)).length).toBe(audit);
  });

  it('--detailed-exitcode exits 10 when there are changes and 0 when there are none', async () => {
    const w = await planWorld();
    const dry = await w.run(['apply', 'plan.csv', '--dry-run', '--detailed-exitcode']);
    expect(dry.code, describeRun(dry)).toBe(10);
    const real = await w.run(['apply', 'plan.csv', '--detailed-exitcode']);
    expect(real.code, describeRun(real)).toBe(10);
    expect((await w.member(ERIN)).title).toBe('Intern');
    const again = await w.run(['apply', 'plan.csv', '--detailed-exitcode']);
    expect(again.code, describeRun(again)).toBe(0);
    expect(again.out).toMatch(/No changes\./);
  });

  it('--plan-out saves the plan without applying it; apply --plan applies it', async () => {
    const w = await planWorld();
    const before = await state(w);
    const saved = expectOk(await w.run(['apply', 'plan.csv', '--prune', '--plan-out', 'saved.plan']));
    expect(saved.out).toMatch(/Plan: 1 to add, 1 to change, 1 to remove, 1 to restore\./);
    expect(await state(w)).toEqual(before);
    const r = expectOk(await w.run(['apply', '--plan', 'saved.plan', '--yes', '--secrets-out', 'secrets.csv', '--json']));
    expect(r.json().summary).toEqual({ add: 1, change: 1, remove: 1, restore: 1 });
    expect(r.json().applied).toBe(true);
    const secrets = readFileSync(join(w.dir, 'secrets.csv'), 'utf8').trim().split(/\r?\n/);
    expect(secrets[0]).toBe('email,temporaryPassword');
    expect(secrets.slice(1).map((l) => l.split(',')[0])).toEqual([ERIN]);
    const s = await state(w);
    expect(s[ERIN]).toMatchObject({ title: 'Intern' });
    expect(s[BOB].title).toBe('Lead');
    expect(s[DAVE].status).toBe('invited');
    expect(s[CAROL]).toBeUndefined();
  });

  it('apply --plan refuses a plan made before the workspace changed (STALE_PLAN, exit 5) and applies nothing', async () => {
    const w = await planWorld();
    expectOk(await w.run(['apply', 'plan.csv', '--plan-out', 'saved.plan']));
    expectOk(await w.run(['member', 'update', CAROL, '--title', 'Changed meanwhile']));
    const before = await state(w);
    expectError(await w.run(['apply', '--plan', 'saved.plan', '--yes']), 5, 'STALE_PLAN');
    expect(await state(w)).toEqual(before);
    expect(before[ERIN]).toBeUndefined();
  });
});

describe('apply: one transaction, all or nothing', () => {
  it('a roster that would exceed the seat limit adds no one (SEAT_LIMIT_REACHED, exit 1)', async () => {
    const w = await World.ready();
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '3']));
    w.file('three.csv', `email,name\n${BOB},Bob\n${CAROL},Carol\n${DAVE},Dave\n`);
    const before = (await auditAll(w)).length;
    expectError(await w.run(['apply', 'three.csv']), 1, 'SEAT_LIMIT_REACHED');
    expect(await w.emails()).toEqual([ADMIN]);
    expect((await auditAll(w)).length).toBe(before);
    w.file('two.csv', `email,name\n${BOB},Bob\n${CAROL},Carol\n`);
    expectOk(await w.run(['apply', 'two.csv']));
    expect(await w.emails()).toEqual([ADMIN, BOB, CAROL]);
  });

  it('a roster that would suspend the last active admin changes nothing (LAST_ADMIN, exit 1)', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', CAROL, '--name', 'Carol']));
    w.file('lastadmin.csv', `email,name,status\n${ADMIN},Alice Admin,suspended\n${BOB},Bob,\n${CAROL},Carol Changed,\n`);
    expectError(await w.run(['apply', 'lastadmin.csv']), 1, 'LAST_ADMIN');
    expect(await w.emails()).toEqual([ADMIN, CAROL]);
    expect((await w.member(ADMIN)).status).toBe('active');
    expect((await w.member(CAROL)).name).toBe('Carol');
  });
});

/** n viewers added by one apply: n01@… */
function manyCsv(n: number, extra: string[] = []): string {
  const rows = [`email,name`, ...extra];
  for (let i = 1; i <= n; i++) rows.push(`m${String(i).padStart(2, '0')}@acme.example,Member ${i}`);
  return rows.join('\n') + '\n';
}

describe('apply --prune', () => {
  it('soft-removes members not in the file; they stay restorable (member restore brings them back)', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--title', 'Engineer']));
    expectOk(await w.run(['member', 'add', CAROL, '--name', 'Carol']));
    w.file('keep.csv', `email\n${ADMIN}\n${CAROL}\n`);
    const r = expectOk(await w.run(['apply', 'keep.csv', '--prune', '--yes']));
    expect(r.out).toMatch(/Plan: 0 to add, 0 to change, 1 to remove, 0 to restore\./);
    expect(await w.emails()).toEqual([ADMIN, CAROL]);
    const gone = await w.member(BOB);
    expect(gone.status).toBe('deleted');
    expect(gone.restorableUntil).toEqual(expect.any(String));
    expectOk(await w.run(['member', 'restore', BOB]));
    expect(await w.member(BOB)).toMatchObject({ status: 'invited', title: 'Engineer' });
  });

  it('without --prune, members not in the file are left alone', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
    w.file('only-carol.csv', `email,name\n${CAROL},Carol\n`);
    expectOk(await w.run(['apply', 'only-carol.csv']));
    expect(await w.emails()).toEqual([ADMIN, BOB, CAROL]);
  });

  it('removes at most --max-removals (default 10: REMOVAL_LIMIT, exit 1, for 11) and nothing on refusal', async () => {
    const w = await World.ready();
    w.file('many.csv', manyCsv(11));
    expectOk(await w.run(['apply', 'many.csv']));
    w.file('alice.csv', `email\n${ADMIN}\n`);
    expectError(await w.run(['apply', 'alice.csv', '--prune', '--yes']), 1, 'REMOVAL_LIMIT');
    expect((await w.emails()).length).toBe(12);
    expectError(await w.run(['apply', 'alice.csv', '--prune', '--yes', '--max-removals', '10']), 1, 'REMOVAL_LIMIT');
    expect((await w.emails()).length).toBe(12);
    const ok = expectOk(await w.run(['apply', 'alice.csv', '--prune', '--yes', '--max-removals', '11', '--json'])).json();
    expect(ok.summary.remove).toBe(11);
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('--max-removals P% is a percentage of the current members, counted at the apply; a saved plan keeps it as given', async () => {
    const w = await World.ready();
    w.file('many.csv', manyCsv(11));
    expectOk(await w.run(['apply', 'many.csv'])); // 12 members with alice
    w.file('alice.csv', `email\n${ADMIN}\n`);
    const refused = expectError(await w.run(['apply', 'alice.csv', '--prune', '--yes', '--max-removals', '50%']), 1, 'REMOVAL_LIMIT');
    expect(refused.err).toContain('the roster would remove 11 members, more than the limit of 50% of 12 current members, which is 6');
    expect(refused.err).toContain('hint: check the roster; if it is right, allow 11 removals (92%) (--max-removals)');
    expect((await w.emails()).length).toBe(12);
    for (const bad of ['5x', '101%', '-1', '%']) expectError(await w.run(['apply', 'alice.csv', '--prune', '--yes', '--max-removals', bad]), 2, 'INVALID_INPUT');
    expectOk(await w.run(['apply', 'alice.csv', '--prune', '--max-removals', '92%', '--plan-out', 'plan.json']));
    expect(JSON.parse(readFileSync(join(w.dir, 'plan.json'), 'utf8')).options.maxRemovals).toEqual({ percent: 92 });
    // A flag that would shape the plan is refused with --plan, not silently dropped: the plan keeps its own.
    for (const flags of [['--prune'], ['--max-removals', '5'], ['--create-orgs', '--role', 'operator'], ['--format', 'yaml'], ['--encoding', 'utf-8'], ['--allow-empty'], ['--plan-out', 'again.json']]) {
      const r = expectError(await w.run(['apply', '--plan', 'plan.json', '--yes', ...flags]), 2, 'USAGE');
      expect(r.err).toMatch(/a plan, and --plan applies one already made/);
    }
    expect((await w.emails()).length).toBe(12);
    expect(expectOk(await w.run(['apply', '--plan', 'plan.json', '--yes', '--json'])).json().summary.remove).toBe(11);
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('10 removals pass the default limit', async () => {
    const w = await World.ready();
    w.file('many.csv', manyCsv(10));
    expectOk(await w.run(['apply', 'many.csv']));
    w.file('alice.csv', `email\n${ADMIN}\n`);
    expectOk(await w.run(['apply', 'alice.csv', '--prune', '--yes']));
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('never removes the acting member: the prune is refused and nothing changes', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
    w.file('no-alice.csv', `email,name\n${BOB},Bob\n${CAROL},Carol\n`);
    const r = await w.run(['apply', 'no-alice.csv', '--prune', '--yes']);
    expect(r.code, describeRun(r)).not.toBe(0);
    expect(r.code, describeRun(r)).not.toBe(70);
    expect(r.err).toContain(ADMIN);
    expect((await w.member(ADMIN)).status).toBe('active');
    expect(await w.emails()).toEqual([ADMIN, BOB]);
  });

  it('never removes a group owner (OWNER_PROTECTED, exit 1) and then removes no one', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob', 'operator');
    await w.loginAs(BOB, pw);
    expectOk(await w.as(BOB, ['group', 'create', 'Team']));
    expectOk(await w.run(['member', 'add', DAVE, '--name', 'Dave']));
    w.file('alice.csv', `email\n${ADMIN}\n`);
    const r = expectError(await w.run(['apply', 'alice.csv', '--prune', '--yes']), 1, 'OWNER_PROTECTED');
    expect(r.err).toContain('Team');
    expect(await w.emails()).toEqual([ADMIN, BOB, DAVE]);
  });

  it('removals need --yes when not at a terminal (USAGE, exit 2) and nothing is removed', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
    w.file('alice.csv', `email\n${ADMIN}\n${CAROL}\n`);
    // Nothing on stdout for an error (expectError): the plan is shown only to a person asked to confirm.
    const r = expectError(await w.run(['apply', 'alice.csv', '--prune']), 2, 'USAGE');
    expect(r.err).toMatch(/--yes/);
    expect(r.err).not.toMatch(/Plan:/);
    expect(await w.emails()).toEqual([ADMIN, BOB]);
    expectOk(await w.run(['apply', 'alice.csv', '--prune', '--yes']));
    expect(await w.emails()).toEqual([ADMIN, CAROL]);
  });

  it('restores removed (restorable) members that are in the file', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--title', 'Engineer']));
    expectOk(await w.run(['member', 'suspend', BOB]));
    expectOk(await w.run(['member', 'remove', BOB]));
    w.file('bob.csv', `email,name\n${BOB},Bob\n`);
    const r = expectOk(await w.run(['apply', 'bob.csv']));
    expect(linesFor(r, BOB).some((l) => /\brestore\b/i.test(l)), describeRun(r)).toBe(true);
    expect(r.out).toMatch(/Plan: 0 to add, 0 to change, 0 to remove, 1 to restore\./);
    expect(await w.member(BOB)).toMatchObject({ status: 'suspended', title: 'Engineer', deletedAt: null });
    noChanges(await w.run(['apply', 'bob.csv']));
  });
});

describe('apply: fields', () => {
  async function bobWithEverything(): Promise<World> {
    const w = await World.ready();
    for (const o of ['Sales', 'Support']) expectOk(await w.run(['org', 'add', o]));
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--role', 'operator', '--title', 'Lead', '--org', 'Sales', '--add-org', 'Support', '--start-date', '2030-01-01']));
    return w;
  }

  it('an empty cell clears title, org, orgs and start_date', async () => {
    const w = await bobWithEverything();
    w.file('clear.csv', `email,title,org,orgs,start_date\n${BOB},,,,\n`);
    const r = expectOk(await w.run(['apply', 'clear.csv']));
    expect(r.out).toMatch(/Plan: 0 to add, 1 to change, 0 to remove, 0 to restore\./);
    expect(await w.member(BOB)).toMatchObject({ title: null, org: null, orgs: [], startDate: null, role: 'operator', name: 'Bob' });
  });

  it('a column the file does not have leaves that field as it is', async () => {
    const w = await bobWithEverything();
    w.file('name-only.csv', `email,name\n${BOB},Robert\n`);
    expectOk(await w.run(['apply', 'name-only.csv']));
    expect(await w.member(BOB)).toMatchObject({ name: 'Robert', title: 'Lead', org: 'Sales', orgs: ['Support'], startDate: '2030-01-01', role: 'operator' });
    w.file('name-only.yaml', `members:\n  - email: ${BOB}\n    name: Rob\n`);
    expectOk(await w.run(['apply', 'name-only.yaml']));
    expect(await w.member(BOB)).toMatchObject({ name: 'Rob', title: 'Lead', org: 'Sales', orgs: ['Support'], startDate: '2030-01-01', role: 'operator' });
  });

  it('an empty role cell means the default role (viewer)', async () => {
    const w = await bobWithEverything();
    w.file('role.csv', `email,role\n${BOB},\n`);
    expectOk(await w.run(['apply', 'role.csv']));
    expect((await w.member(BOB)).role).toBe('viewer');
  });

  it('--role R is the role of new members whose row names none', async () => {
    const w = await World.ready();
    w.file('roles.csv', `email,name,role\n${BOB},Bob,\n${CAROL},Carol,support\n`);
    w.file('noroles.csv', `email,name\n${DAVE},Dave\n`);
    expectOk(await w.run(['apply', 'roles.csv', '--role', 'operator']));
    expectOk(await w.run(['apply', 'noroles.csv', '--role', 'operator']));
    const s = await state(w);
    expect(s[BOB].role).toBe('operator');
    expect(s[CAROL].role).toBe('support');
    expect(s[DAVE].role).toBe('operator');
  });

  it('status suspended suspends; active or an empty cell means not suspended', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
    expectOk(await w.run(['member', 'add', CAROL, '--name', 'Carol']));
    w.file('s1.csv', `email,status\n${BOB},suspended\n${CAROL},suspended\n`);
    expectOk(await w.run(['apply', 's1.csv']));
    expect((await w.member(BOB)).status).toBe('suspended');
    expect((await w.member(CAROL)).status).toBe('suspended');
    w.file('s2.csv', `email,status\n${BOB},active\n${CAROL},\n`);
    expectOk(await w.run(['apply', 's2.csv']));
    expect((await w.member(BOB)).status).toBe('invited');
    expect((await w.member(CAROL)).status).toBe('invited');
  });
});

describe('apply: secrets', () => {
  it('--secrets-out writes email,temporaryPassword (mode 0600) for new members only; the password works with passwd', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', CAROL, '--name', 'Carol']));
    w.file('new.csv', `email,name\n${BOB},Bob\n${CAROL},Carol\n${DAVE},Dave\n`);
    const r = expectOk(await w.run(['apply', 'new.csv', '--secrets-out', 'secrets.csv']));
    const path = join(w.dir, 'secrets.csv');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('email,temporaryPassword');
    const secrets = Object.fromEntries(lines.slice(1).map((l) => l.split(',')));
    expect(Object.keys(secrets).sort()).toEqual([BOB, DAVE]);
    for (const pw of Object.values(secrets) as string[]) {
      expect(pw.length).toBeGreaterThanOrEqual(10);
      expect(r.out + r.err).not.toContain(pw);
    }
    expectOk(await w.run(['passwd', BOB, '--password-stdin'], { input: `${secrets[BOB]}\nB0bsOwnPassw0rd\n`, actor: BOB, token: null }));
    await w.loginAs(BOB, 'B0bsOwnPassw0rd');
    expect((await w.member(BOB)).status).toBe('active');
  });

  it('without --secrets-out new members get no password at all, and apply prints no secret', async () => {
    const w = await World.ready();
    w.file('new.csv', `email,name\n${BOB},Bob\n`);
    const r = expectOk(await w.run(['apply', 'new.csv']));
    const j = expectOk(await w.run(['apply', '-', '--json'], { input: `email,name\n${CAROL},Carol\n` }));
    for (const run of [r, j]) {
      expect(run.out + run.err).not.toMatch(/temporaryPassword|temporary password:/i);
    }
    expect(j.out).not.toMatch(/password/i);
    for (const who of [BOB, CAROL]) {
      expectError(await w.run(['login', who, '--password-stdin'], { input: 'Whatever1234!\n', actor: who, token: null }), 4, 'INVALID_CREDENTIALS');
      expect((await w.member(who)).status).toBe('invited');
    }
    // reset-password gives them a way in
    const tmp = expectOk(await w.run(['member', 'reset-password', BOB, '--json'])).json();
    const pw = (Array.isArray(tmp) ? tmp[0] : tmp).temporaryPassword;
    expectOk(await w.run(['passwd', BOB, '--password-stdin'], { input: `${pw}\nB0bsOwnPassw0rd\n`, actor: BOB, token: null }));
  });
});

describe('apply: idempotence and the batch', () => {
  it('applying the same file twice: the second run is No changes. and records nothing', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', fixture('roster.yaml')]));
    const n = (await auditAll(w)).length;
    const r = await w.run(['apply', fixture('roster.yaml')]);
    noChanges(r);
    expect(r.out).not.toMatch(/Batch:/);
    expect((await auditAll(w)).length).toBe(n);
  });

  it('one apply is one audit batch, and it is the batch in apply --json', async () => {
    const w = await World.ready();
    const before = (await auditAll(w)).length;
    const body = expectOk(await w.run(['apply', fixture('roster.csv'), '--create-orgs', '--json'])).json();
    const all = await auditAll(w);
    const mine = all.slice(0, all.length - before);
    expect(mine.filter((e) => e.action === 'member.add')).toHaveLength(6);
    expect(new Set(mine.map((e) => e.batch))).toEqual(new Set([body.batch]));
    const listed = expectOk(await w.run(['audit', 'list', '--batch', body.batch, '--limit', '1000', '--json'])).json();
    expect(listed).toHaveLength(mine.length);
    // A second apply (with a prune) is a batch of its own.
    w.file('keep.csv', `email\n${ADMIN}\n${HANA}\n`);
    const second = expectOk(await w.run(['apply', 'keep.csv', '--prune', '--yes', '--json'])).json();
    expect(second.batch).not.toBe(body.batch);
    const removes = expectOk(await w.run(['audit', 'list', '--batch', second.batch, '--limit', '1000', '--json'])).json();
    expect(removes.filter((e: any) => e.action === 'member.remove')).toHaveLength(5);
    expect(removes.every((e: any) => e.batch === second.batch)).toBe(true);
  });
});
