// Roster bytes → text (SPEC §14, issue 19: encodings right or refused, never garbled): byte order
// marks, UTF-16 without one, Shift_JIS (CP932) against Windows-1252, --encoding names, refusals
// that name their lines; the CSV delimiter from the header; YAML by its look on standard input.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { RollcallError } from '../../src/core/errors.js';
import { decodeRoster, encodingName } from '../../src/core/roster/decode.js';
import { csvDelimiter } from '../../src/core/roster/formats/csv-table.js';
import { looksLikeYaml } from '../../src/core/roster/formats/yaml.js';
import { parseRoster } from '../../src/core/roster/parse.js';
import { refusal } from '../helpers/refusal.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = (name: string) => readFileSync(join(ROOT, 'fixtures', name));
const utf16 = (text: string, big = false) => {
  const le = Buffer.from('\ufeff' + text, 'utf16le');
  return big ? Buffer.from(le).swap16() : le;
};

/** Decoded exactly, or refused as ROSTER_INVALID: never anything else. */
function rightOrRefused(bytes: Uint8Array, text: string) {
  let got: string;
  try {
    got = decodeRoster(bytes, 'x.csv');
  } catch (e) {
    expect((e as RollcallError).code).toBe('ROSTER_INVALID');
    return;
  }
  expect(got).toBe(text);
}

// Names as people have them, and as Excel in Western Europe or Japan saves them.
const LATIN_NAMES = [
  'José Muñoz', 'François Lefèvre', 'Jürgen Müller', 'Søren Kierkegaard', 'Zoë Saldaña', 'Renée Dupont', 'Noël Coward',
  'Björk Guðmundsdóttir', 'João Gonçalves', 'Inês Conceição', 'Gaël Monfils', 'Chloé Zhao', 'Hélène Ségara', 'Raúl Pérez',
  'Iñaki Núñez', 'Ángela García', 'MÜLLER Jürgen', 'Ólafur Arnalds', 'Åsa Ström', 'Ærø Ørsted', 'Œuvre Cœur',
];
const LATIN_TITLES = ['Señor Engineer', 'Directeur Général', 'Geschäftsführer', 'Responsable Qualité', 'Técnico – Madrid', 'Chef de Projet «Alpha»', ''];
const JAPANESE_NAMES = [
  '佐藤 花子', '鈴木 一郎', '高橋 健太', '田中 美咲', '渡辺', '山本', '山口', '池田', '前田', '谷口', '髙橋 一郎', '山﨑 太郎',
  'ｻﾄｳ ﾊﾅｺ', 'ヤマダ タロウ', '伊藤 さくら', '長谷川', '佐々木',
];
const JAPANESE_TITLES = ['部長', '主任', 'IT部 マネージャー', 'Sales部', 'ExcelとWord担当', 'エンジニア', ''];

