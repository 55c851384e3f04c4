// Issue 19.6, SPEC §13–§14: encodings right or refused, never garbled (Windows-1252, UTF-16 by its
// byte order mark, refusals that name --encoding); `,` `;` and tab delimiters; the format of
// standard input recognised by content. One workspace: every test adds its own members.
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';
import { readFileSync } from 'node:fs';

const fixture = (name: string) => join(ROOT, 'fixtures', name);
const utf16 = (text: string, big = false) => {
  const le = Buffer.from('\ufeff' + text, 'utf16le');
  return big ? Buffer.from(le).swap16() : le;
};

function noChanges(r: Result) {
  expect(r.code, describeRun(r)).toBe(0);
  expect(r.out, describeRun(r)).toMatch(/^No changes\.$/m);
}

describe('roster encodings, delimiters and standard input', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.ready();
  });

  /** Runs a refused apply and checks that it changed nothing; returns the JSON error. */
  async function refused(args: string[], code: string) {
    const before = await w.emails();
    const r = expectError(await w.run([...args, '--json']), 2, code);
    expect(await w.emails()).toEqual(before);
    return r.error()!;
  }

  it('applies a Windows-1252 CSV right (José Muñoz, Señor Engineer), and again is No changes', async () => {
    const file = w.file('latin.csv', iconv.encode('email,name,title\r\njose@acme.example,José Muñoz,Señor Engineer\r\nzoe@acme.example,Zoë Saldaña,Directrice Générale\r\n', 'windows-1252'));
    expectOk(await w.run(['apply', file]));
    expect(await w.member('jose@acme.example')).toMatchObject({ name: 'José Muñoz', title: 'Señor Engineer' });
    expect(await w.member('zoe@acme.example')).toMatchObject({ name: 'Zoë Saldaña', title: 'Directrice Générale' });
    noChanges(await w.run(['apply', file]));
    noChanges(await w.run(['apply', file, '--encoding', 'latin1']));
  });

  it('applies UTF-16LE and UTF-16BE with a byte order mark and CRLF (PowerShell 5.1 Out-File)', async () => {
    const text = 'email,name,title\r\nhana@acme.example,佐藤 花子,部長\r\nrenee@acme.example,Renée Dupont,Ingénieure\r\n';
    expectOk(await w.run(['apply', w.file('le.csv', utf16(text))]));
    expect(await w.member('hana@acme.example')).toMatchObject({ name: '佐藤 花子', title: '部長' });
    expect(await w.member('renee@acme.example')).toMatchObject({ name: 'Renée Dupont', title: 'Ingénieure' });
    noChanges(await w.run(['apply', w.file('be.csv', utf16(text, true))]));
  });

  it('refuses, changing nothing, what it would garble: UTF-16 without a mark, a named encoding that does not fit, bytes it cannot tell', async () => {
    const bare = w.file('bare.csv', Buffer.from('email,name\r\nbare@acme.example,Bare Utf16\r\n', 'utf16le'));
    const e = await refused(['apply', bare], 'ROSTER_INVALID');
    expect(e.message).toMatch(/UTF-16LE without a byte order mark/);
    expect(e.message).not.toMatch(/NUL bytes/);
    expect(e.hint).toMatch(/utf-16le.*--encoding/);
    expectOk(await w.run(['apply', bare, '--encoding', 'utf-16le']));
    expect(await w.member('bare@acme.example')).toMatchObject({ name: 'Bare Utf16' });

    const latin = w.file('named.csv', iconv.encode('email,name\nluis@acme.example,Luis\nines@acme.example,Inês\n', 'latin1'));
    const u = await refused(['apply', latin, '--encoding', 'utf-8'], 'ROSTER_INVALID');
    expect(u.message).toMatch(/named\.csv:3: .*not UTF-8/);
    expect(u.hint).toContain('--encoding');

    // "Saša" alone reads as well in Shift_JIS ("Sa啾"): asked, not guessed.
    const sasa = w.file('sasa.csv', iconv.encode('email,name\nsasa@acme.example,Saša\n', 'windows-1252'));
    const a = await refused(['apply', sasa], 'ROSTER_INVALID');
    expect(a.message).toMatch(/sasa\.csv:2: .*cannot be told.*"Saša" in Windows-1252/);
    expect(a.hint).toMatch(/shift_jis.*windows-1252.*\(--encoding\)/);
    expectOk(await w.run(['apply', sasa, '--encoding', 'windows-1252']));
    expect(await w.member('sasa@acme.example')).toMatchObject({ name: 'Saša' });

    const unknown = await refused(['apply', sasa, '--encoding', 'klingon'], 'USAGE');
    expect(unknown.hint).toContain('--encoding');
  });

  it('reads ;- and tab-separated CSV from the header line: ours (list cells quoted) and Entra\'s', async () => {
    expectOk(await w.run(['apply', w.file('semi.csv', 'email;name;title;orgs\r\nsemi@acme.example;"Lee; Semi";Lead;"Sales;Support"\r\n'), '--create-orgs']));
    expect(await w.member('semi@acme.example')).toMatchObject({ name: 'Lee; Semi', title: 'Lead', orgs: ['Sales', 'Support'] });
    expectOk(await w.run(['apply', w.file('tab.csv', 'email\tname\torgs\ntab@acme.example\tTab Person\tSales;Support\n')]));
    expect(await w.member('tab@acme.example')).toMatchObject({ name: 'Tab Person', orgs: ['Sales', 'Support'] });

    const entra = w.file('entra-semi.csv', readFileSync(fixture('entra-users.csv'), 'utf8').replace(/,/g, ';'));
    expectOk(await w.run(['apply', entra, '--create-orgs']));
    expect(await w.member('alan.turing@acme.example')).toMatchObject({ name: 'Alan Turing', org: 'Research', title: 'Researcher', status: 'suspended' });
    noChanges(await w.run(['apply', fixture('entra-users.csv')]));
  });

  it('recognises standard input by content: export | apply - is No changes for YAML and JSON; YAML and JSON rosters are applied', async () => {
    for (const format of ['yaml', 'json']) {
      const exported = expectOk(await w.run(['export', '--format', format])).out;
      noChanges(await w.run(['apply', '-'], { input: exported }));
    }
    expectOk(await w.run(['apply', '-'], { input: '# from a script\nmembers:\n  - email: yaml@acme.example\n    name: Yam Ell\n' }));
    expect(await w.member('yaml@acme.example')).toMatchObject({ name: 'Yam Ell' });
    expectOk(await w.run(['apply', '-'], { input: JSON.stringify({ members: [{ email: 'json@acme.example', name: 'Jay Son' }] }) }));
    expect(await w.member('json@acme.example')).toMatchObject({ name: 'Jay Son' });
  });
});
