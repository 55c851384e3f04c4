// src/core/roster/formats/index.ts: the roster format registry. Names are unique; detection keeps
// the precedence it had before the registry (checked against the old detectFormat, kept below);
// an unknown --format is the same USAGE error; a format added to the list is picked up by
// detection, parsing, export, help and completion with no other edit; and the CLI can read the
// registry at start-up without loading csv-parse, csv-stringify, yaml or iconv-lite.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { RollcallError } from '../../src/core/errors.js';
import { EXPORT_FORMATS, rosterWriter } from '../../src/core/roster/export.js';
import { ENTRA_FIRST_LINE } from '../../src/core/roster/formats/entra.js';
import { defineFormat, emptyRead, type ExportData } from '../../src/core/roster/formats/format.js';
import { GOOGLE_EMAIL } from '../../src/core/roster/formats/google.js';
import { looksLikeYaml } from '../../src/core/roster/formats/yaml.js';
import {
  DEFAULT_FORMAT, ROSTER_FORMATS, exportFormatFor, exportFormatNames, formatOptionHelp, rosterFormatNames,
} from '../../src/core/roster/formats/index.js';
import { checkFormat, detectFormat, parseRoster, rosterReader } from '../../src/core/roster/parse.js';
import { importGraph } from '../helpers/import-graph.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const enc = (s: string) => new TextEncoder().encode(s);

/**
 * detectFormat as it was before the registry (commit 043cf6a), word for word: the oracle; plus, since
 * issue 19, YAML recognised by its look (looksLikeYaml) where the name has no extension.
 */
function detectFormatBefore(text: string, file: string): string {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0).replace(/\r$/, '');
  if (ENTRA_FIRST_LINE.test(firstLine)) return 'entra';
  if (firstLine.toLowerCase().includes(GOOGLE_EMAIL)) return 'google';
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  const trimmed = text.trimStart();
  if (ext === 'json' || (!ext && (trimmed.startsWith('{') || trimmed.startsWith('[')))) {
    try {
      const data = JSON.parse(text);
      const probe = Array.isArray(data) ? data[0] : data;
      if (probe && typeof probe === 'object' && 'schemas' in probe) return 'scim';
    } catch {
      /* reported by the JSON parser */
    }
    return 'json';
  }
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  if (!ext && looksLikeYaml(text)) return 'yaml';
  return 'csv';
}

function usageError(run: () => unknown): RollcallError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(RollcallError);
    return e as RollcallError;
  }
  return expect.unreachable('no error') as never;
}

const SCIM_USER = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bob@acme.example' };
const GOOGLE_HEADER = 'First Name [Required],Last Name [Required],Email Address [Required]';
const ENTRA_TEXT = 'version:v1.0\r\nName [displayName] Required,User name [userPrincipalName] Required\r\nBob,bob@acme.example\r\n';

/** A format a person might add: tab-separated values with an email column. */
const TSV_SOURCE = `// Tab-separated values with an email column.
import { headerIndex, textCell } from './cells.js';
import { defineFormat, emptyRead } from './format.js';

export default defineFormat({
  name: 'tsv',
  description: 'tab-separated values with an email column',
  extensions: ['tsv'],
  detect: ({ firstLine }) => (/^email\\t/i.test(firstLine) ? 'content' : undefined),
  parse(text, file) {
    const out = emptyRead();
    const [head, ...body] = text.split('\\n');
    const index = headerIndex(head.split('\\t'), { email: 'email', name: 'name' });
    body.forEach((line, i) => {
      if (!line.trim()) return;
      const cells = line.split('\\t');
      out.rows.push({ where: \`\${file}:\${i + 2}\`, email: cells[index.get('email')!], fields: index.has('name') ? { name: textCell(cells[index.get('name')!]) } : {} });
    });
    return out;
  },
  export: ({ members }) => ['email\\tname', ...members.map((m) => \`\${m.email}\\t\${m.name}\`)].join('\\n') + '\\n',
});
`;

