// Roster bytes → rows, whatever the format: by --format, else by content (§13), else by name,
// through the registry (formats/index.ts). This module and the packages it hands the parsers are
// imported only when a roster is read.
import * as yaml from 'yaml';
import { fail } from '../errors.js';
import { decodeRoster } from './decode.js';
import { rosterUnreadable } from './roster-invalid.js';
import { csvTable, readCsv, readCsvTable } from './formats/csv-table.js';
import { emptyRead, type ParseLibs, type RosterFormatDef, type RosterProbe } from './formats/format.js';
import { DEFAULT_FORMAT, ROSTER_FORMATS, type RosterFormatName } from './formats/index.js';
import { inFileOrder, problemAt, type RosterFile, type RosterRead } from './roster-file.js';

const libs: ParseLibs = { csv: { readCsv, readCsvTable, csvTable }, yaml };

function probe(text: string, file: string): RosterProbe {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0).replace(/\r$/, '');
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  const start = ext ? '' : text.trimStart();
  const jsonish = ext === 'json' || (!ext && (start.startsWith('{') || start.startsWith('[')));
  let tried = false;
  let parsed: { value: unknown } | undefined;
  return {
    text, file, firstLine, ext, jsonish,
    json() {
      if (!tried && jsonish) {
        try {
          parsed = { value: JSON.parse(text) };
        } catch {
          /* reported by the format's parser */
        }
      }
      tried = true;
      return parsed;
    },
  };
}

/** checkFormat, detectFormat and parseRoster over a list of formats: the registry, or a test's copy. */
export function rosterReader<N extends string>(formats: readonly RosterFormatDef<N>[], fallback: NoInfer<N>) {
  const byName = new Map<string, RosterFormatDef<N>>(formats.map((f) => [f.name, f]));
  if (byName.size !== formats.length) throw new Error(`roster formats: a name is registered twice: ${formats.map((f) => f.name).join(', ')}`);
  if (!byName.has(fallback)) throw new Error(`roster formats: the default "${fallback}" is not registered`);

  function checkFormat(format: string): N {
    if (!byName.has(format)) fail('USAGE', `unknown format "${format}"`, `formats: ${formats.map((f) => f.name).join(', ')}`);
    return format as N;
  }

  /** The format a file is in: the first recognising its content, else the first its name, else the fallback. */
  function detectFormat(text: string, file: string): N {
    const p = probe(text, file);
    let named: N | undefined;
    for (const f of formats) {
      const seen = f.detect?.(p) ?? (p.ext !== undefined && f.extensions?.includes(p.ext) ? 'name' : undefined);
      if (seen === 'content') return f.name;
      if (seen === 'name') named ??= f.name;
    }
    return named ?? fallback;
  }

  function parseRoster(bytes: Uint8Array, file: string, opts: { format?: string; encoding?: string } = {}): RosterRead & { format: N; file: string } {
    const text = decodeRoster(bytes, file, opts.encoding);
    if (text.includes('\u0000')) rosterUnreadable(file, [], 'the file holds NUL bytes: it is not a text roster', `check that ${file} is a roster`);
    const format = opts.format ? checkFormat(opts.format) : detectFormat(text, file);
    // Nothing at all is a mistake (a truncated download, the wrong file), whatever the format.
    if (!text.trim()) return { format, file, ...emptyRead(), problems: [problemAt(file, null, 'the file is empty', 'file')] };
    const read = byName.get(format)!.parse(text, file, libs);
    return { format, file, ...read, problems: inFileOrder(read.problems) };
  }

  return { checkFormat, detectFormat, parseRoster };
}

const registry = rosterReader<RosterFormatName>(ROSTER_FORMATS, DEFAULT_FORMAT);

export function checkFormat(format: string): RosterFormatName {
  return registry.checkFormat(format);
}

/** The format a file is in: CSV for stdin and unknown extensions, unless the content says otherwise. */
export function detectFormat(text: string, file: string): RosterFormatName {
  return registry.detectFormat(text, file);
}

export function parseRoster(bytes: Uint8Array, file: string, opts: { format?: string; encoding?: string } = {}): RosterFile {
  return registry.parseRoster(bytes, file, opts);
}