describe('byte order marks and UTF-16', () => {
  it('UTF-8 with or without its mark; UTF-16LE and UTF-16BE with theirs, CRLF and all', () => {
    const text = 'email,name\r\nhana@acme.example,佐藤 花子\r\njose@acme.example,José Muñoz 😀\r\n';
    expect(decodeRoster(Buffer.from(text), 'r.csv')).toBe(text);
    expect(decodeRoster(Buffer.from('\ufeff' + text), 'r.csv')).toBe(text);
    expect(decodeRoster(utf16(text), 'r.csv')).toBe(text);
    expect(decodeRoster(utf16(text, true), 'r.csv')).toBe(text);
    expect(decodeRoster(utf16(text), 'r.csv', 'utf-16le')).toBe(text);
    expect(decodeRoster(utf16(text, true), 'r.csv', 'UTF-16')).toBe(text);
    expect(parseRoster(utf16(text, true), 'r.csv').rows.map((r) => r.fields.name)).toEqual(['佐藤 花子', 'José Muñoz 😀']);
  });

  it('UTF-16 without a mark is refused asking for the encoding, not as NUL bytes; named, it is read', () => {
    const text = 'email,name\nbob@acme.example,Bob\n';
    for (const [bytes, guess] of [[Buffer.from(text, 'utf16le'), 'utf-16le'], [Buffer.from(text, 'utf16le').swap16(), 'utf-16be']] as const) {
      const e = refusal(() => parseRoster(bytes, 'r.csv'));
      expect(e).toMatchObject({ code: 'ROSTER_INVALID', field: 'encoding' });
      expect(e.message).toContain(guess.toUpperCase());
      expect(e.message).not.toMatch(/NUL bytes/);
      expect(e.hint).toContain(guess);
      expect(decodeRoster(bytes, 'r.csv', guess)).toBe(text);
    }
    // Other NUL bytes are still "not a text roster".
    expect(refusal(() => parseRoster(Buffer.from('email\nbob@acme.example\u0000\n'), 'r.csv')).message).toMatch(/NUL bytes/);
  });

  it('refuses broken UTF-16 at its line, and a mark that contradicts the named encoding', () => {
    const broken = Buffer.concat([utf16('email\nbob@acme.example\n'), Buffer.from([0x00, 0xd8, 0x41, 0x00])]);
    expect(refusal(() => decodeRoster(broken, 'r.csv')).message).toMatch(/^r\.csv:3: /);
    expect(refusal(() => decodeRoster(utf16('email\n', true), 'r.csv', 'utf-16le'))).toMatchObject({ code: 'ROSTER_INVALID', field: 'encoding' });
  });

  it('property: any text with its UTF-16 mark, either byte order, and any UTF-8 text, read back as written', () => {
    // A UTF-16LE mark followed by a NUL character is the UTF-32LE mark (FF FE 00 00): the two cannot
    // be told apart, and no text roster starts with NUL.
    fc.assert(fc.property(fc.string({ unit: 'binary' }).filter((t) => !t.startsWith('\u0000')), fc.boolean(), (text, big) => {
      expect(decodeRoster(utf16(text, big), 'r.csv')).toBe(text);
    }));
    fc.assert(fc.property(fc.string({ unit: 'binary' }).filter((t) => !t.includes('\u0000') && !t.startsWith('\ufeff')), (text) => {
      expect(decodeRoster(Buffer.from(text), 'r.csv')).toBe(text);
    }));
  });
});

