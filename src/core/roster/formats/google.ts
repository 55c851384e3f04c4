// Google Workspace user CSV: the upload template or a "Download users" export (SPEC §13).
import { problemAt, type RosterFields, type RosterProblem, type RosterRead } from '../roster-file.js';
import { interner } from '../../interner.js';
import { headerIndex, textCell } from './cells.js';
import { defineFormat, emptyRead, type ParseLibs } from './format.js';
import { personName } from './names.js';

export const GOOGLE_EMAIL = 'email address [required]';

const ALIASES: Record<string, string> = {
  [GOOGLE_EMAIL]: 'email',
  'first name [required]': 'first',
  'last name [required]': 'last',
  'employee title': 'title',
  'org unit path [required]': 'org',
  'new status [upload only]': 'newStatus',
  'status [read only]': 'status',
};

function status(raw: string, file: string, line: number, problems: RosterProblem[]): string | null {
  const s = raw.trim().toLowerCase();
  if (s === '') return null;
  if (s === 'active' || s === 'suspended') return s;
  problems.push(problemAt(file, line, `status "${raw}" is neither Active nor Suspended`));
  return null;
}

function parse(text: string, file: string, { csv }: ParseLibs): RosterRead {
  const out = emptyRead();
  const table = csv.csvTable(text, file, out.problems);
  if (!table) return out;
  const { header, body } = table;
  const index = headerIndex(header.cells, ALIASES);
  if (!index.has('email')) {
    out.problems.push(problemAt(file, header.line, 'a Google Workspace file needs the column "Email Address [Required]"', 'header'));
    Array.from(body); // read to the end: its rows' own problems are reported with the header's
    return out;
  }
  const shared = interner();
  for (const r of body) {
    const get = (k: string) => (index.has(k) ? shared(r.cells[index.get(k)!] ?? '') : '');
    const fields: RosterFields = {};
    if (index.has('first') || index.has('last')) fields.name = personName(get('first'), get('last'));
    if (index.has('title')) fields.title = textCell(get('title'));
    if (index.has('org')) {
      const path = get('org').trim();
      fields.org = path === '' || path === '/' ? null : path.replace(/^\/+/, '');
    }
    if (index.has('newStatus') && get('newStatus').trim()) fields.status = status(get('newStatus'), file, r.line, out.problems);
    else if (index.has('status')) fields.status = status(get('status'), file, r.line, out.problems);
    out.rows.push({ line: r.line, email: r.cells[index.get('email')!] ?? '', fields });
  }
  return out;
}

export default defineFormat({
  name: 'google',
  description: 'Google Workspace user CSV: the upload template or a "Download users" export',
  // The header, on the first line, names the email column as only Google does.
  detect: ({ firstLine }) => (firstLine.toLowerCase().includes(GOOGLE_EMAIL) ? 'content' : undefined),
  parse,
});
