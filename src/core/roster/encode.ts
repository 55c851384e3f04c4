// Export text → bytes in the encoding asked for (export --encoding): UTF-8, UTF-8 with a byte order
// mark (Excel reads a CSV as UTF-8 only with one), or Shift_JIS (Excel in Japan). "Right or refused,
// never garbled" (SPEC §14) holds on the way out too: a character Shift_JIS has no code for is
// refused, naming the member, rather than written as `?`. Shift_JIS is Windows' (CP932), as apply
// reads it: what Excel writes and reads under that name. Imported only when a roster is written.
import iconv from 'iconv-lite';
import { fail } from '../errors.js';
import type { MemberView } from '../members/views.js';

export const EXPORT_ENCODINGS = ['utf-8', 'utf-8-bom', 'shift_jis'] as const;
export type ExportEncoding = (typeof EXPORT_ENCODINGS)[number];

/** Names people use (lower case, without - _ and spaces) → the encoding written. */
const ALIASES: Record<string, ExportEncoding> = {
  utf8: 'utf-8', utf8bom: 'utf-8-bom', utf8sig: 'utf-8-bom',
  shiftjis: 'shift_jis', sjis: 'shift_jis', cp932: 'shift_jis', windows31j: 'shift_jis', ms932: 'shift_jis',
};

/** The encoding `export --encoding` names; USAGE listing them otherwise. */
export function exportEncoding(raw: string): ExportEncoding {
  const known = ALIASES[raw.toLowerCase().replace(/[-_\s]/g, '')];
  if (!known) fail('USAGE', `export writes ${EXPORT_ENCODINGS.join(', ')}: not "${raw}"`, 'utf-8-bom for Excel, shift_jis for Excel in Japan', 'encoding');
  return known;
}

const LEGACY = 'cp932';

/** The first character of `text` that Shift_JIS (CP932) cannot hold and give back as it was, or null. */
export function unrepresentable(text: string): string | null {
  if (/^[\x00-\x7f]*$/.test(text)) return null; // ASCII: the same bytes
  if (iconv.decode(iconv.encode(text, LEGACY), LEGACY) === text) return null;
  for (const ch of text) if (iconv.decode(iconv.encode(ch, LEGACY), LEGACY) !== ch) return ch;
  return null; // only a pair of characters fails (never seen): the encoder's own check catches it
}

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The text fields of a member that an export writes. */
function textsOf(v: MemberView): Array<[string, string]> {
  return [['email', v.email], ['name', v.name], ['title', v.title ?? ''], ['org', v.org ?? ''], ['orgs', v.orgs.join(';')], ['scope', v.scope.join(';')], ['role', v.role]];
}

/**
 * Checks, before anything is written, that every member's text can be written in `encoding`:
 * INVALID_INPUT naming the members at fault, the field and the character, otherwise. (The fields
 * a CSV export writes; any other text a format adds, exportEncoder checks as it is written.)
 */
export async function checkEncodable(encoding: ExportEncoding, batches: AsyncIterable<MemberView[]>): Promise<void> {
  if (encoding !== 'shift_jis') return; // UTF-8 holds every character
  const problems: string[] = [];
  for await (const views of batches) {
    for (const v of views) {
      for (const [field, text] of textsOf(v)) {
        const ch = unrepresentable(text);
        if (ch) problems.push(`${v.email}: ${field} "${text}" has "${ch}" (${codePoint(ch)})`);
      }
    }
  }
  if (!problems.length) return;
  const listed = [...problems.slice(0, 10), ...(problems.length > 10 ? [`and ${problems.length - 10} more`] : [])];
  fail('INVALID_INPUT', `Shift_JIS has no code for ${problems.length === 1 ? 'a character' : 'characters'} of the export, which would be written as "?":\n  ${listed.join('\n  ')}`,
    'export with --encoding utf-8-bom (Excel opens it too), or change those values first with rollcall member update', 'encoding');
}

/**
 * Text → what is written, chunk by chunk in order: UTF-8 as text (the byte order mark first for
 * utf-8-bom), Shift_JIS as bytes, each chunk checked to give its text back (never a `?`).
 */
export function exportEncoder(encoding: ExportEncoding): (text: string) => string | Uint8Array {
  let first = true;
  let line = 1;
  return (text) => {
    const bom = first && encoding === 'utf-8-bom' ? '\ufeff' : '';
    first = false;
    if (encoding !== 'shift_jis') return bom + text;
    const bytes = iconv.encode(text, LEGACY);
    if (iconv.decode(bytes, LEGACY) !== text) {
      const ch = unrepresentable(text) ?? '';
      const at = line + (text.slice(0, Math.max(0, text.indexOf(ch))).match(/\n/g)?.length ?? 0);
      fail('INVALID_INPUT', `Shift_JIS has no code for "${ch}" (${ch ? codePoint(ch) : '?'}) on line ${at} of the export`, 'export with --encoding utf-8-bom', 'encoding');
    }
    line += text.match(/\n/g)?.length ?? 0;
    return bytes;
  };
}
