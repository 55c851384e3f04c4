// Roster bytes → text (SPEC §8, §14: "right or refused, never garbled"). Imported only when a roster
// is read: it loads iconv-lite.
//
// Without a named encoding: a byte order mark decides (UTF-8, UTF-16LE/BE, UTF-32LE/BE); NUL bytes
// in every other position are UTF-16 without one, refused with a request to name it; valid UTF-8
// is UTF-8; anything else is Shift_JIS (CP932) or Windows-1252, whichever reading is plausible
// (legacy-encoding.ts), or refused when that cannot be told. A named encoding is used as named,
// but a decode that meets bytes it cannot map (U+FFFD) is refused at the line it happens on.
import iconv from 'iconv-lite';
import { fail } from '../errors.js';
import { LEGACY_LABELS, guessLegacy, type LegacyEncoding } from './legacy-encoding.js';
import { rosterUnreadable } from './roster-invalid.js';

/** The encodings a person names most, for hints. */
export const ENCODING_NAMES = 'utf-8, utf-16le, utf-16be, shift_jis (cp932), windows-1252 (latin1)';

type Unicode = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-16' | 'utf-32le' | 'utf-32be';

/** Names people use (lower case, without - _ and spaces) → the encoding read. */
const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  utf16le: 'utf-16le', utf16be: 'utf-16be', utf16: 'utf-16', ucs2: 'utf-16le', unicode: 'utf-16',
  utf32le: 'utf-32le', utf32be: 'utf-32be',
  shiftjis: 'cp932', sjis: 'cp932', cp932: 'cp932', windows31j: 'cp932', ms932: 'cp932', mskanji: 'cp932', xsjis: 'cp932',
  windows1252: 'windows-1252', cp1252: 'windows-1252', latin1: 'windows-1252', iso88591: 'windows-1252', l1: 'windows-1252',
};

/**
 * The encoding a name means. Windows-1252 stands in for Latin-1, as browsers do: it is what Excel
 * writes, and it agrees with ISO-8859-1 on every letter. Other names iconv-lite knows (euc-jp,
 * iso-8859-2, gb18030…) are taken as they are; an unknown name is a usage error.
 */
export function encodingName(raw: string): string {
  const known = ALIASES[raw.toLowerCase().replace(/[-_\s]/g, '')];
  if (known) return known;
  if (raw.trim() !== '' && iconv.encodingExists(raw)) return raw.toLowerCase();
  fail('USAGE', `unknown encoding "${raw}"`, `encodings: ${ENCODING_NAMES}, or another that iconv-lite knows`, 'encoding');
}

function bomOf(b: Uint8Array): Unicode | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe) return b[2] === 0 && b[3] === 0 && b.length % 4 === 0 ? 'utf-32le' : 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'utf-32be';
  return undefined;
}

/**
 * UTF-16 without a byte order mark: text in Latin script puts a NUL in every other byte, the odd
 * ones (little-endian) or the even ones (big-endian). Other NUL bytes are left to the caller.
 */
export function utf16WithoutBom(b: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(b.length, 1 << 16) & ~1;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  const enough = Math.max(2, n / 20); // a tenth of the pairs
  if (odd >= enough && even * 10 <= odd) return 'utf-16le';
  if (even >= enough && odd * 10 <= even) return 'utf-16be';
  return undefined;
}

/** `FILE:3` or `FILE:3 (also lines 7, 9)`, for the lines a decode failed on. */
function at(file: string, lines: number[]): string {
  const more = lines.slice(1, 4);
  return `${file}:${lines[0]}${more.length ? ` (also line${more.length > 1 ? 's' : ''} ${more.join(', ')}${lines.length > 4 ? ', …' : ''})` : ''}`;
}

function refuse(file: string, lines: number[], what: string): never {
  rosterUnreadable(at(file, lines), lines, `${what}: reading it would garble the text`, `save the file as UTF-8, or name its encoding: ${ENCODING_NAMES}`, 'encoding');
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return strict.decode(bytes);
  } catch {
    const bad: number[] = [];
    let start = 0;
    for (let line = 1; start <= bytes.length; line++) {
      let end = bytes.indexOf(0x0a, start);
      if (end < 0) end = bytes.length;
      try {
        strict.decode(bytes.subarray(start, end));
      } catch {
        bad.push(line);
      }
      start = end + 1;
    }
    refuse(file, bad, 'bytes that are not UTF-8');
  }
}

