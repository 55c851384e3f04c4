// The plan: a pure diff between the roster and the workspace (SPEC §8). Every row is validated and
// every problem reported together before anything changes.
import { DEFAULT_ROLE, newMember } from '../members/records.js';
import { localPart, normalizeEmail } from '../email.js';
import { fail, nameSome, RollcallError } from '../errors.js';
import { newId } from '../ids.js';
import type { Member, Org } from '../model.js';
import { OrgTree, normalizePath, orgPathNames } from '../orgs/tree.js';
import { roleNames } from '../access/roles.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { MemberFact as F, type MemberFacts } from '../store.js';
import { statusOf } from '../members/views.js';
import { restoreOrPurge } from '../members/rules.js';
import { problemAt, rowProblem, type RosterFile, type RosterProblem, type RosterRow } from './roster-file.js';
import { checkPrunable, planRemovals } from './plan-removals.js';
import type { ApplyOptions, Plan, PlannedChange } from './plan-types.js';
import { PlannedAdd } from './planned-add.js';
import { rosterInvalid } from './roster-invalid.js';
import { resolveChanges, type Wanted } from './plan-changes.js';
import { same } from '../same.js';
import type { RosterCommit } from './commit.js';
import { RowChecks, scopeCountProblem, twoFactorCell } from './row-checks.js';

export { DEFAULT_MAX_REMOVALS, type ApplyOptions, type RemovalLimit, type ChangeAction, type Plan, type PlannedChange, type Summary } from './plan-types.js';

/** Orgs the roster needs that do not exist yet, with their parents, as new records (ids made here). */
function orgsToCreate(s: UnitOfWork, tree: OrgTree, paths: string[], problems: RosterProblem[], file: string): Org[] {
  const created: Org[] = [];
  const byPath = new Map<string, Org>();
  for (const raw of paths) {
    let names: string[];
    try {
      names = orgPathNames(raw);
    } catch (e) {
      problems.push(problemAt(file, null, (e as Error).message));
      continue;
    }
    let parentId: string | null = null;
    for (let i = 0; i < names.length; i++) {
      const path = names.slice(0, i + 1).join('/');
      const org: Org = tree.find(path) ?? byPath.get(path.toLowerCase()) ?? { id: newId('o'), parentId, name: names[i], createdAt: s.nowIso };
      if (!tree.find(path) && !byPath.has(path.toLowerCase())) {
        byPath.set(path.toLowerCase(), org);
        created.push(org);
      }
      parentId = org.id;
    }
  }
  return created;
}

/** Rows planned at a time: the stored members they name are read for them, and let go after. */
const SLICE = 5000;

/** The stored members a slice of rows names, by address and by id. */
async function factsOf(s: UnitOfWork, rows: readonly RosterRow[]) {
  const emails: string[] = [];
  const ids: string[] = [];
  for (const r of rows) {
    if (r.email) emails.push(normalizeEmail(r.email));
    if (r.id) ids.push(r.id);
  }
  const byEmail = new Map<string, MemberFacts>();
  const byId = new Map<string, MemberFacts>();
  for (const m of await s.tx.memberFacts(emails, ids)) {
    byEmail.set(m[F.email], m);
    byId.set(m[F.id], m);
  }
  return { byEmail, byId };
}

/** How planRoster runs beyond planning. */
export interface PlanRun {
  /** Write each slice as it is planned (an apply, or its rehearsal): without it, nothing is written. */
  commit?: RosterCommit;
  /**
   * Let each slice's rows go once planned (the roster is not read again: an apply, not a preview
   * that is saved or shown first), so that a million-row roster is not held whole to the end.
   */
  release?: boolean;
}

/**
 * The plan. Stored members are read as MemberFacts (what a row is compared with), not as whole
 * records, for a slice of rows at a time: a row that changes nothing is judged on those and its own
 * values, and only members that change or go are read whole. With `run.commit`, each slice is
 * written as soon as it is planned, and its members let go; a row's problem stops the writing, and
 * every slice is still planned so that every problem is reported, before anything else.
 */
