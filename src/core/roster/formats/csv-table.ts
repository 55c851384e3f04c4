import { parse } from 'csv-parse/sync';
import { problemAt, type RosterProblem } from '../roster-file.js';

export interface CsvRecord {
  line: number; // the file line the record ends on
  cells: string[];
}

export type Delimiter = ',' | ';' | '\t';

/**
 * The delimiter of a CSV file, from its header (the first line that is not blank): `,`, `;` (Excel
 * where the decimal mark is a comma) or tab, whichever stands most often outside quotes; `,` on a
 * tie or when there is none. Never from the rows: rollcall's list cells hold `;` (`Sales;HR`).
 */
export function csvDelimiter(text: string): Delimiter {
  let header = '';
  for (let start = 0; start < text.length && !header.trim();) {
    const end = text.indexOf('\n', start) >>> 0;
    header = text.slice(start, end);
    start = end + 1;
  }
  const count = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) count[c]++;
  }
  return (Object.keys(count) as Delimiter[]).reduce((best, d) => (count[d] > count[best] ? d : best));
}

const MAX_RECORD = 1_000_000;

/**
 * Quote-free text whose cells stand between `,` or `;`: each line that is not blank is a record, its
 * cells split at the delimiter and trimmed, exactly as csv-parse reads such text (its `trim` is
 * String.prototype.trim's whitespace), without its per-byte state machine: a third of the time of a
 * 100,000-row parse. A record at a time, as it is read: a million-row roster is never held twice,
 * once as records and once as rows.
 */
function* splitLines(lf: string, delimiter: ',' | ';', firstLine: number): Generator<CsvRecord> {
  for (let start = 0, line = firstLine; start <= lf.length; line++) {
    let end = lf.indexOf('\n', start);
    if (end < 0) end = lf.length;
    const text = lf.slice(start, end);
    start = end + 1;
    if (text.trim() === '') continue;
    const cells = text.split(delimiter);
    let empty = true;
    for (let i = 0; i < cells.length; i++) if ((cells[i] = cells[i].trim()) !== '') empty = false;
    if (!empty) yield { line, cells };
  }
}

/** Whether a line is longer than csv-parse's record limit (csv-parse then reports it). */
function hasLongLine(lf: string): boolean {
  for (let start = 0; start <= lf.length;) {
    let end = lf.indexOf('\n', start);
    if (end < 0) end = lf.length;
    if (end - start > MAX_RECORD) return true;
    start = end + 1;
  }
  return false;
}

/**
 * Any CSV's records: quote-free text split as it is read (splitLines), anything else through
 * csv-parse (quoted commas, quotes and newlines, CRLF), blank lines skipped; the delimiter as
 * csvDelimiter finds it. Text csv-parse cannot read is a problem and no records.
 */
export function csvRecords(text: string, file: string, problems: RosterProblem[], firstLine = 1): Iterable<CsvRecord> {
  // csv-parse counts the CR and the LF of a CRLF inside a quoted cell as two lines: normalise first.
  const lf = text.replace(/\r\n?/g, '\n');
  try {
    const delimiter = csvDelimiter(lf);
    const quoteFree = !lf.includes('"');
    if (quoteFree && delimiter !== '\t' && !hasLongLine(lf)) return splitLines(lf, delimiter, firstLine);
    const options = { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: MAX_RECORD };
    if (quoteFree) {
      // Without quotes a record is a line: number the lines here and spare csv-parse its per-record
      // info objects (a fifth of a 100,000-row parse). Blank and all-empty lines are skipped alike.
      const records = parse(lf, options) as string[][];
      const lines: number[] = [];
      lf.split('\n').forEach((l, i) => { if (l.trim() !== '') lines.push(i + firstLine); });
      return records.map((cells, i) => ({ line: lines[i], cells })).filter((r) => r.cells.some((c) => c !== ''));
    }
    const out = parse(lf, { ...options, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return out
      .filter((r) => r.record.some((c) => c !== ''))
      .map((r) => ({ line: r.info.lines + firstLine - 1, cells: r.record }));
  } catch (e) {
    const err = e as { lines?: number; message: string };
    problems.push(problemAt(file, (err.lines ?? 1) + firstLine - 1, `not readable as CSV: ${err.message.replace(/^Invalid .*?: /, '')}`));
    return [];
  }
}

/** Any CSV's records, all at once (csvRecords). */
export function readCsv(text: string, file: string, problems: RosterProblem[], firstLine = 1): CsvRecord[] {
  return [...csvRecords(text, file, problems, firstLine)];
}

/**
 * A CSV file as a header and the rows under it, each row as it is read: its problems join
 * `problems` as the body is iterated, which it can be once. A row whose cells do not line up with
 * the header's columns is a problem: with more non-empty cells than columns they cannot be told
 * apart (usually a comma in an unquoted name); with fewer, the missing cells would clear fields the
 * row's author never meant to touch. Empty cells past the last named column, as spreadsheets pad
 * rows, are fine.
 */
export function csvTable(text: string, file: string, problems: RosterProblem[], firstLine = 1): { header: CsvRecord; body: Iterable<CsvRecord> } | null {
  const records = csvRecords(text, file, problems, firstLine)[Symbol.iterator]();
  const first = records.next();
  if (first.done) return null;
  const header = first.value;
  const width = header.cells.length;
  let named = width;
  while (named > 0 && header.cells[named - 1] === '') named--;
  const delimiter = { ',': 'comma', ';': 'semicolon', '\t': 'tab' }[csvDelimiter(text)];
  function* body(): Generator<CsvRecord> {
    for (let next = records.next(); !next.done; next = records.next()) {
      const r = next.value;
      if (r.cells.length > width && r.cells.slice(width).some((c) => c !== '')) {
        problems.push(problemAt(file, r.line, `${r.cells.length} cells, but the header has ${width} columns (quote a cell that holds a ${delimiter})`));
      } else if (r.cells.length < named) {
        problems.push(problemAt(file, r.line, `${r.cells.length} cell${r.cells.length === 1 ? '' : 's'}, but the header has ${named} columns: a missing cell would clear "${header.cells[r.cells.length]}" (write the row in full; an empty cell clears a field on purpose)`));
      }
      yield r;
    }
  }
  return { header, body: body() };
}

/** csvTable, with every row read at once: for formats that go over the rows more than once. */
export function readCsvTable(text: string, file: string, problems: RosterProblem[], firstLine = 1): { header: CsvRecord; body: CsvRecord[] } | null {
  const table = csvTable(text, file, problems, firstLine);
  return table && { header: table.header, body: [...table.body] };
}