describe('Shift_JIS (CP932) or Windows-1252', () => {
  it('reads the acceptance example: a Windows-1252 José Muñoz, Señor Engineer', () => {
    const text = 'email,name,title\njose@acme.example,José Muñoz,Señor Engineer\n';
    expect(decodeRoster(iconv.encode(text, 'windows-1252'), 'r.csv')).toBe(text);
  });

  it('reads the Shift_JIS fixtures as before', () => {
    expect(decodeRoster(fixture('roster-sjis.csv'), 'r.csv')).toBe(fixture('roster-ja.csv').toString('utf8').replace(/^\ufeff/, ''));
    expect(decodeRoster(fixture('google-users-sjis.csv'), 'g.csv')).toBe(fixture('google-users.csv').toString('utf8'));
  });

  it('reads every one-row file of a real name and title in either encoding', () => {
    for (const name of LATIN_NAMES) {
      for (const title of LATIN_TITLES) {
        const text = `email,name,title\nx@acme.example,${name},${title}\n`;
        expect(decodeRoster(iconv.encode(text, 'windows-1252'), 'r.csv'), text).toBe(text);
      }
    }
    for (const name of JAPANESE_NAMES) {
      for (const title of JAPANESE_TITLES) {
        const text = `email,name,title\r\nx@acme.example,${name},${title}\r\n`;
        expect(decodeRoster(iconv.encode(text, 'cp932'), 'r.csv'), text).toBe(text);
      }
    }
  });

  it('property: rows of Latin-script names in Windows-1252, or of Japanese names in CP932, are read right or refused', () => {
    // Words as Latin-script languages spell them: mostly plain letters, an accented one now and then.
    const latinLetter = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...'abcdefghijklmnoprstuvz') }, { weight: 1, arbitrary: fc.constantFrom(...'áàâäãåæçéèêëíìîïñóòôöõøúùûüýÿ') });
    const initial = fc.constantFrom(...'ABCDEFGHIJKLMNOPRSTUVZÁÉÍÓÚÅÄÖÜÑØ');
    const latinWord = fc.tuple(initial, fc.array(latinLetter, { minLength: 1, maxLength: 8 })).map(([a, l]) => a + l.join(''));
    const kanji = [...'佐藤鈴木高橋田中渡辺伊山本小林加吉松井上森池清水阿部石川前岡長谷後近遠坂福太西原和竹野内宮安村'];
    const kana = [...'あいうかきさしたちなにはまやらわんアイウカキサシタチナニハマヤラワン'];
    const jaWord = fc.array(fc.constantFrom(...kanji, ...kana), { minLength: 1, maxLength: 4 }).map((c) => c.join(''));
    const file = (word: fc.Arbitrary<string>) => fc.array(fc.tuple(word, word), { minLength: 1, maxLength: 4 })
      .map((rows) => 'email,name\n' + rows.map(([a, b], i) => `u${i}@acme.example,${a} ${b}\n`).join(''));
    fc.assert(fc.property(file(latinWord), (text) => rightOrRefused(iconv.encode(text, 'windows-1252'), text)), { numRuns: 300 });
    fc.assert(fc.property(file(jaWord), (text) => rightOrRefused(iconv.encode(text, 'cp932'), text)), { numRuns: 300 });
  });

  it('refuses what it cannot tell, naming the line, both readings and the field to set', () => {
    // "Saša" is Sa啾 in CP932 and Saša in Windows-1252: one word is not enough to tell.
    const saša = iconv.encode('email,name\nx@acme.example,Saša\n', 'windows-1252');
    const e = refusal(() => decodeRoster(saša, 'r.csv'));
    expect(e).toMatchObject({ code: 'ROSTER_INVALID', field: 'encoding' });
    expect(e.message).toMatch(/^r\.csv:2: .*cannot be told/);
    expect(e.message).toContain('"Saša" in Windows-1252');
    expect(e.message).toContain('"Sa啾" in Shift_JIS (CP932)');
    expect(decodeRoster(saša, 'r.csv', 'windows-1252')).toContain('Saša');
    // Another row settles it.
    expect(decodeRoster(iconv.encode('email,name\nx@acme.example,Saša\ny@acme.example,Zoë Renée\n', 'windows-1252'), 'r.csv')).toContain('Saša');
    expect(e.hint).toMatch(/shift_jis.*windows-1252/);
    // Cyrillic in Windows-1251 is neither.
    const c = refusal(() => decodeRoster(iconv.encode('email,name\nx@acme.example,Иван Петров\n', 'windows-1251'), 'r.csv'));
    expect(c.message).toMatch(/^r\.csv:2: .*not UTF-8, Shift_JIS \(CP932\) or Windows-1252/);
    expect(decodeRoster(iconv.encode('Иван\n', 'windows-1251'), 'r.csv', 'windows-1251')).toBe('Иван\n');
  });
});

