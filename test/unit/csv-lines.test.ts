// src/core/roster/formats/csv-table.ts: quote-free CSV is split line by line instead of through
// csv-parse (issue 21: a third of a 100,000-row parse). The records, their cells and their lines must
// be exactly what csv-parse gives, for any text: checked here against csv-parse itself.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/core/roster/formats/csv-table.js';
import type { RosterProblem } from '../../src/core/roster/roster-file.js';

/** What readCsv gave before the split: csv-parse with the line each record ends on. */
function throughCsvParse(text: string, delimiter: string, firstLine: number) {
  const lf = text.replace(/\r\n?/g, '\n');
  const out = parse(lf, { bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: 1_000_000, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  return out.filter((r) => r.record.some((c) => c !== '')).map((r) => ({ line: r.info.lines + firstLine - 1, cells: r.record }));
}

// Delimiters, every kind of whitespace String.prototype.trim and csv-parse trim, line breaks, text.
const PIECES = [',', ',', ';', ' ', '\t', '\n', '\n', '\r\n', '\r', '\u3000', '\u00a0', '\ufeff', '\u2028', '\v', '\f', 'a', 'bc', 'é', '山田', '🙂', '@', 'x.y'];

describe('quote-free CSV, split by lines', () => {
  it('gives the records, cells and lines csv-parse gives, for any quote-free text', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }), fc.integer({ min: 1, max: 3 }), (pieces, firstLine) => {
      const text = pieces.join('');
      const problems: RosterProblem[] = [];
      const got = readCsv(text, 'r.csv', problems, firstLine);
      const header = text.replace(/\r\n?/g, '\n').split('\n').find((l) => l.trim()) ?? '';
      const delimiter = (header.split(';').length > header.split(',').length ? ';' : ',');
      if (header.split('\t').length > Math.max(header.split(';').length, header.split(',').length)) return; // tab: csv-parse reads it
      expect(problems).toEqual([]);
      expect(got).toEqual(throughCsvParse(text, delimiter, firstLine));
    }), { numRuns: 1000 });
  });

  it('a BOM, CRLF, blank and all-empty lines: the lines they stand on', () => {
    const problems: RosterProblem[] = [];
    expect(readCsv('\ufeffemail;name\r\n\r\n  \r\n;;\r\na@x.example ; Ann \r\n', 'r.csv', problems)).toEqual([
      { line: 1, cells: ['email', 'name'] }, { line: 5, cells: ['a@x.example', 'Ann'] },
    ]);
    expect(problems).toEqual([]);
  });
});
