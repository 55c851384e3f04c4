// Issue 20 (points 2, 3, 8): Entra's templates of every generation, its bulk-delete file and its
// "Download users" export, Graph PowerShell and GAM CSVs. Detection: every fixture is recognised
// by the format it is, and no format's signature claims another's file. Parsing: the mappings of
// SPEC §13, through the real samples in fixtures/real and small files written here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeRoster } from '../../src/core/roster/decode.js';
import { ORG_SLASH, topLevelOrg } from '../../src/core/roster/formats/cells.js';
import type { RosterProbe } from '../../src/core/roster/formats/format.js';
import { ROSTER_FORMATS } from '../../src/core/roster/formats/index.js';
import { parseRoster } from '../../src/core/roster/parse.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = join(ROOT, 'fixtures');
const enc = (s: string) => new TextEncoder().encode(s);

/** Every file under fixtures/, relative to it. */
function fixtureFiles(dir = FIXTURES): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? fixtureFiles(join(dir, n)) : [relative(FIXTURES, join(dir, n))]));
}

/** The format each fixture is in. Files under real/<format>/ are in <format>; other helpers' fixtures default to their extension's. */
const TOP_LEVEL: Record<string, string> = {
  'demo-roster.csv': 'csv', 'entra-users.csv': 'entra', 'google-users.csv': 'google', 'google-users-sjis.csv': 'google',
  'roster-bom.csv': 'csv', 'roster-ja.csv': 'csv', 'roster-sjis.csv': 'csv', 'roster.csv': 'csv', 'roster.json': 'json',
  'roster.yaml': 'yaml', 'scim-users.json': 'scim',
};

/** The formats whose detect() claims the text by its content (not by the file's name). */
function claimedBy(text: string, file: string): string[] {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0).replace(/\r$/, '');
  const start = text.trimStart();
  const probe: RosterProbe = {
    text, file, firstLine, ext: undefined, jsonish: start.startsWith('{') || start.startsWith('['),
    json() {
      try { return { value: JSON.parse(text) }; } catch { return undefined; }
    },
  };
  return ROSTER_FORMATS.filter((f) => f.detect?.(probe) === 'content').map((f) => f.name);
}

describe('detection of every fixture', () => {
  const files = fixtureFiles().filter((f) => !/(^|\/)SOURCES\.md$/.test(f));

  it('finds the real samples of Entra, Graph and GAM', () => {
    for (const dir of ['entra', 'graph', 'gam']) expect(files.filter((f) => f.startsWith(`real/${dir}/`)).length, dir).toBeGreaterThanOrEqual(2);
  });

  it('recognises each by the format it is, and by that format alone: no signature claims another format\'s file', () => {
    for (const f of files) {
      const bytes = readFileSync(join(FIXTURES, f));
      const expected = /^real\/(entra|graph|gam)\//.exec(f)?.[1] ?? TOP_LEVEL[f];
      let text: string;
      try {
        text = decodeRoster(bytes, f);
      } catch {
        continue; // a file refused for its encoding is the encoding tests' business
      }
      const claims = claimedBy(text, f);
      if (expected === undefined) {
        // Another helper's fixture: whatever it is, the formats added here do not take it.
        expect(claims.filter((c) => c === 'graph' || c === 'gam'), f).toEqual([]);
        continue;
      }
      expect(claims, f).toEqual(['csv', 'yaml', 'json'].includes(expected) ? [] : [expected]);
      expect(parseRoster(bytes, f).format, f).toBe(expected);
    }
  });

  it('Graph is recognised with or without its #TYPE line, in any case; the admin centre\'s camelCase is Entra\'s', () => {
    expect(claimedBy('#TYPE Selected.Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser\n"DisplayName","Mail"\n', 'x')).toEqual(['graph']);
    expect(claimedBy('#TYPE Microsoft.Open.AzureAD.Model.User\n"ObjectId","UserPrincipalName"\n', 'x')).toEqual(['graph']);
    expect(claimedBy('#TYPE System.Management.Automation.PSCustomObject\n"UserPrincipalName","Enabled"\n', 'x')).toEqual(['graph']);
    expect(claimedBy('"userprincipalname","displayname","department"\n', 'x')).toEqual(['graph']);
    expect(claimedBy('userPrincipalName;displayName;accountEnabled\n', 'x')).toEqual(['entra']);
    expect(claimedBy('#TYPE Selected.System.Object\nuserPrincipalName,displayName\n', 'x')).toEqual(['graph']);
    expect(parseRoster(enc('userPrincipalName,displayName\nbob@acme.example,Bob\n'), 'users.csv').format).toBe('entra');
    expect(claimedBy('"primaryEmail","name.fullName"\n', 'x')).toEqual(['gam']);
    // rollcall's own CSV and Google's are nobody else's
    expect(claimedBy('email,name,org\nbob@acme.example,Bob,Sales\n', 'x')).toEqual([]);
    expect(claimedBy('First Name [Required],Last Name [Required],Email Address [Required]\n', 'x')).toEqual(['google']);
  });
});

