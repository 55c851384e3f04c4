// src/core/roster/parse.ts: roster bytes → rows (SPEC §8, §13): CSV quoting, Japanese headers, BOM,
// Shift_JIS, where each row stands (FILE:LINE, members[i]), and the format recognised by content.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RollcallError } from '../../src/core/errors.js';
import { detectFormat, parseRoster } from '../../src/core/roster/parse.js';
import { whereOf } from '../../src/core/roster/roster-file.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const enc = (s: string) => new TextEncoder().encode(s);
const fixture = (name: string) => readFileSync(join(ROOT, 'fixtures', name));

describe('parseRoster: CSV', () => {
  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    const r = parseRoster(enc('email,name,title\nbob@acme.example,"Lee, Bob","Sales ""Rep""\nTokyo"\ncarol@acme.example,Carol,\n'), 'r.csv');
    expect(r.problems).toEqual([]);
    expect(r.format).toBe('csv');
    expect(r.rows).toHaveLength(2);
    expect(r.rows[0]).toMatchObject({ email: 'bob@acme.example', fields: { name: 'Lee, Bob', title: 'Sales "Rep"\nTokyo' } });
    // a record on lines 2–3 may be named by its first or its last line; the next one stands on line 4
    expect(['r.csv:2', 'r.csv:3']).toContain(whereOf('r.csv', r.rows[0]));
    expect(r.rows[1]).toMatchObject({ email: 'carol@acme.example', line: 4 });
  });

  it('counts CRLF as one line break, inside quoted fields too', () => {
    const r = parseRoster(enc('email,title\r\nbob@acme.example,"one\r\ntwo"\r\ncarol@acme.example,x\r\n'), 'r.csv');
    expect(['r.csv:2', 'r.csv:3']).toContain(whereOf('r.csv', r.rows[0]));
    expect(whereOf('r.csv', r.rows[1])).toBe('r.csv:4');
  });

  it('matches headers case-insensitively, in any order; an absent column is absent from the fields', () => {
    const r = parseRoster(enc('Title,EMAIL,Name\nLead,bob@acme.example,Bob\n'), 'r.csv');
    expect(r.rows[0].email).toBe('bob@acme.example');
    expect(r.rows[0].fields).toEqual({ title: 'Lead', name: 'Bob' });
    expect('org' in r.rows[0].fields).toBe(false);
    expect('role' in r.rows[0].fields).toBe(false);
  });

  it('an empty cell is a present, empty field (it clears), and list cells split on ;', () => {
    const r = parseRoster(enc('email,title,org,orgs,scope,start_date,role\nbob@acme.example,,,,,,\ncarol@acme.example,T,Sales,A; B ;,Sales,2030-01-01,operator\n'), 'r.csv');
    expect(r.rows[0].fields).toEqual({ title: null, org: null, orgs: [], scope: [], startDate: null, role: null });
    expect(r.rows[1].fields).toEqual({ title: 'T', org: 'Sales', orgs: ['A', 'B'], scope: ['Sales'], startDate: '2030-01-01', role: 'operator' });
  });

  it('accepts the Japanese headers メールアドレス, 氏名, 役割 / 権限 / 役割/権限, 組織, 兼務組織, 職級', () => {
    const r = parseRoster(enc('メールアドレス,氏名,役割,組織,兼務組織,職級\nhana.sato@acme.example,佐藤 花子,admin,IT,サポート;営業部,部長\n'), 'ja.csv');
    expect(r.problems).toEqual([]);
    expect(r.rows[0]).toMatchObject({ email: 'hana.sato@acme.example', fields: { name: '佐藤 花子', role: 'admin', org: 'IT', orgs: ['サポート', '営業部'], title: '部長' } });
    for (const h of ['権限', '役割/権限']) {
      const x = parseRoster(enc(`メールアドレス,${h}\nbob@acme.example,support\n`), 'ja.csv');
      expect(x.rows[0].fields.role, h).toBe('support');
    }
  });

  it('drops a UTF-8 BOM', () => {
    const r = parseRoster(fixture('roster-bom.csv'), 'bom.csv');
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => x.email)).toEqual(['hana.sato@acme.example', 'yuki.suzuki@acme.example']);
    expect(r.rows[0].fields.name).toBe('佐藤 花子');
  });

  it('reads Shift_JIS when the bytes are not valid UTF-8, and when told with encoding', () => {
    const bytes = fixture('roster-sjis.csv');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const want = parseRoster(fixture('roster-ja.csv'), 'x.csv');
    for (const r of [parseRoster(bytes, 'x.csv'), parseRoster(bytes, 'x.csv', { encoding: 'shift_jis' }), parseRoster(bytes, 'x.csv', { encoding: 'cp932' })]) {
      expect(r.problems).toEqual([]);
      expect(r.rows).toEqual(want.rows);
    }
    expect(want.rows[1].fields).toMatchObject({ name: '鈴木 由紀', org: '営業部/東京', orgs: ['サポート'], title: '主任' });
  });

  it('ignores blank lines', () => {
    const r = parseRoster(enc('email\n\nbob@acme.example\n\n\ncarol@acme.example\n'), 'r.csv');
    expect(r.rows.map((x) => [x.email, whereOf('r.csv', x)])).toEqual([['bob@acme.example', 'r.csv:3'], ['carol@acme.example', 'r.csv:6']]);
  });

  it('a header without an email column is a problem at line 1', () => {
    const r = parseRoster(enc('name,title\nBob,Lead\n'), 'r.csv');
    expect(r.problems).toEqual([{ where: 'r.csv:1', line: 1, message: expect.stringMatching(/no email column/), kind: 'header' }]);
  });

  it('refuses an unknown --format (USAGE)', () => {
    try {
      parseRoster(enc('email\n'), 'r.csv', { format: 'xml' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RollcallError);
      expect((e as RollcallError).code).toBe('USAGE');
    }
  });
});