const TSV_TEXT = 'email\tname\nbob@acme.example\tBob Lee\n';
const BOB = { id: 'm_0123456789abcdef', email: 'bob@acme.example', name: 'Bob Lee', role: 'viewer', scope: [], org: null, orgs: [], title: null, status: 'active', startDate: null, createdAt: '2030-01-07T09:00:00.000Z', updatedAt: '2030-01-07T09:00:00.000Z' };
const EXPORT_DATA = { members: [BOB], orgs: [] } as unknown as ExportData;

describe('the registry', () => {
  it('gives every format a unique, --format-friendly name and a one-line description', () => {
    const names = ROSTER_FORMATS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of ROSTER_FORMATS) {
      expect(f.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(f.description.trim(), f.name).not.toBe('');
      expect(f.description, f.name).not.toMatch(/\n/);
      for (const ext of f.extensions ?? []) expect(ext, f.name).toMatch(/^[a-z]+$/);
    }
    expect(names).toContain(DEFAULT_FORMAT);
  });

  it('lists the formats (the first six in their old order, then graph and gam), and derives FORMATS, EXPORT_FORMATS and the help from the list', () => {
    expect(rosterFormatNames()).toEqual(['csv', 'yaml', 'json', 'google', 'entra', 'scim', 'graph', 'gam']);
    expect(exportFormatNames()).toEqual(['csv', 'yaml', 'json', 'scim']);
    expect(EXPORT_FORMATS).toEqual(exportFormatNames());
    // apply.ts's --format help strings, word for word.
    expect(formatOptionHelp('apply')).toBe('csv, yaml, json, google, entra, scim, graph or gam (default: by content, then extension)');
    expect(formatOptionHelp('export')).toBe('csv, yaml, json or scim (default: by -o extension, else csv)');
  });

  it('picks export\'s format from -o FILE as apply.ts did: yml/yaml/json by extension, else csv', () => {
    const before = (output?: string) => {
      const ext = output ? /\.([a-z]+)$/i.exec(output)?.[1]?.toLowerCase() : undefined;
      return ext === 'yml' ? 'yaml' : ext === 'yaml' || ext === 'json' ? ext : 'csv';
    };
    for (const output of [undefined, 'r.csv', 'r.yml', 'R.YAML', 'r.json', 'r.txt', 'r', 'users.scim', 'a.json/b', 'r.tsv']) {
      expect(exportFormatFor(output), String(output)).toBe(before(output));
    }
  });
});

