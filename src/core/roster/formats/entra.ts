// Microsoft Entra's own user files (SPEC §13): the bulk-create and bulk-delete templates (line 1
// `version:v1.0`, the header on line 2), and the admin centre's "Download users" export.
//
// The templates' headers are matched by the bracketed property name, whatever the words around it:
// `Name [displayName] Required` today, `Name (example: Chris Green) [displayName] *` in older
// generations (Microsoft: templates "might have slight variations"). A template whose only
// property is [userPrincipalName] is the bulk-delete file, whose rows remove; any other is a
// bulk-create file, whose rows add and change (a create file always has displayName and more).
import { problemAt, type RosterRead } from '../roster-file.js';
import { filledFields, headerNames } from './cells.js';
import { defineFormat, emptyRead, type ParseLibs } from './format.js';
import { directoryFields, readGraphUsers } from './graph-users.js';

/** Line 1, with the empty cells a spreadsheet adds: `,` `;` or tab delimited (the header decides). */
export const ENTRA_FIRST_LINE = /^\s*version:v1\.0\s*[,;\t]*\s*$/i;

/** Bracketed property (lower case) → field; every other property (passwordProfile, usageLocation …) is ignored. */
const PROPERTIES: Record<string, string> = {
  userprincipalname: 'email', displayname: 'name', givenname: 'given', surname: 'surname',
  jobtitle: 'title', department: 'org', accountenabled: 'enabled',
};

/** Entra's other bulk templates, which share line 1 but list no users to add or remove. */
const OTHER_TEMPLATES: Record<string, string> = {
  objectid: 'an Entra bulk-restore file: it names deleted users by object id, which rollcall does not know (rollcall restores removed members with member restore)',
  memberobjectidorupn: 'an Entra group-members file, not a list of users: rollcall does not import group membership',
  inviteeemail: 'an Entra bulk-invite file (guest invitations), not a list of users rollcall reads',
};

/** `Name (example: Chris Green) [displayName] *` → `displayname`. */
function propertyOf(cell: string): string | undefined {
  return /\[\s*([A-Za-z][A-Za-z0-9]*)\s*\]/.exec(cell.normalize('NFKC'))?.[1].toLowerCase();
}

/** The template's example row (`Example: Chris Green,…`, `Example: chris@contoso.com`), never a user. */
const EXAMPLE_ROW = /^example\s*:/i;

function readTemplate(text: string, file: string, { csv }: ParseLibs): RosterRead {
  const out = emptyRead();
  const newline = text.indexOf('\n');
  const table = csv.readCsvTable(newline < 0 ? '' : text.slice(newline + 1), file, out.problems, 2);
  if (!table) {
    if (!out.problems.length) out.problems.push(problemAt(file, 2, 'an Entra bulk file has its header on line 2, under version:v1.0', 'file'));
    return out;
  }
  const { header, body } = table;
  const properties = header.cells.map(propertyOf);
  const index = new Map<string, number>();
  properties.forEach((p, i) => { const field = p && PROPERTIES[p]; if (field && !index.has(field)) index.set(field, i); });
  if (!index.has('email')) {
    const other = properties.find((p) => p && OTHER_TEMPLATES[p]);
    if (other) out.problems.length = 0; // not a user list: its rows' shapes are beside the point
    out.problems.push(other
      ? problemAt(file, header.line, `this is ${OTHER_TEMPLATES[other]}`, 'file')
      : problemAt(file, header.line, 'an Entra bulk file needs the column "User name [userPrincipalName] Required"', 'header'));
    return out;
  }
  const removes = properties.every((p) => !p || p === 'userprincipalname');
  // A list of members to remove is no directory: pruning by it would remove everyone it leaves out.
  if (removes) out.partial = 'an Entra bulk-delete file (the members to remove, not the directory)';
  // Block sign in (Yes/No) [accountEnabled]: the words say Yes blocks; a bare [accountEnabled] takes true/false.
  const blockWords = index.has('enabled') && /block/i.test(header.cells[index.get('enabled')!]);
  const filled = filledFields(index, body);
  for (const r of body) {
    const where = `${file}:${r.line}`;
    const get = (k: string) => (index.has(k) ? (r.cells[index.get(k)!] ?? '').trim() : '');
    const first = r.cells.find((c) => c.trim() !== '') ?? '';
    if (EXAMPLE_ROW.test(first.trim())) {
      out.notes.push(`${file}:${r.line} is the template's example row ("${first.trim()}"): skipped`);
      continue;
    }
    if (removes) {
      out.rows.push({ where, line: r.line, email: get('email'), remove: true, fields: {} });
      continue;
    }
    const fields = directoryFields(filled, get);
    const state = get('enabled').toLowerCase();
    if (state !== '') {
      const [off, on] = blockWords ? ['yes', 'no'] : ['false', 'true'];
      if (state === off) fields.status = 'suspended';
      else if (state === on) fields.status = 'active';
      else out.problems.push(problemAt(file, r.line, blockWords ? `Block sign in is "${get('enabled')}", not Yes or No` : `accountEnabled is "${get('enabled')}", not true or false`));
    }
    out.rows.push({ where, line: r.line, email: get('email'), fields });
  }
  return out;
}

function parse(text: string, file: string, libs: ParseLibs): RosterRead {
  const newline = text.indexOf('\n');
  const first = (newline < 0 ? text : text.slice(0, newline)).replace(/\r$/, '');
  if (ENTRA_FIRST_LINE.test(first)) return readTemplate(text, file, libs);
  const read = readGraphUsers(text, file, libs, 1, 'an Entra "Download users" file');
  if (read.problems.some((p) => p.kind === 'header')) {
    return { ...emptyRead(), problems: [problemAt(file, 1, 'an Entra file is a bulk template (line 1 version:v1.0) or a "Download users" export (a userPrincipalName column)', 'file')] };
  }
  return read;
}

export default defineFormat({
  name: 'entra',
  description: 'Microsoft Entra: bulk-create or bulk-delete template (version:v1.0 on line 1), or a "Download users" export',
  // Line 1 of a template; or the admin centre's export, whose header names userPrincipalName in camelCase.
  detect: ({ firstLine }) => (ENTRA_FIRST_LINE.test(firstLine) || headerNames(firstLine).includes('userPrincipalName') ? 'content' : undefined),
  parse,
});
