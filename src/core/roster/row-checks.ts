// The checks of a roster's rows that need no workspace (SPEC §8, §14): addresses, an address or id
// given twice, status values, start dates, the text rules, org path syntax and depth, and the scope
// count of a built-in role. The planner runs them on every row before it looks anything up; `roster
// validate` runs them alone, offline. The rest (ids and orgs that exist, custom roles, the rules of
// §3–§7 on the result) needs the workspace, and stays in the planner.
import { isValidEmail, normalizeEmail } from '../email.js';
import { BUILTIN_ROLE_NAMES, scopeArity } from '../access/permissions.js';
import { orgPathNames } from '../orgs/tree.js';
import { cleanText, startDateProblem, textProblem } from '../text.js';
import type { RosterRow } from './roster-file.js';

export const STATUS_VALUES = ['active', 'invited', 'pending', 'suspended'];

// Made once, not per row: the planner reads every row's 2fa cell.
const TWO_FACTOR_OFF = ['', 'false', 'off', 'no', '0'];
const TWO_FACTOR_ON = ['true', 'on', 'yes', '1'];

/** A 2fa cell: true/false, on/off, yes/no, 1/0 in any case; empty is off; anything else undefined. */
export function twoFactorCell(text: string | null | undefined): boolean | undefined {
  const t = (text ?? '').trim().toLowerCase();
  if (TWO_FACTOR_OFF.includes(t)) return false;
  if (TWO_FACTOR_ON.includes(t)) return true;
  return undefined;
}

/** What a row says, once checked: its address (normalised) and its text (cleaned). */
export interface CheckedRow {
  email: string;
  /** A removal or a change-only row naming its member by id alone (no address). */
  byIdAlone: boolean;
  name: string | null;
  title: string | null;
}

/** What is wrong with an org path's syntax or depth, or null. */
export function orgPathProblem(path: string): string | null {
  try {
    orgPathNames(path);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** What is wrong with `count` scopes for `role`, or null. */
export function scopeCountProblem(role: string, count: number): string | null {
  const arity = scopeArity(role);
  if (count >= arity.min && count <= arity.max) return null;
  return arity.max === 0 ? `the role ${role} takes no scope` : arity.max === 1 ? `the role ${role} takes exactly one scope` : `the role ${role} needs at least one scope`;
}

export function isBuiltinRole(role: string): boolean {
  return BUILTIN_ROLE_NAMES.includes(role);
}

/** The problem of a row naming, by `address`, the member another row renames away from it. */
function renamesAway(address: string, at: string, earlier = false): string {
  return earlier
    ? `this row renames ${address}, which the row at ${at} names too: a member is named by one row (to give its address to someone else, apply the rename first)`
    : `${address} is the address the row at ${at} renames away: a member is named by one row (to give its address to someone else, apply the rename first)`;
}

/** The row checks over one roster, in row order: it remembers the addresses and ids seen so far. */
export class RowChecks {
  /** Addresses and ids seen so far → the row's line (or its place, when it has no line): no row is kept. */
  private readonly seenEmail = new Map<string, number | string>();
  private readonly seenId = new Map<string, number | string>();
  /** Addresses members have now that a row gives up by renaming them → that row's place. */
  private readonly vacated = new Map<string, number | string>();
  private readonly pathProblems = new Map<string, string | null>();

  /** `file`: the roster's name, for "first at FILE:LINE". */
  constructor(private readonly file: string) {}

  private placeOf(row: RosterRow): number | string {
    return row.where ?? row.line ?? this.file;
  }

  private place(at: number | string | undefined): string {
    return typeof at === 'number' ? `${this.file}:${at}` : String(at);
  }

  /** What is wrong with an org path, or null; remembered, as a roster names the same orgs again and again. */
  pathProblem(path: string): string | null {
    let problem = this.pathProblems.get(path);
    if (problem === undefined) this.pathProblems.set(path, (problem = orgPathProblem(path)));
    return problem;
  }

  /** A repeated address: the later row is the problem. */
  seen(address: string, row: RosterRow, problem: (message: string) => void) {
    // One lookup, not has() then get(): 100,000 rows are 100,000 lookups of new strings.
    const first = this.seenEmail.get(address);
    if (first !== undefined) problem(`${address} appears twice (first at ${this.place(first)})`);
    else this.seenEmail.set(address, this.placeOf(row));
    const renamed = this.vacated.size ? this.vacated.get(address) : undefined;
    if (renamed !== undefined) problem(renamesAway(address, this.place(renamed)));
  }

  /**
   * A row that finds its member by id and gives it another address (`from` is the member's
   * address now). Any other row naming `from`, before or after, names the same member a second
   * time (or, once the rename is written, would add someone under the address it leaves): which of
   * the two rows was meant cannot be told, so the later one is the problem. Renames are few: only
   * they are remembered.
   */
  renames(from: string, row: RosterRow, problem: (message: string) => void) {
    const earlier = this.seenEmail.get(from);
    if (earlier !== undefined) problem(renamesAway(from, this.place(earlier), true));
    this.vacated.set(from, this.placeOf(row));
  }

  /** Every check of `row` that needs no workspace, each problem through `problem`. */
  check(row: RosterRow, problem: (message: string) => void): CheckedRow {
    const email = normalizeEmail(row.email ?? '');
    // A removal or a change-only row (a SCIM DELETE or PATCH) may name its member by id alone.
    const byIdAlone = !email && !!row.id && !!(row.remove || row.changeOnly);
    if (!byIdAlone) {
      if (!email) problem('the email is empty');
      else if (!isValidEmail(email)) problem(`not a valid email address: "${row.email}"`);
      else this.seen(email, row, problem);
    }
    if (row.id) {
      if (this.seenId.has(row.id)) problem(`id ${row.id} appears twice (first at ${this.place(this.seenId.get(row.id))})`);
      this.seenId.set(row.id, this.placeOf(row));
    }
    if (row.remove) return { email, byIdAlone, name: null, title: null };
    const f = row.fields;
    // Scope, org, then orgs, without an array of them all per row.
    if (f.scope) for (const path of f.scope) this.checkPath(path, problem);
    if (f.org) this.checkPath(f.org, problem);
    if (f.orgs) for (const path of f.orgs) this.checkPath(path, problem);
    // The scope count of a built-in role, where the row gives both (the planner checks the rest).
    if (f.role && isBuiltinRole(f.role) && f.scope) {
      const wrong = scopeCountProblem(f.role, f.scope.length);
      if (wrong) problem(wrong);
    }
    const badDate = f.startDate ? startDateProblem(f.startDate) : null;
    if (badDate) problem(badDate);
    if (f.status && !STATUS_VALUES.includes(f.status.toLowerCase())) problem(`status "${f.status}" is not one of ${STATUS_VALUES.join(', ')}`);
    if (twoFactorCell(f.twoFactor) === undefined) problem(`2fa "${f.twoFactor}" is not one of true, false (or on/off, yes/no, 1/0; empty is off)`);
    // The same text rules as member add: NFC, trimmed, no NUL, at most 200 characters.
    const name = f.name ? cleanText(f.name) : null;
    const title = f.title ? cleanText(f.title) : null;
    const wrongName = name ? textProblem(name, 'name') : null;
    if (wrongName) problem(wrongName);
    const wrongTitle = title ? textProblem(title, 'title') : null;
    if (wrongTitle) problem(wrongTitle);
    return { email, byIdAlone, name, title };
  }

  private checkPath(path: string, problem: (message: string) => void) {
    const wrong = this.pathProblem(path);
    if (wrong) problem(wrong);
  }
}
