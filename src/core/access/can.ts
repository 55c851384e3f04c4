// `can TARGET PERMISSION [--org PATH]`: an access check other systems can call (like kubectl auth can-i).
import { grantOf, holds, requirePermissionSomewhere } from './grants.js';
import { resolveTarget } from '../members/targets.js';
import { OrgTree } from '../orgs/tree.js';
import { PERMISSIONS, checkPermissionNames } from './permissions.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { statusOf } from '../members/views.js';

/**
 * Without an org a scoped grant answers yes: the member holds the permission within its scope.
 * A member that cannot act (not active) holds nothing. The question is checked whole before it is
 * answered: an unknown permission is INVALID_INPUT, an unknown member or org NOT_FOUND, whoever the question is about.
 */
export async function can(s: UnitOfWork, target: string, permission: string, orgPath?: string): Promise<boolean> {
  await requirePermissionSomewhere(s, 'members.view');
  checkPermissionNames([permission], PERMISSIONS);
  const member = await resolveTarget(s, target);
  const org = orgPath === undefined ? null : new OrgTree(await s.orgs()).resolve(orgPath);
  if (statusOf(member, s.now) !== 'active') return false;
  if (org) return holds(s, member, permission, [org.id]);
  return (await grantOf(s, member.role, permission)) !== null;
}
