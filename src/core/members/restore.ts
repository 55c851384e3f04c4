// member restore (SPEC §3): within the 7-day window, by member, by batch, or by time of removal.
import { orgsOf, requirePermission } from '../access/grants.js';
import { normalizeEmail } from '../email.js';
import { fail, nameSome } from '../errors.js';
import { RESTORE_WINDOW_DAYS, type Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import { seatsFor } from './rules.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { auditSnapshot, restorableUntil, type MemberView, viewsOf } from './views.js';
import { resolveTarget, resolveTargets } from './targets.js';

/** Groups a member held when it was removed that no longer hold it: gone since, so not restored. */
async function lostGroups(s: UnitOfWork, m: Member): Promise<string[]> {
  if (!m.removedBatch) return [];
  const events = await s.tx.listAudit({ batch: m.removedBatch, target: m.email, action: 'member.remove', limit: 1 });
  const held = (events[0] ? (JSON.parse(events[0].body).before?.groups as Array<{ group: string }> | undefined) : undefined) ?? [];
  if (!held.length) return [];
  const now = new Set((await s.tx.listGroupMemberships({ memberId: m.id })).map((gm) => gm.groupId));
  const byName = new Map((await s.tx.listGroups()).map((g) => [g.name, g.id]));
  return held.filter((h) => !byName.has(h.group) || !now.has(byName.get(h.group)!)).map((h) => h.group);
}

function expiredRestores(members: readonly Member[], now: Date): string[] {
  return members.filter((m) => Date.parse(restorableUntil(m)!) < now.getTime()).map((m) => m.email);
}

export async function restoreMembers(s: UnitOfWork, targets: readonly string[], dryRun = false): Promise<MemberView[]> {
  const members = await resolveTargets(s, targets, { purgedIsExpired: true });
  await requirePermission(s, 'members.restore', members.map(orgsOf));
  const notRemoved = members.filter((m) => !m.deletedAt).map((m) => m.email);
  if (notRemoved.length) fail('INVALID_STATE', `${nameSome(notRemoved)} ${notRemoved.length > 1 ? 'are' : 'is'} not removed`);
  await restorable(s, members);
  return dryRun ? viewsOf(s, members) : commitRestore(s, members);
}

export interface RestoreSelection {
  batch?: string;
  removedSince?: string; // ISO instant
  by?: string; // who removed them
  skipExpired?: boolean;
  dryRun?: boolean;
}

/**
 * Restores every member a batch removed, or everyone removed since a time (by one actor), that is
 * still removed. All or nothing: members past their window stop the whole command unless skipped.
 */
export async function restoreSelection(s: UnitOfWork, sel: RestoreSelection): Promise<MemberView[]> {
  await requirePermission(s, 'members.restore');
  const expired: string[] = [];
  let members: Member[];
  const by = sel.by ? (await resolveTarget(s, sel.by).catch(() => null))?.email ?? normalizeEmail(sel.by) : null;
  if (sel.batch) {
    members = (await s.tx.listMembers()).filter((m) => m.deletedAt && m.removedBatch === sel.batch);
    // Members of the batch that were purged since: named, so nobody is silently left behind.
    const removed = await s.tx.listAudit({ batch: sel.batch, action: 'member.remove', limit: 1_000_000 });
    if (!removed.length && !members.length) fail('NOT_FOUND', `no removals in batch ${sel.batch}`, 'find batches with: rollcall member list --status deleted, or rollcall audit list --action member.remove');
    const present = new Set(members.map((m) => m.email));
    for (const r of removed) if (!present.has(r.target) && (await s.tx.getPurged(r.target))) expired.push(r.target);
  } else {
    const since = sel.removedSince!;
    members = (await s.tx.listMembers()).filter((m) => m.deletedAt && m.deletedAt >= since && (!by || m.removedBy === by));
    // Removed in that time and purged since (perhaps by this very command's automatic purge): named.
    const removed = await s.tx.listAudit({ since, actor: by ?? undefined, action: 'member.remove', limit: 1_000_000 });
    const present = new Set(members.map((m) => m.email));
    for (const r of removed) if (!present.has(r.target) && (await s.tx.getPurged(r.target))) expired.push(r.target);
  }
  await requirePermission(s, 'members.restore', members.map(orgsOf));
  expired.push(...expiredRestores(members, s.now));
  if (expired.length && !sel.skipExpired) {
    fail('RESTORE_WINDOW_EXPIRED', `${nameSome([...new Set(expired)])}: removed more than ${RESTORE_WINDOW_DAYS} days ago`, 'restore the others with --skip-expired; add these again with rollcall member add');
  }
  const chosen = members.filter((m) => !expired.includes(m.email));
  await restorable(s, chosen);
  return sel.dryRun ? viewsOf(s, chosen) : commitRestore(s, chosen);
}

/** RESTORE_WINDOW_EXPIRED or SEAT_LIMIT_REACHED before anything comes back: a dry run says the same. */
async function restorable(s: UnitOfWork, members: readonly Member[]) {
  const expired = expiredRestores(members, s.now);
  if (expired.length) fail('RESTORE_WINDOW_EXPIRED', `${nameSome(expired)}: removed more than ${RESTORE_WINDOW_DAYS} days ago`, 'add them again with rollcall member add');
  await seatsFor(s, members.length);
}

export interface RestoredView extends MemberView {
  /** Groups the member was in when removed that have been deleted (or left) since. */
  lostGroups: string[];
}

async function commitRestore(s: UnitOfWork, members: readonly Member[]): Promise<RestoredView[]> {
  const lost = new Map<string, string[]>();
  for (const m of members) lost.set(m.id, await lostGroups(s, m));
  const after = members.map((m) => ({ ...m, deletedAt: null, removedBy: null, removedBatch: null, updatedAt: s.nowIso }));
  await s.tx.updateMembers(after);
  const tree = new OrgTree(await s.orgs());
  for (const [i, m] of after.entries()) {
    const gone = lost.get(m.id)!;
    s.record({ action: 'member.restore', target: m.email, targetId: m.id, before: auditSnapshot(members[i], tree), after: auditSnapshot(m, tree), reason: gone.length ? `not restored: groups deleted since (${gone.join(', ')})` : null });
  }
  return (await viewsOf(s, after)).map((v) => ({ ...v, lostGroups: lost.get(v.id)! }));
}
