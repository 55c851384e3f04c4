// `can TARGET PERMISSION [--org PATH]`: an access check other systems can call (like kubectl auth can-i).
import { grantOf, holds, requirePermissionSomewhere } from './grants.js';
import { fail } from '../errors.js';
import { resolveTarget } from '../members/targets.js';
import { OrgTree } from '../orgs/tree.js';
import { PERMISSIONS, RESERVED_PERMISSIONS } from './permissions.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { statusOf } from '../members/views.js';

/**
 * Without --org a scoped grant answers yes: the member holds the permission within its scope.
 * A member that cannot act (not active) holds nothing.
 */
export async function can(s: UnitOfWork, target: string, permission: string, orgPath?: string): Promise<boolean> {
  await requirePermissionSomewhere(s, 'members.view');
  if (![...PERMISSIONS, ...RESERVED_PERMISSIONS].includes(permission)) {
    fail('INVALID_INPUT', `unknown permission "${permission}"`, `permissions: ${PERMISSIONS.join(', ')}`);
  }
  const member = await resolveTarget(s, target);
  if (statusOf(member, s.now) !== 'active') return false;
  if (orgPath) {
    const org = new OrgTree(await s.orgs()).resolve(orgPath);
    return holds(s, member, permission, [org.id]);
  }
  return (await grantOf(s, member.role, permission)) !== null;
}
