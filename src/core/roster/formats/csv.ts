// rollcall's own CSV (SPEC §8, §14): a header row, English or Japanese column names, any order.
// Strict: a column we do not know is a problem with a suggestion, as is a column named twice.
import { problemAt, type RosterRow } from '../roster-file.js';
import { interner } from '../../interner.js';
import { formulaSafe, textCell } from './cells.js';
import { defineFormat, emptyRead, streamedText, type ExportLibs, type ExportOptions, type RosterStream } from './format.js';
import type { MemberView } from '../../members/views.js';
import { fieldsFrom, unknownName } from './ours.js';

/** Header spellings (NFKC, lower case) → field. The Japanese ones are what an admin writes unprompted. */
const CSV_ALIASES: Record<string, string> = {
  email: 'email', 'e-mail': 'email', メールアドレス: 'email', メール: 'email', eメール: 'email',
  name: 'name', 氏名: 'name', 名前: 'name', 表示名: 'name',
  role: 'role', 役割: 'role', 権限: 'role', '役割/権限': 'role', ロール: 'role',
  scope: 'scope', スコープ: 'scope', 管理範囲: 'scope',
  org: 'org', 組織: 'org', 部署: 'org', 所属: 'org',
  orgs: 'orgs', 兼務組織: 'orgs', 兼務: 'orgs',
  title: 'title', 職級: 'title', 役職: 'title',
  status: 'status', 状態: 'status', ステータス: 'status',
  start_date: 'startDate', startdate: 'startDate', 'start date': 'startDate', 'start-date': 'startDate', 開始日: 'startDate', 入社日: 'startDate', 利用開始日: 'startDate',
  '2fa': 'twoFactor', two_factor: 'twoFactor', twofactor: 'twoFactor', 'two-factor': 'twoFactor', '2段階認証': 'twoFactor', 二段階認証: 'twoFactor',
  id: 'id',
};

const EXPORT_HEADER = ['email', 'name', 'role', 'scope', 'org', 'orgs', 'title', 'status', 'start_date', 'id'];
/** For "did you mean": every English spelling, suggesting the header export writes. */
const SUGGESTIONS: Array<[string, string]> = Object.entries(CSV_ALIASES).filter(([k]) => /^[a-z0-9 _-]+$/.test(k)).map(([k, field]) => [k, field === 'startDate' ? 'start_date' : field === 'twoFactor' ? '2fa' : field]);
/** The columns an import reads: export's, and 2fa (which export leaves out: decisions.md). */
const IMPORT_COLUMNS = [...EXPORT_HEADER, '2fa'];

/** The header's cells → the column of each field, or the problems that make the header unusable. */
function readHeader(cells: string[]): { index: Map<string, number>; problems: string[]; unnamed: number[] } {
  const index = new Map<string, number>();
  const problems: string[] = [];
  const unnamed: number[] = [];
  cells.forEach((cell, i) => {
    const h = cell.normalize('NFKC').trim().toLowerCase();
    if (h === '') return void unnamed.push(i);
    const field = CSV_ALIASES[h];
    if (!field) problems.push(unknownName('column', cell, SUGGESTIONS, IMPORT_COLUMNS));
    else if (index.has(field)) problems.push(`the columns "${cells[index.get(field)!]}" and "${cell}" both give the ${field === 'startDate' ? 'start date' : field === 'twoFactor' ? 'two-step sign-in' : field}`);
    else index.set(field, i);
  });
  return { index, problems, unnamed };
}

/** A cell csv-stringify (default options) would quote: one holding the delimiter, a quote or a line break. */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * csv-stringify's text, a batch at a time. A row none of whose cells needs quotes is written here
 * (csv-stringify writes such cells as they are, joined by commas, each record ending in \n); any
 * other row goes through csv-stringify itself.
 */
function csvStream({ stringifyCsv }: ExportLibs, opts: ExportOptions = {}): RosterStream {
  const cells = (v: MemberView) => [v.email, v.name, v.role, v.scope.join(';'), v.org ?? '', v.orgs.join(';'), v.title ?? '', v.status, v.startDate ?? '', v.id];
  const row = opts.formulaSafe ? (v: MemberView) => cells(v).map(formulaSafe) : cells;
  return {
    head: () => stringifyCsv([EXPORT_HEADER]),
    members(batch) {
      let text = '';
      for (const v of batch) {
        const cells = row(v);
        text += cells.some((c) => NEEDS_QUOTES.test(c)) ? stringifyCsv([cells]) : cells.join(',') + '\n';
      }
      return text;
    },
    tail: () => '',
  };
}

export default defineFormat({
  name: 'csv',
  description: "rollcall's CSV: a header row (email, name, role, scope, org, orgs, title, status, start_date, id)",
  extensions: ['csv'],
  parse(text, file, { csv }) {
    const out = emptyRead();
    const table = csv.csvTable(text, file, out.problems);
    if (!table) {
      if (!out.problems.length) out.problems.push(problemAt(file, null, 'no header row: the first line names the columns (email, name, …)', 'file'));
      return out;
    }
    const { header, body } = table;
    const { index, problems, unnamed } = readHeader(header.cells);
    for (const p of problems) out.problems.push(problemAt(file, header.line, p, 'header'));
    if (!index.has('email')) out.problems.push(problemAt(file, header.line, `the header has no email column (メールアドレス): ${header.cells.join(',')}`, 'header'));
    if (problems.length || !index.has('email')) {
      Array.from(body); // read to the end: its rows' own problems are reported with the header's
      return out;
    }
    const has = (k: string) => index.has(k);
    const emailAt = index.get('email')!;
    const idAt = index.get('id');
    const shared = interner();
    for (const r of body) {
      const cells = r.cells;
      // A column without a name is padding; a value in it belongs nowhere.
      const stray = unnamed.length ? unnamed.find((i) => (cells[i] ?? '') !== '') : undefined;
      if (stray !== undefined) out.problems.push(problemAt(file, r.line, `a value under column ${stray + 1}, which has no name in the header: "${cells[stray]}"`));
      // Names are each their own; the other columns repeat a few values, held once each.
      const get = (k: string) => (k === 'name' ? cells[index.get(k)!] ?? '' : shared(cells[index.get(k)!] ?? ''));
      // No `where`: the line says it (whereOf), and a million rows need not hold a million of them.
      const row: RosterRow = { line: r.line, email: cells[emailAt] ?? '', fields: fieldsFrom(get, has) };
      if (idAt !== undefined) row.id = textCell(cells[idAt] ?? '');
      out.rows.push(row);
    }
    return out;
  },
  stream: csvStream,
  export: (data, libs, opts) => streamedText(csvStream(libs, opts), data),
});
