// Who may do what (SPEC §4): the role matrix, custom roles, and scopes over org subtrees.
import { fail } from '../errors.js';
import type { Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import { BUILTIN_ROLES, RESERVED_PERMISSIONS, type Grant, type Permission } from './permissions.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { shellQuote } from '../shell.js';

/** The grant a role gives for a permission: everywhere, within its scope, or none. */
export async function grantOf(s: UnitOfWork, role: string, perm: string): Promise<Grant | null> {
  const builtin = BUILTIN_ROLES[role];
  if (builtin) return builtin[perm as Permission] ?? null;
  const custom = (await s.tx.listCustomRoles()).find((r) => r.name === role);
  if (!custom || RESERVED_PERMISSIONS.includes(perm)) return null;
  return custom.permissions.includes(perm) ? 'all' : null;
}

/** Whether a scope (org ids) covers every one of the orgs; an empty list is outside every scope. */
export function scopeCovers(tree: OrgTree, scope: readonly string[], orgIds: readonly string[]): boolean {
  return orgIds.length > 0 && orgIds.every((id) => scope.some((root) => tree.isWithin(id, root)));
}

export function orgsOf(m: Pick<Member, 'orgId' | 'orgIds'>): string[] {
  return [...new Set([...(m.orgId ? [m.orgId] : []), ...m.orgIds])];
}

/**
 * Whether `who` holds `perm` over the subject orgs: the orgs a member holds plus those a change
 * would give it. `subject` undefined means workspace-wide: a scoped grant does not reach that.
 */
export async function holds(s: UnitOfWork, who: Member, perm: string, subject?: readonly string[]): Promise<boolean> {
  const grant = await grantOf(s, who.role, perm);
  if (grant === 'all') return true;
  if (grant !== 'scope' || subject === undefined) return false;
  return scopeCovers(new OrgTree(await s.orgs()), who.scope, subject);
}

export function actorOf(s: UnitOfWork): Member {
  if (!s.actor) fail('NOT_AUTHENTICATED', 'this needs a signed-in member', 'rollcall login EMAIL, or set ROLLCALL_TOKEN');
  return s.actor;
}

/** PERMISSION_DENIED unless the acting member holds `perm` over every subject. */
export async function requirePermission(s: UnitOfWork, perm: string, subjects?: ReadonlyArray<readonly string[]>): Promise<Member> {
  const actor = actorOf(s);
  const grant = await grantOf(s, actor.role, perm); // once, not per subject: a roster may bring 100,000
  const denied = (where = '') =>
    fail('PERMISSION_DENIED', `${actor.email} (role ${actor.role}) lacks ${perm}${where}`, 'ask a workspace admin, or check with: rollcall role show ' + shellQuote(actor.role));
  if (grant === 'all') return actor;
  if (grant !== 'scope' || subjects === undefined) denied();
  const tree = new OrgTree(await s.orgs());
  for (const subject of subjects!) if (!scopeCovers(tree, actor.scope, subject)) denied(' outside its scope');
  return actor;
}

/** visibleFilter's answer to an unscoped grant, which sees every member (compare by identity). */
export const everyone = (_m: Member): boolean => true;

/** For views: scoped roles see what their scope reaches; unscoped grants see everything (`everyone`). */
export async function visibleFilter(s: UnitOfWork, perm: string): Promise<(m: Member) => boolean> {
  const actor = await requirePermissionSomewhere(s, perm);
  const grant = await grantOf(s, actor.role, perm);
  if (grant === 'all') return everyone;
  const tree = new OrgTree(await s.orgs());
  return (m) => scopeCovers(tree, actor.scope, orgsOf(m));
}

/** The permission held at all, everywhere or within a scope. */
export async function requirePermissionSomewhere(s: UnitOfWork, perm: string): Promise<Member> {
  const actor = actorOf(s);
  if (!(await grantOf(s, actor.role, perm))) {
    fail('PERMISSION_DENIED', `${actor.email} (role ${actor.role}) lacks ${perm}`, 'ask a workspace admin, or check with: rollcall role show ' + shellQuote(actor.role));
  }
  return actor;
}
