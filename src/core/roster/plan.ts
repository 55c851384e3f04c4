// The plan: a pure diff between the roster and the workspace (SPEC §8). Every row is validated and
// every problem reported together before anything changes.
import { DEFAULT_ROLE, newMember } from '../members/records.js';
import { localPart } from '../email.js';
import { fail, nameSome } from '../errors.js';
import { newId } from '../ids.js';
import type { Member, Org } from '../model.js';
import { OrgTree, normalizePath, orgPathNames } from '../orgs/tree.js';
import { roleNames } from '../access/roles.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { statusOf } from '../members/views.js';
import { problemAt, rowProblem, type RosterFile, type RosterProblem } from './roster-file.js';
import { checkPrunable, planRemovals } from './plan-removals.js';
import type { ApplyOptions, Plan } from './plan-types.js';
import { rosterInvalid } from './roster-invalid.js';
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

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** What a new member will be, as the plan shows it: every field it gets, from nothing. */
function addedFields(m: Member, tree: OrgTree, now: Date): Record<string, { from: null; to: unknown }> {
  const fields: Record<string, { from: null; to: unknown }> = {};
  const set = (name: string, to: unknown) => {
    if (to !== null && to !== undefined && !(Array.isArray(to) && !to.length)) fields[name] = { from: null, to };
  };
  set('name', m.name);
  set('role', m.role);
  set('scope', m.scope.map((id) => tree.pathOf(id)));
  set('org', tree.pathOf(m.orgId));
  set('orgs', m.orgIds.map((id) => tree.pathOf(id)));
  set('title', m.title);
  set('startDate', m.startDate);
  set('status', statusOf(m, now));
  if (m.twoFactor) set('twoFactor', true);
  return fields;
}