describe('parseRoster: YAML and JSON', () => {
  it('YAML rows stand at the line of their member (FILE:LINE); orgs are read', () => {
    const text = ['# a comment', 'orgs:', '  - IT', 'members:', '  - email: bob@acme.example', '    name: Bob', '', '  - email: carol@acme.example', '    orgs: [IT]', ''].join('\n');
    const r = parseRoster(enc(text), 'r.yaml');
    expect(r.format).toBe('yaml');
    expect(r.problems).toEqual([]);
    expect(r.orgs).toEqual(['IT']);
    expect(r.rows.map((x) => x.where)).toEqual(['r.yaml:5', 'r.yaml:8']);
    expect(r.rows[1].fields).toEqual({ orgs: ['IT'] });
  });

  it('YAML syntax errors name a line', () => {
    const r = parseRoster(enc('members:\n  - email: bob@acme.example\n   name: [unclosed\n'), 'r.yaml');
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]).toMatchObject({ where: expect.stringMatching(/^r\.yaml:\d+$/), line: expect.any(Number) });
  });

  it('JSON rows stand at members[i]; a member that is not an object is a problem there', () => {
    const r = parseRoster(enc(JSON.stringify({ orgs: ['IT'], members: [{ email: 'bob@acme.example', startDate: '2030-01-01' }, 'oops', { name: 'No Email' }] })), 'r.json');
    expect(r.format).toBe('json');
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].where).toMatch(/members\[0\]/);
    expect(r.rows[0].fields).toEqual({ startDate: '2030-01-01' });
    // one line of JSON: the problems stand on it, named by their place in the document
    expect(r.problems.map((p) => `${p.where}: ${p.message}`)).toEqual([
      'r.json:1: members[1]: a member is a mapping like { email: …, name: … }',
      'r.json:1: members[2]: a member needs an email',
    ]);
  });

  it('the sample rosters agree with each other', () => {
    const yaml = parseRoster(fixture('roster.yaml'), 'roster.yaml');
    const json = parseRoster(fixture('roster.json'), 'roster.json');
    expect(yaml.orgs).toEqual(['IT', 'Sales/Tokyo', 'Sales/Osaka', 'Support']);
    expect(json.orgs).toEqual(['IT', 'Sales/Tokyo', 'Support']);
    expect(yaml.rows.find((r) => r.email === 'kenji.tanaka@acme.example')!.fields).toMatchObject({ role: 'site-admin', scope: ['Sales'] });
  });
});

