// The plan: a pure diff between the roster and the workspace (SPEC §8). Every row is validated and
// every problem reported together before anything changes.
import { DEFAULT_ROLE, newMember } from '../members/records.js';
import { cleanText, startDateProblem, textProblem } from '../text.js';
import { isValidEmail, localPart, normalizeEmail } from '../email.js';
import { fail, nameSome, RollcallError } from '../errors.js';
import { newId } from '../ids.js';
import type { Member, Org } from '../model.js';
import { OrgTree, normalizePath, orgDepthProblem, orgPathNames } from '../orgs/tree.js';
import { scopeArity } from '../access/permissions.js';
import { roleNames } from '../access/roles.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { statusOf } from '../members/views.js';
import { inFileOrder, problemAt, problemText, rowProblem, type RosterFile, type RosterProblem } from './roster-file.js';

export interface ApplyOptions {
  prune?: boolean;
  maxRemovals?: number;
  createOrgs?: boolean;
  defaultRole?: string;
  /** A prune by a roster listing no members (removing everyone) is meant. */
  allowEmpty?: boolean;
}

export type ChangeAction = 'add' | 'change' | 'remove' | 'restore';

export interface PlannedChange {
  action: ChangeAction;
  email: string;
  fields?: Record<string, { from: unknown; to: unknown }>;
}

export interface Summary {
  add: number;
  change: number;
  remove: number;
  restore: number;
}

/** The plan, and the members as they will be: what apply writes. */
export interface Plan {
  changes: PlannedChange[];
  summary: Summary;
  orgsToCreate: Org[];
  /** Paths of orgsToCreate, in the same order. */
  orgPaths: string[];
  notes: string[];
  adds: Member[];
  updates: Array<{ before: Member; after: Member }>; // changes and restores
  removals: Array<{ before: Member; after: Member }>;
}

export const DEFAULT_MAX_REMOVALS = 10;
const STATUS_VALUES = ['active', 'invited', 'pending', 'suspended'];

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

