// Microsoft Entra bulk-create CSV: line 1 `version:v1.0`, the header on line 2 (SPEC §13).
import { problemAt, type RosterFields, type RosterRead } from '../roster-file.js';
import { headerIndex, textCell } from './cells.js';
import { defineFormat, emptyRead, type ParseLibs } from './format.js';

/** Line 1, with the empty cells a spreadsheet adds: `,` `;` or tab delimited (the header decides). */
export const ENTRA_FIRST_LINE = /^\s*version:v1\.0\s*[,;\t]*\s*$/i;

const ALIASES: Record<string, string> = {
  'user name [userprincipalname] required': 'email',
  'name [displayname] required': 'name',
  'job title [jobtitle]': 'title',
  'department [department]': 'org',
  'block sign in (yes/no) [accountenabled] required': 'block',
};

function parse(text: string, file: string, { csv }: ParseLibs): RosterRead {
  const out = emptyRead();
  const newline = text.indexOf('\n');
  const first = newline < 0 ? text : text.slice(0, newline);
  if (!ENTRA_FIRST_LINE.test(first.replace(/\r$/, ''))) {
    out.problems.push(problemAt(file, 1, 'an Entra bulk file starts with the line version:v1.0', 'file'));
    return out;
  }
  const table = csv.readCsvTable(newline < 0 ? '' : text.slice(newline + 1), file, out.problems, 2);
  if (!table) return out;
  const { header, body } = table;
  const index = headerIndex(header.cells, ALIASES);
  if (!index.has('email')) {
    out.problems.push(problemAt(file, header.line, 'an Entra file needs the column "User name [userPrincipalName] Required"', 'header'));
    return out;
  }
  for (const r of body) {
    const where = `${file}:${r.line}`;
    const get = (k: string) => (index.has(k) ? r.cells[index.get(k)!] ?? '' : '');
    const fields: RosterFields = {};
    if (index.has('name')) fields.name = textCell(get('name'));
    if (index.has('title')) fields.title = textCell(get('title'));
    if (index.has('org')) fields.org = textCell(get('org')?.replace(/\//g, '／'));
    if (index.has('block')) {
      const b = get('block').trim().toLowerCase();
      if (b === 'yes') fields.status = 'suspended';
      else if (b === 'no') fields.status = 'active';
      else if (b !== '') out.problems.push(problemAt(file, r.line, `Block sign in is "${get('block')}", not Yes or No`));
    }
    out.rows.push({ where, line: r.line, email: get('email'), fields });
  }
  return out;
}

export default defineFormat({
  name: 'entra',
  description: 'Microsoft Entra bulk-create CSV: version:v1.0 on line 1, the header on line 2',
  detect: ({ firstLine }) => (ENTRA_FIRST_LINE.test(firstLine) ? 'content' : undefined),
  parse,
});
