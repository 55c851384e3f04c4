// Bytes that are not UTF-8: Shift_JIS (CP932: Excel in Japan) or Windows-1252 (Excel in Western
// Europe and the Americas)? Imported only when a roster is read (it loads iconv-lite).
//
// Each reading is judged on its own, then the two are compared (docs/decisions.md, "Encodings"):
// - A reading is impossible when the bytes do not decode: a byte Windows-1252 leaves undefined
//   (81 8D 8F 90 9D: Shift_JIS uses them all the time), a broken Shift_JIS pair, an undefined or a
//   user-defined (private use) CP932 character.
// - Otherwise its stretches (maximal runs of non-ASCII characters) are judged against the script
//   the encoding implies, and the odd ones counted.
//   Windows-1252 (Latin script writes accents one or two at a time, inside words): odd are a run of
//   three or more; a character that is neither an accented letter nor common typography (€ “ ” –);
//   two characters that are not two letters or a letter and a quote, or that touch no ASCII letter;
//   a mark wedged between two letters (other than an apostrophe); a run next to [ \ ] ^ _ ` { | } ~
//   (Shift_JIS trail bytes); a word whose case is mixed ("ŽRŒû"). 山本 reads "ŽR–{", 渡辺 "“n•Ó".
//   CP932 (accented capitals become half-width katakana, accented small letters kanji of lead
//   bytes E0–FC): odd are a run wedged between two ASCII letters ("Hélène" reads "H駘鈩e"); a lone
//   half-width katakana ("MÜLLER" reads "MﾜLLER"), or one glued to full-width characters ("Øáá"
//   reads "ﾘ矣"); a run touching an ASCII letter that holds a kanji of lead byte E0–FC ("Renée"
//   reads "Ren馥"); a run followed by a small ASCII letter ("Œuvre" reads "蛍vre": Japanese puts
//   its words after English ones, "Web担当", but seldom small letters right after its own).
// - A reading fits cleanly (no odd stretch), mostly (odd in at most half its stretches), hardly,
//   or not at all (impossible). The reading that fits better wins if it fits at least mostly;
//   otherwise (both alike, or neither fits) the file is refused rather than guessed ("Saša" alone:
//   "Sa啾" fits as well as "Saša"). Stretches after the first MAX_RUNS are not judged (the verdict
//   is in by then); every byte is still decoded and checked.
import iconv from 'iconv-lite';

export type LegacyEncoding = 'cp932' | 'windows-1252';

export const LEGACY_LABELS: Record<LegacyEncoding, string> = { cp932: 'Shift_JIS (CP932)', 'windows-1252': 'Windows-1252' };

export type LegacyGuess =
  | { encoding: LegacyEncoding; text: string }
  | {
      encoding: null;
      /** ambiguous: both readings decode and neither is preferred; neither: no reading is plausible. */
      reason: 'ambiguous' | 'neither';
      /** 1-based: the first line holding a byte above 7F. */
      line: number;
      /** That line's first non-ASCII word in each reading, for the message. */
      samples: Record<LegacyEncoding, string>;
    };

interface Reading {
  text: string;
  /** Stretches judged. */
  runs: number;
  /** Stretches that do not look like the script the encoding implies. */
  odd: number;
}

const MAX_RUNS = 10_000;

const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAsciiLower = (c: number) => c >= 0x61 && c <= 0x7a;
/** Accented Latin letters Windows-1252 holds (not × ÷, nor ƒ, the florin sign). */
const LATIN_EXTRA = new Set('ŠšŽžŒœŸ');
const isLatin = (ch: string) => (ch >= '\u00c0' && ch <= '\u00ff' && ch !== '×' && ch !== '÷') || LATIN_EXTRA.has(ch);
/** Typography and signs Latin text uses on their own. */
const TYPOGRAPHY = new Set('\u00a0¡¢£¥§©«®°±²³´·¹º»¼½¾¿×ª€…‘’“”„•–—™');
/** Marks that stand against a letter (l’État, «Élan», “Ça”). */
const QUOTES = new Set('‘’“”„«»´');
const APOSTROPHES = new Set('’‘´');
/** ASCII that Latin text does not put against an accented letter; Shift_JIS trail bytes often are. */
const ODD_NEIGHBOURS = new Set('[\\]^_`{|}~');
/** A word holding accented letters is in lower case, Title case or UPPER case. */
const WORD_CASE = /^(?:\p{Lu}?\p{Ll}+|\p{Lu}+)$/u;

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The word (ASCII and accented letters) around text[i]. */
function wordAt(text: string, i: number): string {
  const letter = (j: number) => isAsciiLetter(text.charCodeAt(j)) || isLatin(text[j]);
  let start = i;
  let end = i + 1;
  while (start > 0 && letter(start - 1)) start--;
  while (end < text.length && letter(end)) end++;
  return text.slice(start, end);
}

