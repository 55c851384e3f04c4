// Issue 23.2: export --encoding utf-8|utf-8-bom|shift_jis and --formula-safe (opt-in: an export is
// a roster to apply back, and a protected cell would read back as a change). Each encoding applies
// back as No changes; a character Shift_JIS lacks is refused, naming the member, never written as
// `?`. Backend-independent: left out of the PostgreSQL pass.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, STACK, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

function noChanges(r: Result) {
  expect(r.code, describeRun(r)).toBe(0);
  expect(r.out, describeRun(r)).toMatch(/^No changes\.$/m);
}

describe('export encodings and formula-safe cells', () => {
  let w: World;
  let ids: Record<string, string>;
  beforeAll(async () => {
    w = await World.ready();
    expectOk(await w.run(['org', 'add', '営業部/東京', '--parents']));
    expectOk(await w.run(['member', 'add', 'yamada@acme.example', '--name', '山田 太郎', '--title', '課長～代理', '--org', '営業部/東京']));
    expectOk(await w.run(['member', 'add', 'sum@acme.example', '--name', '=SUM(A1:A9)', '--title', '-1+2']));
    expectOk(await w.run(['member', 'add', 'at@acme.example', '--name', '@cmd', '--title', '+Lead, "Ops"']));
    ids = Object.fromEntries((expectOk(await w.run(['member', 'list', '--json'])).json() as Array<{ email: string; id: string }>).map((m) => [m.email, m.id]));
  });

  const expected = () => ['email,name,role,scope,org,orgs,title,status,start_date,id',
    `${ADMIN},Alice Admin,admin,,,,,active,,${ids[ADMIN]}`,
    `at@acme.example,@cmd,viewer,,,,"+Lead, ""Ops""",invited,,${ids['at@acme.example']}`,
    `sum@acme.example,=SUM(A1:A9),viewer,,,,-1+2,invited,,${ids['sum@acme.example']}`,
    `yamada@acme.example,山田 太郎,viewer,,営業部/東京,,課長～代理,invited,,${ids['yamada@acme.example']}`, ''].join('\n');

  it('writes plain UTF-8 by default and with --encoding utf-8; each applies back as No changes', async () => {
    for (const extra of [[], ['--encoding', 'utf-8']]) {
      const file = join(w.dir, `plain${extra.length}.csv`);
      expectOk(await w.run(['export', '-o', file, ...extra]));
      expect(readFileSync(file, 'utf8')).toBe(expected());
      noChanges(await w.run(['apply', file]));
    }
  });

  it('utf-8-bom: the byte order mark first (Excel reads the file as UTF-8), and apply reads it back as No changes', async () => {
    const file = join(w.dir, 'bom.csv');
    expectOk(await w.run(['export', '-o', file, '--encoding', 'utf-8-bom']));
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(expected());
    noChanges(await w.run(['apply', file]));
    expect(expectOk(await w.run(['export', '--encoding', 'utf-8-bom'])).out).toBe('\ufeff' + expected()); // to standard output too
  });

  it('shift_jis: Windows\' Shift_JIS (CP932) bytes; apply reads them back as No changes, recognised or named', async () => {
    const file = join(w.dir, 'sjis.csv');
    expectOk(await w.run(['export', '-o', file, '--encoding', 'shift_jis']));
    const bytes = readFileSync(file);
    expect(bytes.equals(iconv.encode(expected(), 'cp932'))).toBe(true);
    expect(bytes.includes(Buffer.from('?'))).toBe(false);
    noChanges(await w.run(['apply', file]));
    noChanges(await w.run(['apply', file, '--encoding', 'shift_jis']));
    expectOk(await w.run(['export', '-o', join(w.dir, 'sjis2.csv'), '--encoding', 'SJIS'])); // the names apply takes
  });

  it('--formula-safe puts a \' before a cell a spreadsheet would run (= + - @), in any encoding', async () => {
    const file = join(w.dir, 'safe.csv');
    expectOk(await w.run(['export', '-o', file, '--formula-safe', '--encoding', 'shift_jis']));
    const text = iconv.decode(readFileSync(file), 'cp932');
    expect(text).toBe(expected()
      .replace(',@cmd,', ",'@cmd,").replace('"+Lead, ""Ops"""', '"\'+Lead, ""Ops"""')
      .replace(',=SUM(A1:A9),', ",'=SUM(A1:A9),").replace(',-1+2,', ",'-1+2,"));
    // The protection is opt-in because apply reads the ' as part of the value (README: decisions).
    const plan = expectOk(await w.run(['apply', file, '--dry-run']));
    expect(plan.out).toContain("title: -1+2 → '-1+2");
  });

  it('refuses a character Shift_JIS has no code for, naming the member, field and character: nothing written', async () => {
    expectOk(await w.run(['member', 'add', 'emoji@acme.example', '--name', 'Emi 😀']));
    expectOk(await w.run(['member', 'add', 'wave@acme.example', '--name', 'Wave', '--title', '9:00〜18:00'])); // U+301C: CP932 has only ～ (U+FF5E)
    try {
      const file = join(w.dir, 'refused.csv');
      const r = expectError(await w.run(['export', '-o', file, '--encoding', 'shift_jis']), 2, 'INVALID_INPUT');
      expect(r.err).toBe('error[INVALID_INPUT]: Shift_JIS has no code for characters of the export, which would be written as "?":\n'
        + '  emoji@acme.example: name "Emi 😀" has "😀" (U+1F600)\n'
        + '  wave@acme.example: title "9:00〜18:00" has "〜" (U+301C)\n'
        + 'hint: export with --encoding utf-8-bom (Excel opens it too), or change those values first with rollcall member update (--encoding)\n');
      expect(r.err).not.toMatch(STACK);
      expect(existsSync(file)).toBe(false);
      expectError(await w.run(['export', '--encoding', 'shift_jis']), 2, 'INVALID_INPUT'); // nothing on standard output either
      const json = expectError(await w.run(['export', '--encoding', 'shift_jis', '--json']), 2, 'INVALID_INPUT').error()!;
      expect(json.message).toContain('emoji@acme.example');
      // UTF-8 holds them: the same members export and apply back.
      const bom = join(w.dir, 'emoji.csv');
      expectOk(await w.run(['export', '-o', bom, '--encoding', 'utf-8-bom']));
      noChanges(await w.run(['apply', bom]));
    } finally {
      expectOk(await w.run(['member', 'remove', 'emoji@acme.example', 'wave@acme.example']));
    }
  });

  it('keeps encodings and formula-safe cells to CSV, and names the encodings it writes', async () => {
    expect(expectError(await w.run(['export', '--format', 'yaml', '--encoding', 'shift_jis']), 2, 'USAGE').err).toContain('--encoding shift_jis is for CSV');
    expect(expectError(await w.run(['export', '--format', 'json', '--formula-safe']), 2, 'USAGE').err).toContain('--formula-safe is for CSV');
    expectOk(await w.run(['export', '--format', 'yaml', '--encoding', 'utf-8']));
    const bad = expectError(await w.run(['export', '--encoding', 'latin1']), 2, 'USAGE');
    expect(bad.err).toContain('export writes utf-8, utf-8-bom, shift_jis: not "latin1"');
  });
});