describe('detection, as before the registry', () => {
  it('recognises content first: Entra\'s first line, Google\'s header, SCIM\'s schemas', () => {
    for (const file of ['users.csv', 'users.json', 'users.yml', 'users.txt', '<stdin>', '-']) {
      expect(detectFormat(ENTRA_TEXT, file), file).toBe('entra');
      expect(detectFormat(`${GOOGLE_HEADER}\nBob,Lee,bob@acme.example\n`, file), file).toBe('google');
    }
    for (const text of [JSON.stringify(SCIM_USER), JSON.stringify([SCIM_USER]), JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], Resources: [SCIM_USER] })]) {
      expect(detectFormat(text, 'users.json')).toBe('scim');
      expect(detectFormat(text, 'USERS.JSON')).toBe('scim');
      expect(detectFormat(text, '<stdin>')).toBe('scim');
      expect(detectFormat(text, 'users')).toBe('scim');
    }
  });

  it('settles the ambiguous cases as before', () => {
    const scim = JSON.stringify(SCIM_USER);
    // JSON with schemas, but named as another format: the name wins (SCIM needs JSON by name).
    expect(detectFormat(scim, 'users.yml')).toBe('yaml');
    expect(detectFormat(scim, 'users.csv')).toBe('csv');
    expect(detectFormat(scim, 'users.txt')).toBe('csv');
    // JSON without schemas (or schemas past the first resource) is ours; so is unparseable JSON.
    expect(detectFormat('{"members": []}', 'r.json')).toBe('json');
    expect(detectFormat(JSON.stringify([{ email: 'a@b.example' }, SCIM_USER]), 'r.json')).toBe('json');
    expect(detectFormat('{"members": [', 'r.json')).toBe('json');
    expect(detectFormat('  [not json', '<stdin>')).toBe('json');
    // A Google header in a .json file is still Google's: content beats name.
    expect(detectFormat(`${GOOGLE_HEADER}\n`, 'users.json')).toBe('google');
    // .yml, .yaml, any case; stdin (`<stdin>` or `-`) and unknown extensions are CSV, unless
    // (without an extension) the text looks like YAML.
    expect(detectFormat('members: []\n', 'r.yml')).toBe('yaml');
    expect(detectFormat('members: []\n', 'r.YAML')).toBe('yaml');
    expect(detectFormat('email\nbob@acme.example\n', '<stdin>')).toBe('csv');
    expect(detectFormat('email\nbob@acme.example\n', '-')).toBe('csv');
    expect(detectFormat('members: []\n', '-')).toBe('yaml');
    expect(detectFormat('members: []\n', 'r.txt')).toBe('csv');
    expect(detectFormat('', '<stdin>')).toBe('csv');
    expect(detectFormat('{"members": []}', 'r.txt')).toBe('csv');
    // "json5" is no extension to the old pattern: the content decides.
    expect(detectFormat('{"members": []}', 'r.json5')).toBe('json');
  });

  it('agrees with the old detectFormat on every mix of first lines, bodies and file names', () => {
    const firstLines = [
      '', 'email,name', 'version:v1.0', ' VERSION:v1.0 ,,', 'version:v1.0,x', GOOGLE_HEADER, 'email address [required]',
      JSON.stringify(SCIM_USER), JSON.stringify([SCIM_USER]), '[]', '[1]', '{}', '{"members": []}', 'null', '  {', '[{"schemas": 1}',
      'members: []', 'email\tname', '\ufeffemail', '{"schemas": null}', '[null, {"schemas": []}]',
    ];
    const bodies = ['', 'bob@acme.example', 'Bob,Lee,bob@acme.example', '  - email: bob@acme.example', '}', ']'];
    const files = ['<stdin>', '-', 'r', 'r.csv', 'r.CSV', 'r.json', 'r.Json', 'r.json5', 'r.yml', 'r.yaml', 'r.txt', 'r.tsv', 'dir.json/r', 'r.', '.json'];
    const text = fc.tuple(fc.constantFrom(...firstLines), fc.constantFrom('\n', '\r\n'), fc.array(fc.constantFrom(...bodies), { maxLength: 3 }), fc.constantFrom('', ' ', '\n  '))
      .map(([first, nl, body, lead]) => lead + [first, ...body].join(nl));
    fc.assert(fc.property(fc.oneof(text, fc.string()), fc.constantFrom(...files), (t, file) => {
      expect(detectFormat(t, file)).toBe(detectFormatBefore(t, file));
    }), { numRuns: 2000 });
  });

  it('parses in the format it detects', () => {
    expect(parseRoster(enc(ENTRA_TEXT), '-').format).toBe('entra');
    expect(parseRoster(enc(JSON.stringify([SCIM_USER])), '<stdin>').format).toBe('scim');
    expect(parseRoster(enc('members:\n  - email: bob@acme.example\n'), 'r.yml')).toMatchObject({ format: 'yaml', rows: [{ email: 'bob@acme.example', where: 'r.yml:2' }] });
    expect(parseRoster(enc('email\nbob@acme.example\n'), '<stdin>')).toMatchObject({ format: 'csv', rows: [{ email: 'bob@acme.example' }] });
  });
});

describe('unknown formats', () => {
  it('--format with an unknown name is the USAGE error it was, naming the formats', () => {
    for (const run of [() => checkFormat('xml'), () => parseRoster(enc('email\n'), 'r.csv', { format: 'xml' })]) {
      const e = usageError(run);
      expect(e.code).toBe('USAGE');
      expect(e.message).toBe('unknown format "xml"');
      expect(e.hint).toBe('formats: csv, yaml, json, google, entra, scim, graph, gam');
    }
    expect(checkFormat('entra')).toBe('entra');
  });

  it('export refuses a format it cannot write, as before', () => {
    for (const name of ['google', 'xml']) {
      const e = usageError(() => rosterWriter(name));
      expect(e.code).toBe('USAGE');
      expect(e.message).toBe(`export writes csv, yaml, json, scim: not "${name}"`);
    }
  });

  it('a list with a name twice, or without its default, is refused at once', () => {
    expect(() => rosterReader([...ROSTER_FORMATS, ROSTER_FORMATS[0]], 'csv')).toThrow(/registered twice/);
    expect(() => rosterReader(ROSTER_FORMATS.slice(1), 'csv' as never)).toThrow(/not registered/);
  });
});

