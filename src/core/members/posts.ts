// A member's posts in the org chart (SPEC §6): a primary org and additional ones (兼務).
import { orgsOf, orgsOfChange, requirePermission } from '../access/grants.js';
import { fail, nameSome } from '../errors.js';
import type { Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { shellQuote } from '../shell.js';
import { type MemberView, viewsOf, auditChanges } from './views.js';
import { resolveTargets, notDeleted } from './targets.js';

export interface MoveInput {
  org?: string | null; // new primary post; null clears it
  addOrgs?: string[];
  removeOrgs?: string[];
}

/** Applies a change of posts to a member: pure, validated against the tree. */
export function movedMember(m: Member, tree: OrgTree, input: MoveInput, now: string): Member {
  let orgId = m.orgId;
  let orgIds = [...m.orgIds];
  if (input.org !== undefined) orgId = input.org === null || input.org === '' ? null : tree.resolve(input.org).id;
  for (const p of input.addOrgs ?? []) orgIds.push(tree.resolve(p).id);
  for (const p of input.removeOrgs ?? []) {
    const id = tree.resolve(p).id;
    if (orgId === id) orgId = null;
    orgIds = orgIds.filter((o) => o !== id);
  }
  orgIds = [...new Set(orgIds)].filter((id) => id !== orgId);
  return { ...m, orgId, orgIds, updatedAt: now };
}

/** Leaving an org is for members who hold it (primary or additional): INVALID_STATE naming the others. */
function notLeavingWhatTheyLack(members: readonly Member[], tree: OrgTree, removeOrgs: readonly string[]) {
  for (const path of removeOrgs) {
    const org = tree.resolve(path);
    const lacking = members.filter((m) => !orgsOf(m).includes(org.id)).map((m) => m.email);
    if (lacking.length) {
      fail('INVALID_STATE', `${nameSome(lacking)} ${lacking.length === 1 ? 'does' : 'do'} not hold the org "${tree.pathOf(org.id)}": there is nothing to leave`,
        lacking.length === 1 ? `see its posts: rollcall member show ${shellQuote(lacking[0])}` : `see who holds it: rollcall member list --org ${shellQuote(tree.pathOf(org.id)!)} --direct`);
    }
  }
}

export async function moveMembers(s: UnitOfWork, targets: readonly string[], input: MoveInput): Promise<MemberView[]> {
  if (input.org === undefined && !input.addOrgs?.length && !input.removeOrgs?.length) fail('USAGE', 'say where: a primary org, an org to add, or an org to leave', undefined, 'posts');
  const members = await resolveTargets(s, targets);
  notDeleted(members, 'move');
  const tree = new OrgTree(await s.orgs());
  notLeavingWhatTheyLack(members, tree, input.removeOrgs ?? []);
  const after = members.map((m) => movedMember(m, tree, input, s.nowIso));
  // A scoped manager must reach the member both where it is and where it goes.
  await requirePermission(s, 'members.manage', members.map((m, i) => orgsOfChange(m, after[i])));
  await s.tx.updateMembers(after);
  await auditChanges(s, 'member.move', members, after);
  return viewsOf(s, after);
}
