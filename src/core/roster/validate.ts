// `roster validate`: a roster checked offline, with no workspace and no sign-in (SPEC §14), as
// `terraform validate` checks a configuration: what parsing finds, and every row check that needs
// no workspace (row-checks.ts, the planner's own). What only the workspace can tell is left to the
// apply, and the result says so: whether ids and orgs exist, roles that are not built in (they may
// be the workspace's custom roles), and the rules of §3–§7 on the result.
import { problemAt, rowProblem, type RosterFile, type RosterProblem } from './roster-file.js';
import { rosterInvalid } from './roster-invalid.js';
import { RowChecks, isBuiltinRole, orgPathProblem } from './row-checks.js';

export interface Validated {
  file: string;
  format: string;
  /** Rows that add or change a member. */
  members: number;
  /** Rows that ask for a member's removal (an Entra bulk-delete file, a SCIM DELETE). */
  removals: number;
  /** Roles the file names that are not built in: an apply checks them against the workspace's custom roles. */
  customRoles: string[];
  notes: string[];
}

/** The roster's problems (none: a `Validated`), ROSTER_INVALID with all of them otherwise. */
export function validateRoster(file: RosterFile): Validated {
  const problems: RosterProblem[] = [...file.problems];
  for (const path of file.orgs) {
    const wrong = orgPathProblem(path);
    if (wrong) problems.push(problemAt(file.file, null, wrong));
  }
  const checks = new RowChecks(file.file);
  const customRoles = new Set<string>();
  for (const row of file.rows) {
    const found = new Set<string>();
    checks.check(row, (message) => found.add(message));
    for (const message of found) problems.push(rowProblem(file, row, message));
    const role = row.fields.role;
    if (!row.remove && role && !isBuiltinRole(role)) customRoles.add(role);
  }
  if (problems.length) rosterInvalid(problems, file, false);
  const removals = file.rows.filter((r) => r.remove).length;
  const notes = [...file.notes];
  if (file.partial) notes.push(`${file.file} is ${file.partial}: it adds and changes members, and cannot be pruned by`);
  if (customRoles.size) notes.push(`not built-in roles, checked against the workspace's custom roles when applied: ${[...customRoles].join(', ')}`);
  return { file: file.file, format: file.format, members: file.rows.length - removals, removals, customRoles: [...customRoles], notes };
}
