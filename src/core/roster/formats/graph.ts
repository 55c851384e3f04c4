// Microsoft Graph PowerShell: `Get-MgUser -All -Property … | Export-Csv` (SPEC §13). Windows
// PowerShell 5.1 writes a `#TYPE Microsoft.Graph.PowerShell.Models.MicrosoftGraphUser` line first
// (`#TYPE Selected.…` after Select-Object) unless told -NoTypeInformation; PowerShell 7 does not.
// The columns are Graph's property names as PowerShell spells them (UserPrincipalName, Mail,
// DisplayName, GivenName, Surname, AccountEnabled True/False, JobTitle, Department, and many more,
// ignored), in any order: read by graph-users.ts, as Entra's "Download users" is.
import { headerNames } from './cells.js';
import { defineFormat, type RosterProbe } from './format.js';
import { readGraphUsers } from './graph-users.js';

/** Export-Csv's type line for Graph's, AzureAD's or MSOnline's user objects. */
const TYPE_LINE = /^#TYPE\s+(Selected\.)?Microsoft\.(Graph|Open\.AzureAD|Online\.Administration)\./i;

function secondLine(text: string): string {
  const start = text.indexOf('\n') + 1;
  const end = text.indexOf('\n', start);
  return (start === 0 ? '' : text.slice(start, end < 0 ? undefined : end)).replace(/\r$/, '');
}

function detect({ firstLine, text }: RosterProbe) {
  if (TYPE_LINE.test(firstLine)) return 'content' as const;
  // Any other #TYPE line is PowerShell's too: the header is under it. A UserPrincipalName column
  // in any case (Select-Object writes the names as typed), but for the admin centre's camelCase
  // `userPrincipalName`, which is Entra's signature (entra.ts): the two are read alike anyway.
  const typed = /^#TYPE\s/i.test(firstLine);
  const upn = headerNames(typed ? secondLine(text) : firstLine).filter((h) => h.toLowerCase() === 'userprincipalname');
  return upn.length && (typed || !upn.includes('userPrincipalName')) ? ('content' as const) : undefined;
}

export default defineFormat({
  name: 'graph',
  description: 'Microsoft Graph PowerShell: Get-MgUser | Export-Csv, with or without its #TYPE line',
  detect,
  parse(text, file, libs) {
    const what = 'a Microsoft Graph user export';
    if (!/^#TYPE\s/i.test(text)) return readGraphUsers(text, file, libs, 1, what);
    const newline = text.indexOf('\n');
    return readGraphUsers(newline < 0 ? '' : text.slice(newline + 1), file, libs, 2, what);
  },
});
