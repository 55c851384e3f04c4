// member remove (SPEC §3): restorable for 7 days; sessions, tokens and open invitations end with it.
import { orgsOf, requirePermission } from '../access/grants.js';
import { fail, nameSome } from '../errors.js';
import type { Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import { keepsAnActiveAdmin, notGroupOwners } from './rules.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { auditSnapshot, type MemberView, viewsOf } from './views.js';
import { resolveTargets } from './targets.js';

export async function removeMembers(s: UnitOfWork, targets: readonly string[], reason?: string): Promise<MemberView[]> {
  const members = await resolveTargets(s, targets);
  const actor = await requirePermission(s, 'members.delete', members.map(orgsOf));
  const gone = members.filter((m) => m.deletedAt).map((m) => m.email);
  if (gone.length) fail('INVALID_STATE', `${nameSome(gone)} ${gone.length > 1 ? 'are' : 'is'} already removed`);
  await notGroupOwners(s, members, 'remove');
  const after = members.map((m) => ({ ...m, deletedAt: s.nowIso, removedBy: actor.email, removedBatch: s.batch, updatedAt: s.nowIso }));
  await keepsAnActiveAdmin(s, after, 'remove');
  await commitRemoval(s, members, after, reason);
  return viewsOf(s, after);
}

/**
 * Saves removals: sessions end, tokens and open invitations die with them. Group memberships stay
 * for a restore; the audit event records them, so a restore can say which groups are gone since.
 */
export async function commitRemoval(s: UnitOfWork, before: readonly Member[], after: readonly Member[], reason?: string | null) {
  const ids = after.map((m) => m.id);
  const idSet = new Set(ids);
  await s.tx.updateMembers([...after]);
  await s.tx.deleteSessionsOf(ids);
  await s.tx.revokeTokensOf(ids, s.nowIso);
  const open = (await s.tx.listInvites()).filter((i) => idSet.has(i.memberId) && !i.usedAt && !i.revokedAt);
  for (const i of open) await s.tx.updateInvite({ ...i, revokedAt: s.nowIso });
  const groups = await s.tx.listGroups();
  const held = new Map<string, Array<{ group: string; role: string }>>();
  if (groups.length) {
    const names = new Map(groups.map((g) => [g.id, g.name]));
    for (const gm of await s.tx.listGroupMemberships({})) {
      if (!idSet.has(gm.memberId)) continue;
      held.set(gm.memberId, [...(held.get(gm.memberId) ?? []), { group: names.get(gm.groupId) ?? gm.groupId, role: gm.role }]);
    }
  }
  const tree = new OrgTree(await s.orgs());
  // Made at commit, a member at a time: a prune of 100,000 members holds no snapshots meanwhile.
  // The members are the caller's, made for this removal; nothing changes them before the commit.
  s.recordEach((function* () {
    for (const [i, m] of after.entries()) {
      yield { action: 'member.remove' as const, target: m.email, targetId: m.id, before: { ...auditSnapshot(before[i], tree), groups: held.get(m.id) ?? [] }, after: auditSnapshot(m, tree), reason: reason ?? null };
    }
  })());
}