describe('a format added to a copy of the list', () => {
  const tsv = defineFormat({
    name: 'tsv',
    description: 'tab-separated values',
    extensions: ['tsv'],
    detect: ({ firstLine }) => (/^email\t/i.test(firstLine) ? 'content' : undefined),
    parse(text, file) {
      const out = emptyRead();
      text.split('\n').slice(1).forEach((line, i) => { if (line) out.rows.push({ where: `${file}:${i + 2}`, email: line.split('\t')[0], fields: {} }); });
      return out;
    },
    export: ({ members }) => members.map((m) => `${m.email}\n`).join(''),
  });
  const formats = [...ROSTER_FORMATS, tsv];
  const reader = rosterReader(formats, 'csv');

  it('is detected by content and by name, after the formats before it', () => {
    expect(reader.detectFormat(TSV_TEXT, '<stdin>')).toBe('tsv');
    expect(reader.detectFormat('anything', 'r.TSV')).toBe('tsv');
    expect(reader.detectFormat(`${GOOGLE_HEADER}\n`, 'r.tsv')).toBe('google');
    expect(reader.detectFormat('email\nbob@acme.example\n', '-')).toBe('csv');
    // the registry itself is untouched
    expect(detectFormat(TSV_TEXT, '<stdin>')).toBe('csv');
  });

  it('is parsed, taken by --format, named in the USAGE hint and written by export', () => {
    expect(reader.parseRoster(enc(TSV_TEXT), 'r.tsv')).toEqual({ format: 'tsv', file: 'r.tsv', rows: [{ where: 'r.tsv:2', email: 'bob@acme.example', fields: {} }], orgs: [], problems: [], notes: [] });
    expect(reader.parseRoster(enc(TSV_TEXT), 'r.csv', { format: 'tsv' }).format).toBe('tsv');
    expect(reader.checkFormat('tsv')).toBe('tsv');
    expect(usageError(() => reader.checkFormat('xml')).hint).toBe('formats: csv, yaml, json, google, entra, scim, graph, gam, tsv');
    expect(rosterWriter('tsv', formats)(EXPORT_DATA)).toBe('bob@acme.example\n');
  });
});

