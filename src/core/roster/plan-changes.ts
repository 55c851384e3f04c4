// A roster row's change to a stored member (SPEC §8): what the row asks, the member as it will be,
// and the field-by-field comparison the plan shows.
import { fail } from '../errors.js';
import type { Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { LOCKOUT_REASON } from '../members/suspend.js';
import { same } from '../same.js';
import { statusOf } from '../members/views.js';
import type { Update } from './commit.js';
import type { Plan } from './plan-types.js';


/** What a row asks of a member it matched, as the row computed it; applied to the whole member once it is read. */
export interface Wanted {
  slot: number;
  id: string;
  email: string;
  role: string;
  scope: string[];
  orgId: string | null;
  orgIds: string[];
  name: string | null;
  title?: string | null;
  startDate?: string | null;
  suspend: boolean | null;
  twoFactor: boolean;
}

/** The member as the row wants it: the stored member with the row's fields over it. */
function afterOf(s: UnitOfWork, member: Member, w: Wanted): Member {
  const after: Member = { ...member, email: w.email || member.email, role: w.role, scope: w.scope, orgId: w.orgId, orgIds: w.orgIds, twoFactor: w.twoFactor };
  if (w.name) after.name = w.name;
  if (w.title !== undefined) after.title = w.title;
  if (w.startDate !== undefined) after.startDate = w.startDate;
  if (w.suspend === true && !member.suspendedAt) Object.assign(after, { suspendedAt: s.nowIso, suspendedReason: 'roster' });
  // A lockout is lifted by `member unsuspend` alone, which also ends the password that may have been
  // guessed at; a roster (a CI job's, run again and again) would hand it back, as SCIM's active would.
  if (w.suspend === false && member.suspendedAt && member.suspendedReason !== LOCKOUT_REASON) Object.assign(after, { suspendedAt: null, suspendedReason: null });
  if (member.deletedAt) Object.assign(after, { deletedAt: null, removedBy: null, removedBatch: null });
  return after;
}

/** The path-by-path comparison the plan shows: only the fields that differ. */
function changedFields(member: Member, after: Member, tree: OrgTree, now: Date): Record<string, { from: unknown; to: unknown }> {
  const fields: Record<string, { from: unknown; to: unknown }> = {};
  const paths = (ids: string[]) => ids.map((id) => tree.pathOf(id));
  const compare: Array<[string, unknown, unknown]> = [
    ['email', member.email, after.email], ['name', member.name, after.name], ['role', member.role, after.role],
    ['scope', paths(member.scope), paths(after.scope)], ['org', tree.pathOf(member.orgId), tree.pathOf(after.orgId)],
    ['orgs', paths(member.orgIds), paths(after.orgIds)], ['title', member.title, after.title], ['startDate', member.startDate, after.startDate],
    ['status', statusOf(member, now), statusOf(after, now)], ['twoFactor', member.twoFactor, after.twoFactor],
  ];
  for (const [name, from, to] of compare) if (!same(from, to)) fields[name] = { from, to };
  return fields;
}

/**
 * The changes of a slice's rows that a stored member's facts could not settle: each member read whole
 * and compared field by field, in its place in plan.changes (a row that turns out to change nothing
 * leaves its place empty). Returns the members as they are and as they will be; the locked-out
 * members a row would unsuspend, which stay suspended, join `lockedOut`.
 */
export async function resolveChanges(s: UnitOfWork, plan: Plan, changing: readonly Wanted[], tree: OrgTree, lockedOut: string[]): Promise<Update[]> {
  if (!changing.length) return [];
  const whole = new Map((await s.tx.getMembers(changing.map((w) => w.id))).map((m) => [m.id, m]));
  const updates: Update[] = [];
  for (const w of changing) {
    const member = whole.get(w.id) ?? fail('INVALID_STATE', `member ${w.id} changed while the roster was planned`);
    const after = afterOf(s, member, w);
    if (w.suspend === false && after.suspendedReason === LOCKOUT_REASON) lockedOut.push(member.email);
    const restoring = !!member.deletedAt;
    const fields = changedFields(member, after, tree, s.now);
    if (!restoring && !Object.keys(fields).length) continue;
    after.updatedAt = s.nowIso;
    updates.push({ before: member, after });
    plan.changes[w.slot] = { action: restoring ? 'restore' : 'change', email: after.email, ...(Object.keys(fields).length ? { fields } : {}) };
  }
  return updates;
}