export async function planRoster(s: UnitOfWork, file: RosterFile, opts: ApplyOptions, run: PlanRun = {}): Promise<Plan> {
  const problems = [...file.problems];
  const existing = await s.orgs();
  const baseTree = new OrgTree(existing);
  const roles = new Set(await roleNames(s));
  const defaultRole = opts.defaultRole ?? DEFAULT_ROLE;
  if (!roles.has(defaultRole)) fail('INVALID_INPUT', `unknown role "${defaultRole}" for new members`, `roles: ${[...roles].join(', ')}`, 'defaultRole');

  // Orgs: those the file lists, plus (with --create-orgs) every one a row names.
  const referenced = new Set<string>();
  for (const r of file.rows) {
    for (const p of [r.fields.org, ...(r.fields.orgs ?? []), ...(r.fields.scope ?? [])]) if (p) referenced.add(p);
  }
  const wanted = [...file.orgs, ...(opts.createOrgs ? [...referenced] : [])];
  const newOrgs = orgsToCreate(s, baseTree, wanted, problems, file.file);
  const tree = newOrgs.length ? new OrgTree([...existing, ...newOrgs]) : baseTree;
  /** Each org path a row names, looked up once: its org's id (null: none). */
  const orgPaths = new Map<string, string | null>();

  const commit = run.commit;
  await commit?.begin(newOrgs);
  /** With prune: the members there were before anything was written (a slice's adds are not pruned). */
  const live = opts.prune ? await s.tx.liveMemberIds() : [];
  /** A slice's refusal (permission, address, domain): reported after the rows' problems and the removal rails. */
  let refusal: RollcallError | null = null;

  const checks = new RowChecks(file.file);
  const matched = new Set<string>();
  /** Members the file asks to remove, row by row: their ids. */
  const removing: string[] = [];
  /** Addresses the file asks to remove that are not (or no longer) members. */
  const gone: string[] = [];
  /** Locked-out members the file would unsuspend: they stay suspended (resolveChanges). */
  const lockedOut: string[] = [];
  let missingOrgs = false;
  /** Our YAML and JSON can list the orgs they need; other formats cannot. */
  const listsOrgs = file.format === 'yaml' || file.format === 'json';
  const plan: Plan = { changes: [], summary: { add: 0, change: 0, remove: 0, restore: 0 }, orgsToCreate: newOrgs, orgPaths: newOrgs.map((o) => tree.pathOf(o.id)!), notes: [...file.notes] };
  const rowCount = file.rows.length;

  for (let at = 0; at < rowCount; at += SLICE) {
    const slice = file.rows.slice(at, at + SLICE);
    if (run.release) file.rows.fill(undefined as unknown as RosterRow, at, at + slice.length);
    const { byEmail, byId } = await factsOf(s, slice);
    /** This slice's new members, and its rows that change one (with their place in plan.changes). */
    const adds: Member[] = [];
    const changing: Wanted[] = [];
    for (const row of slice) {
      const rowProblems = new Set<string>();
      const problem = (msg: string) => rowProblems.add(msg);
      // What needs no workspace first (row-checks.ts: also `roster validate`), then what does.
      const checked = checks.check(row, problem);
      const { byIdAlone, name, title } = checked;
      let email = checked.email;
      let member = email ? byEmail.get(email) : undefined;
      if (row.id) {
        const byItsId = byId.get(row.id);
        if (byItsId) member = byItsId;
        else if (byIdAlone) problem(`no member has the id ${row.id}, and no address comes with it to find the member by`);
        else if (!row.idMayBeForeign) problem(`no member has the id ${row.id}`);
        const holder = byItsId && email && byItsId[F.email] !== email ? byEmail.get(email) : undefined;
        if (holder) {
          problem(holder[F.deletedAt]
            ? `${email} belongs to a removed member that can still be restored: ${restoreOrPurge(email)} first`
            : `${email} already belongs to another member`);
        }
        if (byItsId && email && byItsId[F.email] !== email) checks.renames(byItsId[F.email], row, problem);
      }
      if (byIdAlone && member) checks.seen((email = member[F.email]), row, problem);
      if (row.changeOnly && !member && !rowProblems.size) {
        problem(`no member has the address ${email}${row.id ? ` or the id ${row.id}` : ''}: the row changes a member and cannot add one`);
      }
      if (row.remove) {
        if (rowProblems.size) for (const msg of rowProblems) problems.push(rowProblem(file, row, msg));
        else if (member && !member[F.deletedAt]) removing.push(member[F.id]);
        else gone.push(email);
        if (member && opts.prune) matched.add(member[F.id]);
        continue;
      }
      const f = row.fields;
      const resolveOrg = (path: string): string | null => {
        if (checks.pathProblem(path)) return null; // a row check
        let id = orgPaths.get(path);
        if (id === undefined) orgPaths.set(path, (id = tree.find(path)?.id ?? null));
        if (!id) {
          missingOrgs = true;
          problem(`no org "${normalizePath(path)}"${listsOrgs ? ' (not under orgs:, and not in the workspace)' : ''}`);
        }
        return id;
      };
      const role = 'role' in f ? (f.role ?? defaultRole) : (member?.[F.role] ?? defaultRole);
      if (!roles.has(role)) problem(`unknown role "${role}"`);
      const roleChanged = member ? role !== member[F.role] : false;
      const scope = 'scope' in f ? f.scope!.map(resolveOrg).filter((x): x is string => !!x) : roleChanged || !member ? [] : member[F.scope];
      const scopeCount = 'scope' in f ? f.scope!.length : scope.length;
      const badScope = roles.has(role) ? scopeCountProblem(role, scopeCount) : null;
      if (badScope) problem(badScope);
      const orgId = 'org' in f ? (f.org ? resolveOrg(f.org) : null) : (member?.[F.orgId] ?? null);
      const orgIds = 'orgs' in f ? [...new Set(f.orgs!.map(resolveOrg).filter((x): x is string => !!x))].filter((id) => id !== orgId) : (member?.[F.orgIds] ?? []);
      if (rowProblems.size) {
        for (const msg of rowProblems) problems.push(rowProblem(file, row, msg));
        continue;
      }
      // A status column: suspended suspends; active, invited, pending or an empty cell mean not suspended.
      const suspend = 'status' in f ? f.status?.toLowerCase() === 'suspended' : null;
      const twoFactor = 'twoFactor' in f ? twoFactorCell(f.twoFactor)! : (member?.[F.twoFactor] ?? false);
      if (!member) {
        const added = newMember({
          email, name: name || localPart(email), title, orgId, orgIds, role, scope, startDate: f.startDate ?? null, suspendedReason: suspend ? 'roster' : null, twoFactor,
        }, s.nowIso);
        adds.push(added);
        plan.changes.push(new PlannedAdd(added, tree, s.now));
        continue;
      }
      if (opts.prune) matched.add(member[F.id]);
      // Most rows of a re-applied roster change nothing: say so from the stored facts, before reading
      // the whole member and building the path-by-path comparison that the plan shows.
      const suspendedAt = member[F.suspendedAt];
      const unchanged = !member[F.deletedAt] && (email || member[F.email]) === member[F.email] && (name || member[F.name]) === member[F.name]
        && role === member[F.role] && same(scope, member[F.scope]) && orgId === member[F.orgId] && same(orgIds, member[F.orgIds])
        && ('title' in f ? title : member[F.title]) === member[F.title] && ('startDate' in f ? (f.startDate ?? null) : member[F.startDate]) === member[F.startDate]
        && !(suspend === true && !suspendedAt) && !(suspend === false && suspendedAt) && twoFactor === member[F.twoFactor];
      if (unchanged) continue;
      changing.push({
        slot: plan.changes.length, id: member[F.id], email, role, scope, orgId, orgIds, name, suspend, twoFactor,
        ...('title' in f ? { title } : {}), ...('startDate' in f ? { startDate: f.startDate ?? null } : {}),
      });
      plan.changes.push(null as unknown as PlannedChange); // its place, filled in below
    }
    if (problems.length || refusal) continue; // nothing more is written or shown: the roster is refused
    const updates = await resolveChanges(s, plan, changing, tree, lockedOut);
    if (!commit) continue;
    try {
      await commit.slice(adds, updates);
    } catch (e) {
      if (!(e instanceof RollcallError)) throw e;
      refusal = e;
    }
  }
  if (problems.length) rosterInvalid(problems, file, missingOrgs);
  if (gone.length) plan.notes.push(`${gone.length} address${gone.length > 1 ? 'es' : ''} the file removes ${gone.length > 1 ? 'are' : 'is'} not a member (already removed, or never added): ${nameSome(gone)}`);
  if (lockedOut.length) {
    plan.notes.push(`${lockedOut.length} member${lockedOut.length > 1 ? 's' : ''} locked out after failed sign-ins stay${lockedOut.length > 1 ? '' : 's'} suspended: a roster does not lift a lockout; `
      + `rollcall member unsuspend does, with a new temporary password: ${nameSome(lockedOut)}`);
  }
  if (opts.prune) checkPrunable(file, opts);
  const pruned = opts.prune ? live.filter((id) => !matched.has(id)) : [];

  // The members that go, by id: read whole only when written, a slice at a time.
  const doomed = [...removing, ...pruned];
  // Who may act before the rules (§2): a slice's or the removals' PERMISSION_DENIED before the rails.
  if (refusal?.code === 'PERMISSION_DENIED') throw refusal;
  await commit?.mayRemove(doomed);
  // A removal limit in percent is of the members there were before anything was written.
  await planRemovals(s, plan, doomed, opts, commit && (() => commit.seatsBefore()));
  if (refusal) throw refusal;
  await commit?.finish(doomed);
  plan.changes = plan.changes.filter((c) => c);
  for (const c of plan.changes) plan.summary[c.action]++;
  return plan;
}