describe('--encoding', () => {
  it('takes the usual names and aliases; an unknown name is USAGE pointing at the encoding', () => {
    for (const n of ['shift_jis', 'Shift-JIS', 'SJIS', 'cp932', 'Windows-31J', 'MS932']) expect(encodingName(n), n).toBe('cp932');
    for (const n of ['windows-1252', 'CP1252', 'latin1', 'ISO-8859-1', 'iso_8859_1']) expect(encodingName(n), n).toBe('windows-1252');
    for (const n of ['utf8', 'UTF-8']) expect(encodingName(n), n).toBe('utf-8');
    expect(encodingName('UTF_16LE')).toBe('utf-16le');
    expect(encodingName('EUC-JP')).toBe('euc-jp');
    expect(refusal(() => encodingName('klingon'))).toMatchObject({ code: 'USAGE', field: 'encoding' });
  });

  it('a named encoding that would substitute U+FFFD is refused at its lines; a U+FFFD the file holds is kept', () => {
    const latin1 = iconv.encode('email,name\nok@acme.example,Bob\njose@acme.example,José\nluis@acme.example,Luís\n', 'latin1');
    const e = refusal(() => decodeRoster(latin1, 'r.csv', 'utf-8'));
    expect(e).toMatchObject({ code: 'ROSTER_INVALID', field: 'encoding' });
    expect(e.message).toMatch(/^r\.csv:3 \(also line 4\): /);
    expect(refusal(() => decodeRoster(Buffer.from([0x41, 0x0a, 0x81, 0x0a]), 'r.csv', 'windows-1252')).message).toMatch(/^r\.csv:2: /);
    expect(decodeRoster(latin1, 'r.csv', 'latin1')).toContain('Luís');
    expect(decodeRoster(Buffer.from('email,name\nx@acme.example,Jos\ufffd\n'), 'r.csv', 'utf-8')).toContain('Jos\ufffd');
  });
});

describe('the CSV delimiter', () => {
  it('comes from the header, counted outside quotes: comma, semicolon or tab; comma on a tie or with one column', () => {
    expect(csvDelimiter('email,name,scope\na@x.example,A,Sales;HR;IT\n')).toBe(',');
    expect(csvDelimiter('email;name;scope\na@x.example;A;"Sales;HR"\n')).toBe(';');
    expect(csvDelimiter('\n  \nemail\tname\ta;b\n')).toBe('\t');
    expect(csvDelimiter('"a;b;c",email\n')).toBe(',');
    expect(csvDelimiter('email\na;b;c;d\n')).toBe(',');
    expect(csvDelimiter('a,b;c\n')).toBe(',');
    expect(csvDelimiter('')).toBe(',');
  });

  it('reads ;- and tab-separated rosters, Entra files and Google files as the comma ones', () => {
    for (const d of [';', '\t']) {
      const text = 'email|name|scope|orgs\nbob@acme.example|"Lee; Bob"|Sales|"IT;Support"\n'.replace(/\|/g, d);
      const r = parseRoster(Buffer.from(text), 'r.csv');
      expect(r.problems, JSON.stringify(text)).toEqual([]);
      expect(r.rows[0].fields).toEqual({ name: 'Lee; Bob', scope: ['Sales'], orgs: ['IT', 'Support'] });
    }
    const entra = fixture('entra-users.csv').toString('utf8').replace(/,/g, ';');
    expect(parseRoster(Buffer.from(entra), 'e.csv')).toMatchObject({ format: 'entra', problems: [] });
    expect(parseRoster(Buffer.from(entra), 'e.csv').rows).toEqual(parseRoster(fixture('entra-users.csv'), 'e.csv').rows);
    const google = fixture('google-users.csv').toString('utf8').replace(/,/g, '\t');
    expect(parseRoster(Buffer.from(google), 'g.csv').rows).toEqual(parseRoster(fixture('google-users.csv'), 'g.csv').rows);
  });
});

describe('YAML by its look, without an extension', () => {
  it('knows a document marker, a mapping key or a sequence item on the first meaningful line', () => {
    for (const t of ['---\nmembers: []\n', 'orgs: []\nmembers:\n', '# roster\n\nmembers:\n  - email: a@b.example\n', '- email: a@b.example\n', '%YAML 1.2\n---\n', 'members:']) {
      expect(looksLikeYaml(t), t).toBe(true);
    }
    for (const t of ['email,name\n', 'email\n', 'version:v1.0\n', 'Email Address [Required],x\n', '{"members": []}', '', '# only a comment\n', 'a,b: c\n']) {
      expect(looksLikeYaml(t), t).toBe(false);
    }
    const yaml = Buffer.from('orgs: []\nmembers:\n  - email: bob@acme.example\n    name: Bob\n');
    expect(parseRoster(yaml, '<stdin>')).toMatchObject({ format: 'yaml', rows: [{ email: 'bob@acme.example', where: '<stdin>:3' }] });
  });
});
