// Purging for good (SPEC §3): by command, and automatically at every write once the 7-day window has passed.
import { orgsOf, requirePermission } from '../access/grants.js';
import { DAY } from '../clock.js';
import { fail, nameSome } from '../errors.js';
import { RESTORE_WINDOW_DAYS, type Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { auditSnapshot, type MemberView, viewsOf } from './views.js';
import { resolveTargets } from './targets.js';
import { shellQuote } from '../shell.js';

/** Purges removed members for good; their emails are remembered so a late restore says why it fails. */
export async function purge(s: UnitOfWork, members: readonly Member[], reason: string | null, system = false) {
  if (!members.length) return;
  const tree = new OrgTree(await s.orgs());
  await s.tx.deleteMembers(members.map((m) => m.id));
  await s.tx.addPurged(members.map((m) => ({ email: m.email, memberId: m.id, deletedAt: m.deletedAt, purgedAt: s.nowIso })));
  for (const m of members) {
    s.record({ action: 'member.purge', target: m.email, targetId: m.id, before: auditSnapshot(m, tree), after: null, reason, ...(system ? { actor: null } : {}) });
  }
}

/** Runs at the start of every write: members past their 7-day window are purged. */
export async function purgeExpired(s: UnitOfWork): Promise<Member[]> {
  const cutoff = new Date(s.now.getTime() - RESTORE_WINDOW_DAYS * DAY).toISOString();
  const expired = await s.tx.listDeletedBefore(cutoff);
  await purge(s, expired, 'restore window expired', true);
  s.autoPurged.push(...expired);
  return expired;
}

/** The members `member purge TARGET…` would delete for good, or the rule that forbids it: asked before confirming. */
export async function purgeable(s: UnitOfWork, targets: readonly string[]): Promise<Member[]> {
  const members = await resolveTargets(s, targets);
  await requirePermission(s, 'members.delete', members.map(orgsOf));
  const live = members.filter((m) => !m.deletedAt).map((m) => m.email);
  if (live.length) fail('INVALID_STATE', `${nameSome(live)} ${live.length > 1 ? 'are' : 'is'} not removed; only removed members are purged`, `remove first: rollcall member remove ${shellQuote(live[0])}`);
  return members;
}

export async function purgeMembers(s: UnitOfWork, targets: readonly string[]): Promise<MemberView[]> {
  const members = await purgeable(s, targets);
  const views = await viewsOf(s, members);
  await purge(s, members, null);
  return views;
}

/** `member purge --expired`: the automatic purge at the start of this transaction did the work; report it. */
export async function purgeExpiredCommand(s: UnitOfWork): Promise<MemberView[]> {
  await requirePermission(s, 'members.delete');
  return viewsOf(s, s.autoPurged);
}