describe('one new file plus one line', () => {
  // A copy of src/ (node_modules linked in), where the format is added as a person would add it.
  let dir = '';
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('is all a new format takes to reach detection, parsing, export, help and completion', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rollcall-registry-'));
    cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const formatsDir = join(dir, 'src', 'core', 'roster', 'formats');

    // The new file…
    writeFileSync(join(formatsDir, 'tsv.ts'), TSV_SOURCE);
    // …and the line that lists it (with the import that names it).
    const indexPath = join(formatsDir, 'index.ts');
    const before = readFileSync(indexPath, 'utf8');
    const after = before
      .replace("import yaml from './yaml.js';\n", "import yaml from './yaml.js';\nimport tsv from './tsv.js';\n")
      .replace(/(export const ROSTER_FORMATS = \[[^\]]*)\]/, '$1, tsv]');
    const [a, b] = [before.split('\n'), after.split('\n')];
    expect(b.length - a.length).toBe(1);
    expect(b.filter((l) => !a.includes(l))).toEqual(["import tsv from './tsv.js';", expect.stringMatching(/^export const ROSTER_FORMATS = \[.*, tsv\] as const;$/)]);
    writeFileSync(indexPath, after);

    const load = (path: string) => import(pathToFileURL(join(dir, 'src', path)).href);
    const registry = await load('core/roster/formats/index.ts');
    const parse = await load('core/roster/parse.ts');
    const exporting = await load('core/roster/export.ts');
    const { complete } = await load('cli/commands/completion/complete.ts');
    const { Command } = await import('commander');

    expect(registry.rosterFormatNames()).toEqual(['csv', 'yaml', 'json', 'google', 'entra', 'scim', 'graph', 'gam', 'tsv']);
    expect(registry.formatOptionHelp('apply')).toBe('csv, yaml, json, google, entra, scim, graph, gam or tsv (default: by content, then extension)');
    expect(registry.formatOptionHelp('export')).toBe('csv, yaml, json, scim or tsv (default: by -o extension, else csv)');
    expect(registry.exportFormatFor('out.tsv')).toBe('tsv');

    expect(parse.detectFormat(TSV_TEXT, '<stdin>')).toBe('tsv');
    expect(parse.detectFormat('x', 'r.tsv')).toBe('tsv');
    expect(parse.detectFormat(ENTRA_TEXT, 'r.tsv')).toBe('entra');
    expect(parse.parseRoster(enc(TSV_TEXT), 'r.tsv')).toMatchObject({ format: 'tsv', rows: [{ where: 'r.tsv:2', email: 'bob@acme.example', fields: { name: 'Bob Lee' } }], problems: [] });
    expect(parse.checkFormat('tsv')).toBe('tsv');
    expect(exporting.rosterWriter('tsv')(EXPORT_DATA)).toBe(TSV_TEXT);

    let offered = '';
    const program = new Command('rollcall').exitOverride();
    program.command('apply').option('--format <format>');
    program.command('export').option('--format <format>');
    const io = { stdout: { write: (s: string) => (offered += s) }, stderr: { write: () => true }, stdin: process.stdin, env: {}, cwd: dir };
    for (const noun of ['apply', 'export']) await complete(program, [noun, '--format', ''], io);
    expect(offered).toBe('csv\nyaml\njson\ngoogle\nentra\nscim\ngraph\ngam\ntsv\ncsv\nyaml\njson\nscim\ntsv\n');
  });
});

describe('start-up cost', () => {
  const HEAVY = /^(csv-parse|csv-stringify|yaml|iconv-lite)(\/|$)/;

  it('no static import chain from src/cli/main.ts reaches csv-parse, csv-stringify, yaml, iconv-lite or the roster readers', async () => {
    const { reached, dynamic } = await importGraph();
    expect(reached).toContain('src/core/roster/formats/index.ts'); // --format's help names them
    expect(dynamic).toContain('src/core/roster/parse.ts'); // apply loads the readers when it runs
    expect([...reached].filter((p) => HEAVY.test(p))).toEqual([]);
    expect([...reached].filter((p) => /roster\/(parse|export|decode|formats\/csv-table)\.ts$/.test(p))).toEqual([]);
  });

  it('the built CLI loads none of those packages for --help, apply --help, export --help or completion', () => {
    const bin = inject('rollcallBin') || join(ROOT, 'bin', 'rollcall');
    const bundle = join(dirname(bin), '..', 'dist', 'rollcall.cjs');
    const script = `
      const { main } = require(${JSON.stringify(bundle)});
      const io = { stdout: { write() {} }, stderr: { write() {} }, stdin: process.stdin, env: {}, cwd: process.cwd() };
      (async () => {
        for (const argv of [['--help'], ['apply', '--help'], ['export', '--help'], ['completion', 'bash'], ['help', 'environment']]) await main(argv, io);
        const startup = Object.keys(require.cache);
        require('node:module').createRequire(${JSON.stringify(bundle)})('yaml'); // the control: a package loaded is seen
        process.stdout.write(JSON.stringify({ startup, control: Object.keys(require.cache) }));
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const { startup, control }: { startup: string[]; control: string[] } = JSON.parse(r.stdout);
    const heavy = (paths: string[]) => paths.filter((p) => /node_modules[\\/](csv-parse|csv-stringify|yaml|iconv-lite)[\\/]/.test(p));
    expect(heavy(startup)).toEqual([]);
    expect(heavy(control)).not.toEqual([]);
  });
});