describe('detectFormat', () => {
  it('knows its own formats by extension; CSV for stdin and unknown extensions', () => {
    expect(detectFormat('email\nbob@acme.example\n', 'r.csv')).toBe('csv');
    expect(detectFormat('members: []\n', 'r.yaml')).toBe('yaml');
    expect(detectFormat('members: []\n', 'r.yml')).toBe('yaml');
    expect(detectFormat('{"members": []}', 'r.json')).toBe('json');
    expect(detectFormat('email\nbob@acme.example\n', '<stdin>')).toBe('csv');
    expect(detectFormat('email\nbob@acme.example\n', 'r.txt')).toBe('csv');
  });

  it('recognises Google by the Email Address [Required] header, whatever the extension', () => {
    const text = fixture('google-users.csv').toString('utf8');
    expect(detectFormat(text, 'users.csv')).toBe('google');
    expect(detectFormat(text, 'users.txt')).toBe('google');
    expect(detectFormat(text, '<stdin>')).toBe('google');
    expect(detectFormat('Last Name [Required],EMAIL ADDRESS [REQUIRED]\r\nLee,bob@acme.example\r\n', 'x.csv')).toBe('google');
  });

  it('recognises Entra by its version:v1.0 first line', () => {
    expect(detectFormat(fixture('entra-users.csv').toString('utf8'), 'users.csv')).toBe('entra');
    expect(detectFormat('version:v1.0\r\nName [displayName] Required,User name [userPrincipalName] Required\r\n', 'x.csv')).toBe('entra');
  });

  it('recognises SCIM by a schemas key: a ListResponse, an array of Users, one User', () => {
    expect(detectFormat(fixture('scim-users.json').toString('utf8'), 'users.json')).toBe('scim');
    const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bob@acme.example' };
    expect(detectFormat(JSON.stringify([user]), 'users.json')).toBe('scim');
    expect(detectFormat(JSON.stringify(user), 'users.json')).toBe('scim');
    expect(detectFormat(JSON.stringify(user), '<stdin>')).toBe('scim');
  });

  it('parseRoster uses it: the fixtures parse in their own format without --format', () => {
    expect(parseRoster(fixture('google-users.csv'), 'g.csv').format).toBe('google');
    expect(parseRoster(fixture('google-users-sjis.csv'), 'g.csv').format).toBe('google');
    expect(parseRoster(fixture('entra-users.csv'), 'e.csv').format).toBe('entra');
    expect(parseRoster(fixture('scim-users.json'), 's.json').format).toBe('scim');
  });
});

describe('parseRoster: other directories', () => {
  it('Google: names 姓 名 for Japanese, First Last otherwise; / is no org; New Status over Status', () => {
    const r = parseRoster(fixture('google-users.csv'), 'g.csv');
    expect(r.problems).toEqual([]);
    const by = Object.fromEntries(r.rows.map((x) => [x.email, x]));
    expect(by['hana.sato@acme.example'].fields).toMatchObject({ name: '佐藤 花子', org: 'IT', title: 'Head of IT', status: 'active' });
    expect(by['grace.hopper@acme.example'].fields.name).toBe('Grace Hopper');
    expect(by['alan.turing@acme.example'].fields).toMatchObject({ org: null, status: 'suspended' });
    expect(by['yuki.suzuki@acme.example'].fields).toMatchObject({ org: 'Sales/Tokyo', status: 'suspended' });
    expect(whereOf('g.csv', by['hana.sato@acme.example'])).toBe('g.csv:2');
    // no password field is carried
    expect(JSON.stringify(r)).not.toContain('****');
  });

  it('Entra: lines counted from the top of the file (header on line 2); Block sign in Yes → suspended; no password carried', () => {
    const r = parseRoster(fixture('entra-users.csv'), 'e.csv');
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => x.where)).toEqual(['e.csv:3', 'e.csv:4', 'e.csv:5']);
    expect(r.rows[2]).toMatchObject({ email: 'alan.turing@acme.example', fields: { name: 'Alan Turing', title: 'Researcher', org: 'Research', status: 'suspended' } });
    expect(r.rows[0].fields.status).toBe('active');
    expect(JSON.stringify(r)).not.toContain('Secr3tPassw0rd!');
  });

  it('SCIM: Users read, Groups counted in a note and not imported; active:false → suspended; no password carried', () => {
    const r = parseRoster(fixture('scim-users.json'), 's.json');
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => x.email)).toEqual(['hana.sato@acme.example', 'grace.hopper@acme.example', 'alan.turing@acme.example']);
    expect(r.rows[0].fields).toMatchObject({ name: '佐藤 花子', org: 'IT', title: 'Head of IT', status: 'active' });
    expect(r.rows[1].fields.name).toBe('Grace Hopper');
    expect(r.rows[2].fields).toMatchObject({ name: 'Alan Turing', status: 'suspended' });
    expect(r.notes.join('\n')).toMatch(/not imported/);
    expect(JSON.stringify(r)).not.toContain('t1meMa$heen');
    expect(r.rows[2].where).toMatch(/\[2\]/);
  });
});
