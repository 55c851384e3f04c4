// SPEC §14 through the real command: the plan shows everything an add or a restore will set; our
// roster formats are strict (unknown columns and keys, short rows, empty documents); ROSTER_INVALID
// lists its problems in file order, and with --json also as data a CI job can annotate lines with.
import { describe, expect, it } from 'vitest';
import { ADMIN, World, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const SNEAKY = 'sneaky@acme.example';

/** Everything stored, as text (without the per-run restrict keys of pg_dump). */
const stored = (w: World) => w.dump().replace(/^\\(un)?restrict .*$/gm, '');

describe('the plan shows what an add or a restore will set', () => {
  it('a new member is listed with its fields, in text and in JSON: a reviewer sees the role it gets', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Sales']));
    w.file('r.csv', `email,name,role,org,title,start_date\n${SNEAKY},Sam Sneak,admin,Sales,Intern,2030-04-01\n`);
    const text = expectOk(await w.run(['apply', 'r.csv', '--dry-run']));
    expect(text.out).toMatch(new RegExp(`\\+ add +${SNEAKY}\\n +name: Sam Sneak\\n +role: admin\\n +org: Sales\\n +title: Intern\\n +startDate: 2030-04-01\\n +status: pending\\n`));
    const json = expectOk(await w.run(['apply', 'r.csv', '--dry-run', '--json'])).json();
    expect(json.changes).toEqual([{
      action: 'add', email: SNEAKY,
      fields: {
        name: { from: null, to: 'Sam Sneak' }, role: { from: null, to: 'admin' }, org: { from: null, to: 'Sales' },
        title: { from: null, to: 'Intern' }, startDate: { from: null, to: '2030-04-01' }, status: { from: null, to: 'pending' }, // starts after T0
      },
    }]);
    // what the plan said is what the apply did
    expectOk(await w.run(['apply', 'r.csv']));
    expect(await w.member(SNEAKY)).toMatchObject({ name: 'Sam Sneak', role: 'admin', org: 'Sales', title: 'Intern', startDate: '2030-04-01', status: 'pending' });

    // a restore says the status the member comes back with
    expectOk(await w.run(['member', 'remove', SNEAKY, '--yes']));
    w.file('back.csv', `email,title\n${SNEAKY},Analyst\n`);
    const back = expectOk(await w.run(['apply', 'back.csv', '--dry-run']));
    expect(back.out).toMatch(new RegExp(`↺ restore ${SNEAKY}\\n +title: Intern → Analyst\\n +status: deleted → pending\\n`));
  });
});

describe('strict rosters', () => {
  it('an unknown column or key is ROSTER_INVALID with a suggestion, in CSV, YAML and JSON; nothing changes', async () => {
    const w = await World.ready();
    const before = stored(w);
    w.file('naem.csv', `email,naem\n${BOB},Bob\n`);
    const csv = expectError(await w.run(['apply', 'naem.csv']), 2, 'ROSTER_INVALID');
    expect(csv.err).toContain('naem.csv:1: unknown column "naem": did you mean "name"?');
    w.file('titel.yaml', `members:\n  - email: ${BOB}\n    titel: Boss\n`);
    expect(expectError(await w.run(['apply', 'titel.yaml', '--dry-run']), 2, 'ROSTER_INVALID').err).toContain('titel.yaml:3: unknown key "titel": did you mean "title"?');
    w.file('titel.json', JSON.stringify({ members: [{ email: BOB, titel: 'Boss' }] }, null, 2));
    expect(expectError(await w.run(['apply', 'titel.json']), 2, 'ROSTER_INVALID').err).toContain('titel.json:5: members[0].titel: unknown key "titel"');
    expect(stored(w)).toBe(before);
  });

  it('the Japanese headers an admin writes are read: 名前, 役職, 部署, 入社日, 状態', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', '営業部']));
    w.file('ja.csv', `メールアドレス,名前,役職,部署,入社日,状態\n${BOB},山田 太郎,課長,営業部,2030-04-01,active\n`);
    expectOk(await w.run(['apply', 'ja.csv']));
    expect(await w.member(BOB)).toMatchObject({ name: '山田 太郎', title: '課長', org: '営業部', startDate: '2030-04-01' });
  });

  it('a short row is ROSTER_INVALID at its line instead of clearing the missing fields; trailing padding is fine', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--title', '課長']));
    w.file('short.csv', `email,name,title\n${ADMIN},Alice Admin,\n${BOB},Bob\n`);
    const r = expectError(await w.run(['apply', 'short.csv']), 2, 'ROSTER_INVALID');
    expect(r.err).toContain('short.csv:3: 2 cells, but the header has 3 columns');
    expect((await w.member(BOB)).title).toBe('課長');
    w.file('padded.csv', `email,name,title,,\n${BOB},Bob,課長\n`);
    expect(expectOk(await w.run(['apply', 'padded.csv'])).out).toContain('No changes.');
  });

  it('an empty document is ROSTER_INVALID; a roster listing no one prunes only with --allow-empty, and then the other rails hold', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
    for (const [name, text] of [['empty.csv', ''], ['blank.yaml', '\n  \n'], ['obj.json', '{}'], ['arr.json', '[]'], ['null.yaml', 'null\n']]) {
      const r = expectError(await w.run(['apply', w.file(name, text), '--prune', '--yes']), 2, 'ROSTER_INVALID');
      expect(r.err, name).toMatch(/empty/);
    }
    w.file('nobody.csv', 'email,name\n');
    expect(expectOk(await w.run(['apply', 'nobody.csv'])).out).toContain('No changes.');
    const j = expectError(await w.run(['apply', 'nobody.csv', '--prune', '--yes', '--json']), 2, 'ROSTER_INVALID').error()!;
    expect(j.message).toMatch(/lists no members/);
    expect(j.hint).toContain('--allow-empty');
    // allowed, the prune still may not remove the member applying it
    expectError(await w.run(['apply', 'nobody.csv', '--prune', '--allow-empty', '--yes']), 1, 'INVALID_STATE');
    expect(await w.emails()).toEqual([ADMIN, BOB]);
  });
});

