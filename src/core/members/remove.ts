// member remove (SPEC §3): restorable for 7 days; sessions, tokens and open invitations end with it.
import { orgsOf, requirePermission } from '../access/grants.js';
import { fail, nameSome } from '../errors.js';
import type { InviteRecord, Member } from '../model.js';
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
  const after = members.map((m) => removed(s, m));
  await keepsAnActiveAdmin(s, after, 'remove');
  await (await Removal.of(s, after.map((m) => m.id), reason)).write(members, after);
  return viewsOf(s, after);
}

/** The member as this removal leaves it: restorable, by whom and in which batch. */
export function removed(s: UnitOfWork, m: Member): Member {
  return { ...m, deletedAt: s.nowIso, removedBy: s.actor?.email ?? null, removedBatch: s.batch, updatedAt: s.nowIso };
}

type Held = Array<{ group: string; role: string }>;

/**
 * Saving removals: sessions end, tokens and open invitations die with them. Group memberships stay
 * for a restore; the audit event records them, so a restore can say which groups are gone since.
 * What every removal needs (the open invitations, the groups held, the org tree) is read once; the
 * members are written a slice at a time, so that a prune of 100,000 need not hold them all.
 */
export class Removal {
  private constructor(
    private readonly s: UnitOfWork,
    private readonly reason: string | null,
    private readonly open: Map<string, InviteRecord[]>,
    private readonly held: Map<string, Held>,
    private readonly tree: OrgTree,
  ) {}

  /** A removal of the members `ids`. */
  static async of(s: UnitOfWork, ids: readonly string[], reason?: string | null): Promise<Removal> {
    const idSet = new Set(ids);
    const open = new Map<string, InviteRecord[]>();
    for (const i of await s.tx.listInvites()) {
      if (idSet.has(i.memberId) && !i.usedAt && !i.revokedAt) open.set(i.memberId, [...(open.get(i.memberId) ?? []), i]);
    }
    const groups = await s.tx.listGroups();
    const held = new Map<string, Held>();
    if (groups.length) {
      const names = new Map(groups.map((g) => [g.id, g.name]));
      for (const gm of await s.tx.listGroupMemberships({})) {
        if (!idSet.has(gm.memberId)) continue;
        held.set(gm.memberId, [...(held.get(gm.memberId) ?? []), { group: names.get(gm.groupId) ?? gm.groupId, role: gm.role }]);
      }
    }
    return new Removal(s, reason ?? null, open, held, new OrgTree(await s.orgs()));
  }

  /** Saves some of the members (`after`: as removed), with their audit entries made at commit. */
  async write(before: readonly Member[], after: readonly Member[]): Promise<void> {
    const { s, tree, held, reason } = this;
    const ids = after.map((m) => m.id);
    await s.tx.updateMembers([...after]);
    await s.tx.deleteSessionsOf(ids);
    await s.tx.revokeTokensOf(ids, s.nowIso);
    for (const id of ids) for (const i of this.open.get(id) ?? []) await s.tx.updateInvite({ ...i, revokedAt: s.nowIso });
    // Made at commit, a member at a time: a removal of 100,000 members holds no snapshots meanwhile.
    // The members are the caller's, made for this removal; nothing changes them before the commit.
    s.recordEach((function* () {
      for (const [i, m] of after.entries()) {
        yield { action: 'member.remove' as const, target: m.email, targetId: m.id, before: { ...auditSnapshot(before[i], tree), groups: held.get(m.id) ?? [] }, after: auditSnapshot(m, tree), reason };
      }
    })());
  }
}
