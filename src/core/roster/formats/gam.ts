// GAM (GAM7, GAMADV-XTD3): `gam print users …` CSV (SPEC §13). GAM writes primaryEmail first and
// the other columns as the options ask (`name` → name.givenName, name.familyName, name.fullName;
// `allfields` → every field, sorted), so columns are matched by name in any order and every
// column not read here is ignored.
import { problemAt, type RosterFields, type RosterRead } from '../roster-file.js';
import { boolCell, filledFields, headerIndex, headerNames, textCell } from './cells.js';
import { defineFormat, emptyRead, type ParseLibs } from './format.js';
import { personName } from './names.js';

const COLUMNS: Record<string, string> = {
  primaryemail: 'email', 'name.fullname': 'fullName', 'name.givenname': 'given', 'name.familyname': 'family',
  orgunitpath: 'org', suspended: 'suspended',
  // `showvalidcolumn`: False marks an address that is no user of the domain.
  valid: 'valid',
};

function parse(text: string, file: string, { csv }: ParseLibs): RosterRead {
  const out = emptyRead();
  const table = csv.readCsvTable(text, file, out.problems);
  if (!table) return out;
  const { header, body } = table;
  const index = headerIndex(header.cells, COLUMNS);
  if (!index.has('email')) {
    out.problems.push(problemAt(file, header.line, 'a GAM print users file needs the column primaryEmail', 'header'));
    return out;
  }
  const filled = filledFields(index, body);
  const notUsers: string[] = [];
  for (const r of body) {
    const get = (k: string) => (index.has(k) ? (r.cells[index.get(k)!] ?? '').trim() : '');
    if (boolCell(get('valid')) === false) {
      notUsers.push(get('email'));
      continue;
    }
    const fields: RosterFields = {};
    // Given and family names by the rule of SPEC §13 (姓 名 for Japanese and Chinese); else the full name.
    if (filled.has('given') || filled.has('family') || filled.has('fullName')) {
      const name = personName(get('given'), get('family')) ?? textCell(get('fullName'));
      if (name) fields.name = name;
    }
    if (filled.has('org')) {
      const path = get('org');
      fields.org = path === '' || path === '/' ? null : path.replace(/^\/+/, '');
    }
    if (filled.has('suspended')) {
      const suspended = boolCell(get('suspended'));
      if (suspended === undefined) out.problems.push(problemAt(file, r.line, `suspended is "${get('suspended')}", not True or False`));
      else if (suspended !== null) fields.status = suspended ? 'suspended' : 'active';
    }
    out.rows.push({ where: `${file}:${r.line}`, line: r.line, email: get('email'), fields });
  }
  if (notUsers.length) out.notes.push(`${notUsers.length} row${notUsers.length > 1 ? 's' : ''} GAM marks Valid False (no such user) skipped: ${notUsers.slice(0, 5).join(', ')}${notUsers.length > 5 ? ', …' : ''}`);
  return out;
}

export default defineFormat({
  name: 'gam',
  description: 'GAM: gam print users CSV (primaryEmail, name.*, orgUnitPath, suspended)',
  detect: ({ firstLine }) => (headerNames(firstLine).some((h) => h.toLowerCase() === 'primaryemail') ? 'content' : undefined),
  parse,
});