describe('ROSTER_INVALID in file order, and as data', () => {
  it('problems found while reading and while planning come out by line; --json adds problems: [{line, message}]', async () => {
    const w = await World.ready();
    w.file('bad.csv', `email,name,role\n${BOB},Bob,wizard\nnot-an-email,X,viewer\ncarol@acme.example,Carol\n`);
    const text = expectError(await w.run(['apply', 'bad.csv']), 2, 'ROSTER_INVALID');
    expect(text.err.split('\n').filter((l) => l.startsWith('bad.csv:')).map((l) => l.split(': ')[0])).toEqual(['bad.csv:2', 'bad.csv:3', 'bad.csv:4']);
    const j = expectError(await w.run(['apply', 'bad.csv', '--json']), 2, 'ROSTER_INVALID').error() as unknown as { problems: unknown };
    expect(j.problems).toEqual([
      { line: 2, message: 'unknown role "wizard"' },
      { line: 3, message: 'not a valid email address: "not-an-email"' },
      { line: 4, message: expect.stringMatching(/^2 cells, but the header has 3 columns/) },
    ]);

    // a file that cannot be read as text is ROSTER_INVALID with its problems as data too
    w.file('latin1.csv', Buffer.from('email,name\nbob@acme.example,Jos\xe9\n', 'latin1'));
    const enc = expectError(await w.run(['apply', 'latin1.csv', '--encoding', 'utf-8', '--json']), 2, 'ROSTER_INVALID').error() as unknown as { problems: Array<{ line: number }>; hint: string };
    expect(enc.problems.map((p) => p.line)).toEqual([2]);
    expect(enc.hint).toContain('--encoding');

    // SCIM: Resources[0]'s problem (found planning) comes before Resources[1]'s (found reading)
    const scim = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 2,
      Resources: [
        { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'not-an-email' },
        { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], displayName: 'No Name' },
      ],
    };
    w.file('users.json', JSON.stringify(scim, null, 2));
    const s = expectError(await w.run(['apply', 'users.json', '--json']), 2, 'ROSTER_INVALID').error() as unknown as { problems: Array<{ line: number; message: string }> };
    expect(s.problems.map((p) => p.message.split(':')[0])).toEqual(['Resources[0]', 'Resources[1]']);
    expect(s.problems[0].line).toBeLessThan(s.problems[1].line);
  });
});

describe('one Unicode form', () => {
  it('names, titles and org names are stored NFC from every entry point; the same file in NFD is then "No changes."', async () => {
    const w = await World.ready();
    const nfd = (s: string) => s.normalize('NFD');
    const isNfc = (s: string) => s === s.normalize('NFC');
    w.file('r.csv', nfd(`email,name,title,org\n${BOB},José Muñoz,Señor Engineer,Ventas España\n`));
    expectOk(await w.run(['apply', 'r.csv', '--create-orgs']));
    expectOk(await w.run(['member', 'add', 'c@acme.example', '--name', nfd('Chloé'), '--title', nfd('Directrice générale')]));
    expectOk(await w.run(['member', 'update', 'c@acme.example', '--name', nfd('Chloë')]));
    expectOk(await w.run(['invite', 'issue', 'd@acme.example', '--name', nfd('Dvořák')]));
    expectOk(await w.run(['org', 'add', nfd('Café')]));
    const members = expectOk(await w.run(['member', 'list', '--json'])).json() as Array<Record<string, string>>;
    for (const m of members) for (const k of ['name', 'title', 'org']) if (m[k]) expect(isNfc(m[k]), `${m.email} ${k}`).toBe(true);
    expect(members.find((m) => m.email === BOB)).toMatchObject({ name: 'José Muñoz', title: 'Señor Engineer', org: 'Ventas España' });
    const orgs = expectOk(await w.run(['org', 'list', '--json'])).out;
    expect(isNfc(orgs) && orgs.includes('Café')).toBe(true);
    expect(expectOk(await w.run(['apply', 'r.csv'])).out).toContain('No changes.');
  });
});