describe('Entra bulk templates', () => {
  const template = (header: string, ...rows: string[]) => enc(['version:v1.0', header, ...rows].join('\r\n') + '\r\n');

  it('matches columns by the bracketed property, whatever the words around it', () => {
    for (const header of [
      'Name [displayName] Required,User name [userPrincipalName] Required,Job title [jobTitle],Department [department],Block sign in (Yes/No) [accountEnabled] Required',
      'Name (example: Chris Green) [displayName] *,User name (example: chris@contoso.com) [userPrincipalName] *,Job title [jobTitle],Department [department],Block sign in (Yes/No) [accountEnabled] *',
      'Anzeigename [displayName] Erforderlich,User principal name [ userPrincipalName ] Required,Position [JOBTITLE],Abteilung [department],Block sign in (Yes/No) [accountEnabled]',
    ]) {
      const r = parseRoster(template(header, 'Bob Lee,bob@acme.example,Engineer,R&D/EMEA,Yes'), 'e.csv');
      expect(r.problems, header).toEqual([]);
      expect(r.rows, header).toEqual([{ where: 'e.csv:3', line: 3, email: 'bob@acme.example', fields: { name: 'Bob Lee', title: 'Engineer', org: `R&D${ORG_SLASH}EMEA`, status: 'suspended' } }]);
    }
  });

  it('a bare [accountEnabled] takes true/false; a Block sign in column Yes/No; anything else is a problem at its line', () => {
    const bare = parseRoster(template('Email [userPrincipalName],Enabled [accountEnabled],Name [displayName]', 'a@acme.example,false,A', 'b@acme.example,TRUE,B', 'c@acme.example,Yes,C'), 'e.csv');
    expect(bare.rows.map((r) => r.fields.status)).toEqual(['suspended', 'active', undefined]);
    expect(bare.problems).toEqual([{ where: 'e.csv:5', line: 5, message: 'accountEnabled is "Yes", not true or false' }]);
  });

  it('a template whose only property is [userPrincipalName] is the bulk-delete file: every row removes, and carries no fields', () => {
    const r = parseRoster(readFileSync(join(FIXTURES, 'real/entra/bulk-delete.csv')), 'd.csv');
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual(['user1', 'user2', 'nobody'].map((u, i) => ({ where: `d.csv:${i + 4}`, line: i + 4, email: `${u}@vpoint.example`, remove: true, fields: {} })));
    expect(r.notes).toEqual(['d.csv:3 is the template\'s example row ("Example: chris@contoso.com"): skipped']);
    expect(r.partial).toMatch(/bulk-delete file/); // never pruned by
    // Two columns, one of them a property: a create file, even with nothing but names.
    expect(parseRoster(template('User name [userPrincipalName] Required,Name [displayName] Required', 'bob@acme.example,Bob'), 'e.csv').rows[0].remove).toBeUndefined();
  });

  it('Entra\'s other bulk files are whole-file problems that say what they are', () => {
    const cases: Array<[string, RegExp]> = [
      ['Object ID [objectId] Required', /bulk-restore file/],
      ['Member object ID or user principal name [memberObjectIdOrUpn] Required', /group-members file/],
      ['Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required', /bulk-invite file/],
    ];
    for (const [header, message] of cases) {
      const r = parseRoster(template(header, 'x'), 'e.csv');
      expect(r.rows).toEqual([]);
      expect(r.problems).toEqual([expect.objectContaining({ line: 2, kind: 'file', message: expect.stringMatching(message) })]);
    }
    expect(parseRoster(template('Name [displayName] Required', 'Bob'), 'e.csv').problems).toEqual([expect.objectContaining({ kind: 'header' })]);
    expect(parseRoster(enc('version:v1.0\n'), 'e.csv').problems).toEqual([expect.objectContaining({ kind: 'file' })]);
  });

  it('a column empty in every row changes nothing (the template\'s unfilled columns); one empty cell among filled ones clears', () => {
    const r = parseRoster(template('User name [userPrincipalName] Required,Name [displayName] Required,Job title [jobTitle],Department [department]',
      'a@acme.example,A,,Sales', 'b@acme.example,B,,'), 'e.csv');
    expect(r.rows.map((x) => x.fields)).toEqual([{ name: 'A', org: 'Sales' }, { name: 'B', org: null }]);
  });
});