function decodeUtf16(bytes: Uint8Array, file: string, encoding: 'utf-16le' | 'utf-16be' | 'utf-16'): string {
  const bom = bomOf(bytes);
  const big = encoding === 'utf-16be' || (encoding === 'utf-16' && bom === 'utf-16be');
  if ((bom === 'utf-16le' && big) || (bom === 'utf-16be' && !big)) {
    rosterUnreadable(file, [], `the file starts with the byte order mark of ${bom.toUpperCase()}, not of ${big ? 'UTF-16BE' : 'UTF-16LE'}`, 'name the encoding its byte order mark says', 'encoding');
  }
  let le = bytes.subarray(0, bytes.length & ~1);
  if (big) {
    le = new Uint8Array(le.length);
    for (let i = 0; i < le.length; i += 2) {
      le[i] = bytes[i + 1];
      le[i + 1] = bytes[i];
    }
  }
  if (bytes.length % 2 === 0) {
    try {
      return new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }).decode(le);
    } catch {
      /* the lines at fault are found below */
    }
  }
  const bad: number[] = [];
  let line = 1;
  const unit = (i: number) => le[2 * i] | (le[2 * i + 1] << 8);
  for (let i = 0; i < le.length / 2; i++) {
    const u = unit(i);
    if (u === 0x0a) line++;
    else if (u >= 0xd800 && u <= 0xdbff && unit(i + 1) >= 0xdc00 && unit(i + 1) <= 0xdfff) i++;
    else if (u >= 0xd800 && u <= 0xdfff && bad[bad.length - 1] !== line) bad.push(line);
  }
  if (bytes.length % 2 && bad[bad.length - 1] !== line) bad.push(line);
  refuse(file, bad, `not ${big ? 'UTF-16BE' : 'UTF-16LE'} (a broken surrogate pair, or an odd number of bytes)`);
}

/** Bytes → text in a named encoding; refused where the decode has to substitute U+FFFD. */
function decodeAs(bytes: Uint8Array, file: string, encoding: string): string {
  if (encoding === 'utf-8') return decodeUtf8(bytes, file);
  if (encoding === 'utf-16le' || encoding === 'utf-16be' || encoding === 'utf-16') return decodeUtf16(bytes, file, encoding);
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
  if (!text.includes('\ufffd')) return text;
  const bad: number[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') line++;
    else if (text[i] === '\ufffd' && bad[bad.length - 1] !== line) bad.push(line);
  }
  refuse(file, bad, `bytes that ${LEGACY_LABELS[encoding as LegacyEncoding] ?? encoding} cannot read`);
}

/**
 * Roster bytes → text, without a leading byte order mark: in `encoding` when one is named
 * (encodingName lists the names), else as detected. Refuses (ROSTER_INVALID, field `encoding`)
 * rather than garble.
 */
export function decodeRoster(bytes: Uint8Array, file: string, encoding?: string): string {
  const named = encoding === undefined ? undefined : encodingName(encoding);
  const text = named ? decodeAs(bytes, file, named) : detect(bytes, file);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function detect(bytes: Uint8Array, file: string): string {
  const bom = bomOf(bytes);
  if (bom) return decodeAs(bytes, file, bom);
  if (bytes.includes(0)) {
    const utf16 = utf16WithoutBom(bytes);
    if (utf16) {
      rosterUnreadable(file, [], `the file looks like ${utf16.toUpperCase()} without a byte order mark (a NUL in every other byte)`,
        `name its encoding: ${utf16} (or ${utf16 === 'utf-16le' ? 'utf-16be' : 'utf-16le'})`, 'encoding');
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    /* not UTF-8: a legacy encoding */
  }
  const guess = guessLegacy(bytes);
  if (guess.encoding) return guess.text;
  const { line, samples } = guess;
  const readings = `"${samples.cp932}" in ${LEGACY_LABELS.cp932}, "${samples['windows-1252']}" in ${LEGACY_LABELS['windows-1252']}`;
  rosterUnreadable(`${file}:${line}`, [line], guess.reason === 'ambiguous'
    ? `the file is not UTF-8, and its encoding cannot be told: it reads as ${readings}`
    : `the file is not UTF-8, Shift_JIS (CP932) or Windows-1252 text: it would read as ${readings}`,
  `name its encoding: ${ENCODING_NAMES}; or save it as UTF-8`, 'encoding');
}