/** Whether text[start, end), non-ASCII, looks like Latin-script text. */
function latinRun(text: string, start: number, end: number): boolean {
  const run = text.slice(start, end); // Windows-1252 decodes to the BMP: one unit a character
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  if (run.length > 2 || ODD_NEIGHBOURS.has(text[start - 1]) || ODD_NEIGHBOURS.has(text[end])) return false;
  if (![...run].every((c) => isLatin(c) || TYPOGRAPHY.has(c))) return false;
  const letter = [...run].findIndex(isLatin);
  // A mark on its own, not wedged between two letters unless it is an apostrophe (O’Neil).
  if (letter < 0) return run.length === 1 && (APOSTROPHES.has(run) || !(isAsciiLetter(before) && isAsciiLetter(after)));
  if (run.length === 2) {
    const other = run[1 - letter];
    if ((!isLatin(other) && !QUOTES.has(other)) || (!isAsciiLetter(before) && !isAsciiLetter(after))) return false;
  }
  return WORD_CASE.test(wordAt(text, start + letter));
}

const UNDEFINED_IN_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

function read1252(bytes: Uint8Array): Reading | null {
  for (const b of bytes) if (UNDEFINED_IN_1252.has(b)) return null;
  const text = iconv.decode(toBuffer(bytes), 'windows-1252');
  let runs = 0;
  let odd = 0;
  for (let i = 0; i < text.length && runs < MAX_RUNS; i++) {
    if (text.charCodeAt(i) < 0x80) continue;
    const start = i;
    while (i + 1 < text.length && text.charCodeAt(i + 1) >= 0x80) i++;
    runs++;
    if (!latinRun(text, start, i + 1)) odd++;
  }
  return { text, runs, odd };
}

/** CP932 character kinds, one per decoded character. */
const ASCII = 0, HALF_KANA = 1, KANJI = 2, HIGH_KANJI = 3;

function readCp932(bytes: Uint8Array): Reading | null {
  const kinds = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) kinds[n++] = ASCII;
    else if (b >= 0xa1 && b <= 0xdf) kinds[n++] = HALF_KANA;
    else if ((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc)) {
      const t = bytes[++i];
      if (t === undefined || t < 0x40 || t === 0x7f || t > 0xfc) return null;
      kinds[n++] = b >= 0xe0 ? HIGH_KANJI : KANJI;
    } else return null;
  }
  const text = iconv.decode(toBuffer(bytes), 'cp932');
  // Undefined pairs decode to U+FFFD, the user-defined area (F040–F9FC) to private use characters.
  if (text.length !== n || /[\ufffd\ue000-\uf8ff]/.test(text)) return null;
  let runs = 0;
  let odd = 0;
  for (let i = 0; i < n && runs < MAX_RUNS; i++) {
    if (kinds[i] === ASCII) continue;
    const start = i;
    const seen = new Set([kinds[i]]);
    while (i + 1 < n && kinds[i + 1] !== ASCII) seen.add(kinds[++i]);
    runs++;
    const before = isAsciiLetter(text.charCodeAt(start - 1));
    const after = isAsciiLetter(text.charCodeAt(i + 1));
    const loneKana = i === start && kinds[start] === HALF_KANA;
    const mixedWidth = seen.has(HALF_KANA) && seen.size > 1;
    if ((before && after) || loneKana || mixedWidth || ((before || after) && seen.has(HIGH_KANJI)) || isAsciiLower(text.charCodeAt(i + 1))) odd++;
  }
  return { text, runs, odd };
}

/** How well a reading fits: 3 clean, 2 odd in at most half its stretches, 1 odder, 0 impossible. */
function fit(r: Reading | null): number {
  return r === null ? 0 : r.odd === 0 ? 3 : r.odd * 2 <= r.runs ? 2 : 1;
}

/** The first line with a byte above 7F, and its first non-ASCII word as each encoding reads it. */
function where(bytes: Uint8Array): { line: number; samples: Record<LegacyEncoding, string> } {
  const at = bytes.findIndex((b) => b >= 0x80);
  let line = 1;
  let start = 0;
  for (let i = 0; i < at; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  let end = bytes.indexOf(0x0a, at);
  if (end < 0) end = bytes.length;
  const sample = (encoding: LegacyEncoding) => {
    const text = iconv.decode(toBuffer(bytes.subarray(start, end)), encoding);
    const words = text.split(/[\s,;"]+/).filter((w) => /[^\x00-\x7f]/.test(w));
    return (words[0] ?? text).slice(0, 40);
  };
  return { line, samples: { cp932: sample('cp932'), 'windows-1252': sample('windows-1252') } };
}

/** Shift_JIS (CP932) or Windows-1252, for bytes that are not valid UTF-8 (and hold no NUL). */
export function guessLegacy(bytes: Uint8Array): LegacyGuess {
  const sjis = readCp932(bytes);
  const latin = read1252(bytes);
  const [a, b] = [fit(sjis), fit(latin)];
  if (a >= 2 && a > b) return { encoding: 'cp932', text: sjis!.text };
  if (b >= 2 && b > a) return { encoding: 'windows-1252', text: latin!.text };
  return { encoding: null, reason: sjis && latin ? 'ambiguous' : 'neither', ...where(bytes) };
}