export async function planRoster(s: UnitOfWork, file: RosterFile, opts: ApplyOptions): Promise<Plan> {
  const problems = [...file.problems];
  const members = await s.tx.listMembers();
  const byEmail = new Map(members.map((m) => [m.email, m]));
  const byId = new Map(members.map((m) => [m.id, m]));
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

  const checks = new RowChecks();
  const matched = new Set<string>();
  /** Members the file asks to remove, row by row. */
  const removing: Member[] = [];
  /** Addresses the file asks to remove that are not (or no longer) members. */
  const gone: string[] = [];
  let missingOrgs = false;
  /** Our YAML and JSON can list the orgs they need; other formats cannot. */
  const listsOrgs = file.format === 'yaml' || file.format === 'json';
  const plan: Plan = { changes: [], summary: { add: 0, change: 0, remove: 0, restore: 0 }, orgsToCreate: newOrgs, orgPaths: newOrgs.map((o) => tree.pathOf(o.id)!), notes: [...file.notes], adds: [], updates: [], removals: [] };

  for (const row of file.rows) {
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
      if (byItsId && email && byItsId.email !== email && byEmail.has(email)) problem(`${email} already belongs to another member`);
    }
    if (byIdAlone && member) checks.seen((email = member.email), row, problem);
    if (row.changeOnly && !member && !rowProblems.size) {
      problem(`no member has the address ${email}${row.id ? ` or the id ${row.id}` : ''}: the row changes a member and cannot add one`);
    }
    if (row.remove) {
      if (rowProblems.size) for (const msg of rowProblems) problems.push(rowProblem(file, row, msg));
      else if (member && !member.deletedAt) removing.push(member);
      else gone.push(email);
      if (member) matched.add(member.id);
      continue;
    }
    const f = row.fields;
    const resolveOrg = (path: string): string | null => {
      if (checks.pathProblem(path)) return null; // a row check
      const org = tree.find(path);
      if (!org) {
        missingOrgs = true;
        problem(`no org "${normalizePath(path)}"${listsOrgs ? ' (not under orgs:, and not in the workspace)' : ''}`);
      }
      return org?.id ?? null;
    };
    const role = 'role' in f ? (f.role ?? defaultRole) : (member?.role ?? defaultRole);
    if (!roles.has(role)) problem(`unknown role "${role}"`);
    const roleChanged = member ? role !== member.role : false;
    const scope = 'scope' in f ? f.scope!.map(resolveOrg).filter((x): x is string => !!x) : roleChanged || !member ? [] : member.scope;
    const scopeCount = 'scope' in f ? f.scope!.length : scope.length;
    const badScope = roles.has(role) ? scopeCountProblem(role, scopeCount) : null;
    if (badScope) problem(badScope);
    const orgId = 'org' in f ? (f.org ? resolveOrg(f.org) : null) : (member?.orgId ?? null);
    const orgIds = 'orgs' in f ? [...new Set(f.orgs!.map(resolveOrg).filter((x): x is string => !!x))].filter((id) => id !== orgId) : (member?.orgIds ?? []);
    if (rowProblems.size) {
      for (const msg of rowProblems) problems.push(rowProblem(file, row, msg));
      continue;
    }
    // A status column: suspended suspends; active, invited, pending or an empty cell mean not suspended.
    const suspend = 'status' in f ? f.status?.toLowerCase() === 'suspended' : null;
    const twoFactor = 'twoFactor' in f ? twoFactorCell(f.twoFactor)! : (member?.twoFactor ?? false);
    if (!member) {
      const added = newMember({
        email, name: name || localPart(email), title, orgId, orgIds, role, scope, startDate: f.startDate ?? null, suspendedReason: suspend ? 'roster' : null, twoFactor,
      }, s.nowIso);
      plan.adds.push(added);
      plan.changes.push({ action: 'add', email, fields: addedFields(added, tree, s.now) });
      continue;
    }
    matched.add(member.id);
    const after: Member = { ...member, email: email || member.email, role, scope, orgId, orgIds, twoFactor };
    if (name) after.name = name;
    if ('title' in f) after.title = title;
    if ('startDate' in f) after.startDate = f.startDate ?? null;
    if (suspend === true && !member.suspendedAt) Object.assign(after, { suspendedAt: s.nowIso, suspendedReason: 'roster' });
    if (suspend === false && member.suspendedAt) Object.assign(after, { suspendedAt: null, suspendedReason: null });
    const restoring = !!member.deletedAt;
    if (restoring) Object.assign(after, { deletedAt: null, removedBy: null, removedBatch: null });
    // Most rows of a re-applied roster change nothing: say so from the stored values, before
    // building the path-by-path comparison that the plan shows.
    const unchanged = !restoring && after.email === member.email && after.name === member.name && after.role === member.role
      && same(after.scope, member.scope) && after.orgId === member.orgId && same(after.orgIds, member.orgIds)
      && after.title === member.title && after.startDate === member.startDate && after.suspendedAt === member.suspendedAt
      && after.twoFactor === member.twoFactor;
    if (unchanged) continue;
    const fields: Record<string, { from: unknown; to: unknown }> = {};
    const paths = (ids: string[]) => ids.map((id) => tree.pathOf(id));
    const compare: Array<[string, unknown, unknown]> = [
      ['email', member.email, after.email], ['name', member.name, after.name], ['role', member.role, after.role],
      ['scope', paths(member.scope), paths(after.scope)], ['org', tree.pathOf(member.orgId), tree.pathOf(after.orgId)],
      ['orgs', paths(member.orgIds), paths(after.orgIds)], ['title', member.title, after.title], ['startDate', member.startDate, after.startDate],
      ['status', statusOf(member, s.now), statusOf(after, s.now)], ['twoFactor', member.twoFactor, after.twoFactor],
    ];
    for (const [name, from, to] of compare) if (!same(from, to)) fields[name] = { from, to };
    if (!restoring && !Object.keys(fields).length) continue;
    after.updatedAt = s.nowIso;
    plan.updates.push({ before: member, after });
    plan.changes.push({ action: restoring ? 'restore' : 'change', email: after.email, ...(Object.keys(fields).length ? { fields } : {}) });
  }
  if (problems.length) rosterInvalid(problems, file, missingOrgs);
  if (gone.length) plan.notes.push(`${gone.length} address${gone.length > 1 ? 'es' : ''} the file removes ${gone.length > 1 ? 'are' : 'is'} not a member (already removed, or never added): ${nameSome(gone)}`);
  if (opts.prune) checkPrunable(file, opts);
  const pruned = opts.prune ? members.filter((m) => !m.deletedAt && !matched.has(m.id)) : [];
  await planRemovals(s, plan, [...removing, ...pruned], opts);
  for (const c of plan.changes) plan.summary[c.action]++;
  return plan;
}