describe('Graph users (Entra "Download users", Graph PowerShell, AzureAD, MSOnline)', () => {
  it('UserPrincipalName is the email, a guest\'s mail when it has one, mail when there is no UPN column; names, titles, departments, AccountEnabled', () => {
    const r = parseRoster(enc([
      '#TYPE Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser',
      '"Id","UserPrincipalName","Mail","DisplayName","GivenName","Surname","JobTitle","Department","AccountEnabled","EmployeeId"',
      '"1","bob@acme.example","robert@acme.example","","Bob","Lee","Engineer","R／D","False",""',
      '"2","ann_partner.example#EXT#@acme.onmicrosoft.example","ann@partner.example","Ann","","","","","",""',
    ].join('\r\n')), 'g.csv');
    expect(r.format).toBe('graph');
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([
      { where: 'g.csv:3', line: 3, email: 'bob@acme.example', fields: { name: 'Bob Lee', title: 'Engineer', org: `R${ORG_SLASH}D`, status: 'suspended' } },
      { where: 'g.csv:4', line: 4, email: 'ann@partner.example', fields: { name: 'Ann', title: null, org: null } },
    ]);
    expect(parseRoster(enc('"DisplayName","Mail"\n"Bob","bob@acme.example"\n'), 'g.csv', { format: 'graph' }).rows[0].email).toBe('bob@acme.example');
    const msol = parseRoster(enc('UserPrincipalName,FirstName,LastName,Title,BlockCredential\nbob@acme.example,Bob,Lee,CTO,True\n'), 'm.csv');
    expect(msol.rows[0].fields).toEqual({ name: 'Bob Lee', title: 'CTO', status: 'suspended' });
  });

  it('a header without userPrincipalName or mail is a header problem; --format entra on a file of neither kind says what an Entra file is', () => {
    expect(parseRoster(enc('DisplayName\nBob\n'), 'g.csv', { format: 'graph' }).problems).toEqual([expect.objectContaining({ line: 1, kind: 'header' })]);
    expect(parseRoster(enc('email,name\nbob@acme.example,Bob\n'), 'e.csv', { format: 'entra' }).problems)
      .toEqual([expect.objectContaining({ line: 1, kind: 'file', message: expect.stringMatching(/version:v1\.0.*Download users/) })]);
  });
});

describe('GAM print users', () => {
  it('given and family names by the SPEC §13 rule, else the full name; orgUnitPath / is no org; suspended True/False', () => {
    const r = parseRoster(enc('primaryEmail,orgUnitPath,suspended,name.fullName,name.givenName,name.familyName,isAdmin\n'
      + 'a@acme.example,/Sales/Tokyo,True,花子 佐藤,花子,佐藤,False\n'
      + 'b@acme.example,/,false,Only Full,,,False\n'), 'gam.csv');
    expect(r.format).toBe('gam');
    expect(r.rows.map((x) => x.fields)).toEqual([
      { name: '佐藤 花子', org: 'Sales/Tokyo', status: 'suspended' },
      { name: 'Only Full', org: null, status: 'active' },
    ]);
    expect(parseRoster(enc('name.fullName,suspended\nBob,False\n'), 'g.csv', { format: 'gam' }).problems).toEqual([expect.objectContaining({ kind: 'header' })]);
  });
});

describe('a Department as one top-level org', () => {
  it('stands `/` in as U+2215, which NFKC keeps; the full-width slash, which NFKC turns into `/`, too', () => {
    expect(ORG_SLASH.normalize('NFKC')).toBe(ORG_SLASH);
    expect('／'.normalize('NFKC')).toBe('/');
    expect(topLevelOrg(' R&D/EMEA ')).toBe(`R&D${ORG_SLASH}EMEA`);
    expect(topLevelOrg('R&D／EMEA')).toBe(`R&D${ORG_SLASH}EMEA`);
    expect(topLevelOrg('\u2100')).toBe(`a${ORG_SLASH}c`); // ℀, which NFKC spells a/c
    expect(topLevelOrg('')).toBeNull();
  });
});