/** ROSTER_INVALID listing every problem in file order, the list also as data (for --json). */
function rosterInvalid(found: RosterProblem[]): never {
  const problems = inFileOrder(found);
  const shown = problems.slice(0, 200).map(problemText).join('\n');
  const more = problems.length > 200 ? `\n… and ${problems.length - 200} more` : '';
  throw new RollcallError('ROSTER_INVALID', `${problems.length} problem${problems.length > 1 ? 's' : ''} in the roster, nothing was changed:\n${shown}${more}`,
    'fix the rows named above and run again', undefined, { problems: problems.map(({ line, message }) => ({ line, message })) });
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

  const seenEmail = new Map<string, string>();
  const seenId = new Map<string, string>();
  const matched = new Set<string>();
  const plan: Plan = { changes: [], summary: { add: 0, change: 0, remove: 0, restore: 0 }, orgsToCreate: newOrgs, orgPaths: newOrgs.map((o) => tree.pathOf(o.id)!), notes: [...file.notes], adds: [], updates: [], removals: [] };

  for (const row of file.rows) {
    const rowProblems = new Set<string>();
    const problem = (msg: string) => rowProblems.add(msg);
    const email = normalizeEmail(row.email ?? '');
    if (!email) problem('the email is empty');
    else if (!isValidEmail(email)) problem(`not a valid email address: "${row.email}"`);
    else if (seenEmail.has(email)) problem(`${email} appears twice (first at ${seenEmail.get(email)})`);
    else seenEmail.set(email, row.where);
    let member = email ? byEmail.get(email) : undefined;
    if (row.id) {
      if (seenId.has(row.id)) problem(`id ${row.id} appears twice (first at ${seenId.get(row.id)})`);
      seenId.set(row.id, row.where);
      member = byId.get(row.id);
      if (!member) problem(`no member has the id ${row.id}`);
      else if (email && member.email !== email && byEmail.has(email)) problem(`${email} already belongs to another member`);
    }
    const f = row.fields;
    const resolveOrg = (path: string): string | null => {
      const deep = orgDepthProblem(path);
      if (deep) {
        problem(deep);
        return null;
      }
      const org = tree.find(path);
      if (!org) problem(`no org "${normalizePath(path)}" (list it under orgs:, create it with rollcall org add, or pass --create-orgs)`);
      return org?.id ?? null;
    };
    const role = 'role' in f ? (f.role ?? defaultRole) : (member?.role ?? defaultRole);
    if (!roles.has(role)) problem(`unknown role "${role}"`);
    const roleChanged = member ? role !== member.role : false;
    const scope = 'scope' in f ? f.scope!.map(resolveOrg).filter((x): x is string => !!x) : roleChanged || !member ? [] : member.scope;
    const arity = scopeArity(role);
    const scopeCount = 'scope' in f ? f.scope!.length : scope.length;
    if (roles.has(role) && (scopeCount < arity.min || scopeCount > arity.max)) {
      problem(arity.max === 0 ? `the role ${role} takes no scope` : arity.max === 1 ? `the role ${role} takes exactly one scope` : `the role ${role} needs at least one scope`);
    }
    const orgId = 'org' in f ? (f.org ? resolveOrg(f.org) : null) : (member?.orgId ?? null);
    const orgIds = 'orgs' in f ? [...new Set(f.orgs!.map(resolveOrg).filter((x): x is string => !!x))].filter((id) => id !== orgId) : (member?.orgIds ?? []);
    const badDate = f.startDate ? startDateProblem(f.startDate) : null;
    if (badDate) problem(badDate);
    if (f.status && !STATUS_VALUES.includes(f.status.toLowerCase())) problem(`status "${f.status}" is not one of ${STATUS_VALUES.join(', ')}`);
    // The same text rules as member add: NFC, trimmed, no NUL, at most 200 characters.
    const name = f.name ? cleanText(f.name) : null;
    const title = f.title ? cleanText(f.title) : null;
    for (const [text, what] of [[name, 'name'], [title, 'title']] as const) {
      const wrong = text ? textProblem(text, what) : null;
      if (wrong) problem(wrong);
    }
    if (rowProblems.size) {
      for (const msg of rowProblems) problems.push(rowProblem(file, row, msg));
      continue;
    }
    // A status column: suspended suspends; active, invited, pending or an empty cell mean not suspended.
    const suspend = 'status' in f ? f.status?.toLowerCase() === 'suspended' : null;
    if (!member) {
      const added = newMember({
        email, name: name || localPart(email), title, orgId, orgIds, role, scope, startDate: f.startDate ?? null, suspendedReason: suspend ? 'roster' : null,
      }, s.nowIso);
      plan.adds.push(added);
      plan.changes.push({ action: 'add', email, fields: addedFields(added, tree, s.now) });
      continue;
    }
    matched.add(member.id);
    const after: Member = { ...member, email: email || member.email, role, scope, orgId, orgIds };
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
      && after.title === member.title && after.startDate === member.startDate && after.suspendedAt === member.suspendedAt;
    if (unchanged) continue;
    const fields: Record<string, { from: unknown; to: unknown }> = {};
    const paths = (ids: string[]) => ids.map((id) => tree.pathOf(id));
    const compare: Array<[string, unknown, unknown]> = [
      ['email', member.email, after.email], ['name', member.name, after.name], ['role', member.role, after.role],
      ['scope', paths(member.scope), paths(after.scope)], ['org', tree.pathOf(member.orgId), tree.pathOf(after.orgId)],
      ['orgs', paths(member.orgIds), paths(after.orgIds)], ['title', member.title, after.title], ['startDate', member.startDate, after.startDate],
      ['status', statusOf(member, s.now), statusOf(after, s.now)],
    ];
    for (const [name, from, to] of compare) if (!same(from, to)) fields[name] = { from, to };
    if (!restoring && !Object.keys(fields).length) continue;
    after.updatedAt = s.nowIso;
    plan.updates.push({ before: member, after });
    plan.changes.push({ action: restoring ? 'restore' : 'change', email: after.email, ...(Object.keys(fields).length ? { fields } : {}) });
  }
  if (problems.length) rosterInvalid(problems);
  if (opts.prune && !file.rows.length && !opts.allowEmpty) {
    fail('ROSTER_INVALID', `${file.file} lists no members: pruning by it would remove every member`, 'if removing everyone is meant, allow an empty roster', 'allowEmpty');
  }

  if (opts.prune) {
    const doomed = members.filter((m) => !m.deletedAt && !matched.has(m.id));
    const max = opts.maxRemovals ?? DEFAULT_MAX_REMOVALS;
    if (s.actor && doomed.some((m) => m.id === s.actor!.id)) {
      fail('INVALID_STATE', `the roster would prune ${s.actor.email}, the member applying it`, 'add yourself to the roster, or apply it as another member');
    }
    if (doomed.length > max) {
      fail('REMOVAL_LIMIT', `the roster would remove ${doomed.length} members, more than the limit of ${max}: ${nameSome(doomed.map((m) => m.email))}`,
        `check the roster; if it is right, allow ${doomed.length} removals`, 'maxRemovals');
    }
    for (const m of doomed) {
      plan.removals.push({ before: m, after: { ...m, deletedAt: s.nowIso, removedBy: s.actor?.email ?? null, removedBatch: s.batch, updatedAt: s.nowIso } });
      plan.changes.push({ action: 'remove', email: m.email });
    }
  }
  for (const c of plan.changes) plan.summary[c.action]++;
  return plan;
}
