// Roster bytes → rows, whatever the format: by --format, else by content (§13), else by extension.
import { fail } from '../errors.js';
import { decodeRoster } from './decode.js';
import { ENTRA_FIRST_LINE, parseEntra } from './formats/entra.js';
import { GOOGLE_EMAIL, parseGoogle } from './formats/google.js';
import { parseOurCsv, parseOurDocument } from './formats/ours.js';
import { parseScim } from './formats/scim.js';
import { FORMATS, type RosterFile, type RosterFormat } from './roster-file.js';

export function checkFormat(format: string): RosterFormat {
  if (!(FORMATS as readonly string[]).includes(format)) fail('USAGE', `unknown format "${format}"`, `formats: ${FORMATS.join(', ')}`);
  return format as RosterFormat;
}

/** The format a file is in: CSV for stdin and unknown extensions, unless the content says otherwise. */
export function detectFormat(text: string, file: string): RosterFormat {
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
  return 'csv';
}

export function parseRoster(bytes: Uint8Array, file: string, opts: { format?: string; encoding?: string } = {}): RosterFile {
  let text: string;
  try {
    text = decodeRoster(bytes, opts.encoding);
  } catch (e) {
    fail('USAGE', (e as Error).message, 'encodings: utf-8, shift_jis (cp932), or any iconv-lite knows');
  }
  if (text.includes('\u0000')) fail('ROSTER_INVALID', `${file}: the file holds NUL bytes: it is not a text roster`);
  const format = opts.format ? checkFormat(opts.format) : detectFormat(text, file);
  switch (format) {
    case 'csv': return parseOurCsv(text, file);
    case 'yaml': return parseOurDocument(text, file, 'yaml');
    case 'json': return parseOurDocument(text, file, 'json');
    case 'google': return parseGoogle(text, file);
    case 'entra': return parseEntra(text, file);
    case 'scim': return parseScim(text, file);
  }
}
