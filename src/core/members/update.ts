// member update: name, title, email, 2FA, start date and posts of one member.
import { orgsOf, orgsOfChange, requirePermission } from '../access/grants.js';
import { parseEmail } from '../email.js';
import type { Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import { same } from '../same.js';
import { emailFree, externalAllowed, externalIdFree, internalGroupsAllow, keepsAnActiveAdmin } from './rules.js';
import { checkExternalId, checkName, checkStartDate, checkTitle } from '../text.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { type MemberView, viewsOf, auditChanges } from './views.js';
import { resolveTarget, notDeleted } from './targets.js';
import { type MoveInput, movedMember } from './posts.js';
import { mayTurnOnTwoStep } from '../mail/settings.js';

export interface UpdateInput extends MoveInput {
  name?: string;
  title?: string | null;
  email?: string;
  twoFactor?: boolean;
  startDate?: string | null;
  /** The provisioning client's id (SCIM externalId); null clears it. */
  externalId?: string | null;
}

/** Whether an update leaves every field but its time stamp as it was. */
function unchanged(before: Member, after: Member): boolean {
  return (Object.keys(after) as Array<keyof Member>).every((k) => k === 'updatedAt' || same(before[k], after[k]));
}

export async function updateMember(s: UnitOfWork, target: string, patch: UpdateInput): Promise<MemberView> {
  const before = await resolveTarget(s, target);
  await requirePermission(s, 'members.manage', [orgsOf(before)]);
  notDeleted([before], 'update');
  const after: Member = movedMember(before, new OrgTree(await s.orgs()), patch, s.nowIso);
  if (after.orgId !== before.orgId || after.orgIds.join() !== before.orgIds.join()) {
    await requirePermission(s, 'members.manage', [orgsOfChange(before, after)]);
  }
  if (patch.name !== undefined) after.name = checkName(patch.name);
  if (patch.title !== undefined) after.title = checkTitle(patch.title);
  if (patch.twoFactor !== undefined) after.twoFactor = patch.twoFactor;
  if (after.twoFactor && !before.twoFactor) await mayTurnOnTwoStep(s);
  if (patch.startDate !== undefined) after.startDate = patch.startDate ? checkStartDate(patch.startDate) : null;
  if (patch.email !== undefined) {
    after.email = parseEmail(patch.email);
    if (after.email !== before.email) {
      await emailFree(s, after.email, before.id);
      await externalAllowed(s, [after.email]);
      await internalGroupsAllow(s, [{ before, after }]);
    }
  }
  if (patch.externalId !== undefined) {
    after.externalId = patch.externalId === null ? null : checkExternalId(patch.externalId);
    if (after.externalId !== null && after.externalId !== before.externalId) await externalIdFree(s, after.externalId, before.id);
  }
  // Nothing to change (the same address again, a PUT repeating what is stored): no write, no audit entry.
  if (unchanged(before, after)) return (await viewsOf(s, [before]))[0];
  await keepsAnActiveAdmin(s, [after], 'update');
  await s.tx.updateMembers([after]);
  await auditChanges(s, 'member.update', [before], [after]);
  return (await viewsOf(s, [after]))[0];
}
