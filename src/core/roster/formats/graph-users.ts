// Microsoft Graph user objects as CSV, one row a user, columns named by Graph's property names in
// any case and order: the Entra admin centre's "Download users" (camelCase: userPrincipalName,
// accountEnabled …) and Get-MgUser | Export-Csv from Graph PowerShell (PascalCase, perhaps after a
// `#TYPE …` line), which the older AzureAD (Get-AzureADUser) and MSOnline (Get-MsolUser) modules
// write alike. Not a format itself: entra.ts and graph.ts read their files through it (SPEC §13).
import { problemAt, type RosterFields, type RosterRead } from '../roster-file.js';
import { boolCell, filledFields, headerIndex, textCell, topLevelOrg } from './cells.js';
import { emptyRead, type ParseLibs } from './format.js';
import { personName } from './names.js';

/** Property names, lower case → what they give. Every other column (id, userType, usageLocation …) is ignored. */
const PROPERTIES: Record<string, string> = {
  userprincipalname: 'upn', mail: 'mail', displayname: 'name', givenname: 'given', surname: 'surname',
  jobtitle: 'title', department: 'org', accountenabled: 'enabled',
  // Get-MsolUser (MSOnline) names some of them otherwise; BlockCredential True is accountEnabled false.
  firstname: 'given', lastname: 'surname', title: 'title', blockcredential: 'blocked',
};

/** A guest's UPN (`ann_example.com#EXT#@tenant.onmicrosoft.com`) is no address anyone reads. */
const GUEST_UPN = /#ext#@/i;

/**
 * What Microsoft's user files (Entra's templates, its download, Graph) say of a member, from the
 * columns filled in some row: displayName (else givenName and surname), jobTitle, and department
 * as one top-level org.
 */
export function directoryFields(filled: ReadonlySet<string>, get: (field: string) => string): RosterFields {
  const fields: RosterFields = {};
  if (filled.has('name') || filled.has('given') || filled.has('surname')) {
    const name = textCell(get('name')) ?? personName(get('given'), get('surname'));
    if (name) fields.name = name;
  }
  if (filled.has('title')) fields.title = textCell(get('title'));
  if (filled.has('org')) fields.org = topLevelOrg(get('org'));
  return fields;
}

/**
 * Reads `text` (its first line numbered `firstLine`) as a table of Graph users. `what` names the
 * file in messages. Email: userPrincipalName, the sign-in name, as for Entra's bulk-create file;
 * a guest's `mail` when it has one; `mail` when there is no userPrincipalName column at all.
 */
export function readGraphUsers(text: string, file: string, { csv }: ParseLibs, firstLine: number, what: string): RosterRead {
  const out = emptyRead();
  const table = csv.readCsvTable(text, file, out.problems, firstLine);
  if (!table) {
    if (!out.problems.length) out.problems.push(problemAt(file, null, `${what} has a header line naming its columns`, 'file'));
    return out;
  }
  const { header, body } = table;
  const index = headerIndex(header.cells, PROPERTIES);
  if (!index.has('upn') && !index.has('mail')) {
    out.problems.push(problemAt(file, header.line, `${what} needs a userPrincipalName (or mail) column; the header has: ${header.cells.join(', ')}`, 'header'));
    return out;
  }
  const filled = filledFields(index, body);
  for (const r of body) {
    const get = (k: string) => (index.has(k) ? (r.cells[index.get(k)!] ?? '').trim() : '');
    const upn = get('upn');
    const email = !index.has('upn') || (GUEST_UPN.test(upn) && get('mail')) ? get('mail') : upn;
    const fields = directoryFields(filled, get);
    for (const [key, label, enabledWhen] of [['enabled', 'accountEnabled', true], ['blocked', 'BlockCredential', false]] as const) {
      if (!filled.has(key) || 'status' in fields) continue;
      const value = boolCell(get(key));
      if (value === undefined) out.problems.push(problemAt(file, r.line, `${label} is "${get(key)}", not True or False`));
      else if (value !== null) fields.status = value === enabledWhen ? 'active' : 'suspended';
    }
    out.rows.push({ where: `${file}:${r.line}`, line: r.line, email, fields });
  }
  return out;
}
