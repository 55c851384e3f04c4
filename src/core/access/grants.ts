// Who may do what (SPEC §4): the role matrix, custom roles, and scopes over org subtrees.
import { fail, nameSome } from '../errors.js';
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

/**
 * What a scoped permission is checked over for one member: the org ids it holds (plus those a change
 * would give it), carrying the member's address in `who`, so that a refusal names whom the scope
 * does not reach, as NOT_FOUND names who is missing. Every command that takes targets passes these.
 */
export type Subject = readonly string[] & { readonly who?: string };

export function orgsOf(m: Pick<Member, 'orgId' | 'orgIds'> & { email?: string }): Subject {
  const orgs = [...new Set([...(m.orgId ? [m.orgId] : []), ...m.orgIds])];
  return m.email ? Object.assign(orgs, { who: m.email }) : orgs;
}

/**
 * The orgs a member holds before and after a change: a scoped manager must reach it in both. A
 * member holding no org lies outside every scope (scopeCovers), and a change giving it one does not
 * bring it in: else `member move --org` would pull any member, the workspace's admins included,
 * into a scoped manager's reach.
 */
export function orgsOfChange(before: Member, after: Member): Subject {
  const held = orgsOf(before);
  return Object.assign(held.length ? [...new Set([...held, ...orgsOf(after)])] : [], { who: before.email });
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

/**
 * PERMISSION_DENIED unless the acting member holds `perm` over every subject; a scoped grant that
 * does not reach some subjects is refused naming them (those that carry `who`). The subjects may be
 * given as a function, called only when a scoped grant needs them (a prune of 100,000 members).
 */
export async function requirePermission(s: UnitOfWork, perm: string, subjectsGiven?: readonly Subject[] | (() => Promise<readonly Subject[]>)): Promise<Member> {
  const actor = actorOf(s);
  const grant = await grantOf(s, actor.role, perm); // once, not per subject: a roster may bring 100,000
  if (grant === 'all') return actor;
  if (grant !== 'scope' || subjectsGiven === undefined) fail('PERMISSION_DENIED', `${actor.email} (role ${actor.role}) lacks ${perm}`, await deniedHint(s, actor, perm));
  const subjects = typeof subjectsGiven === 'function' ? await subjectsGiven() : subjectsGiven;
  const tree = new OrgTree(await s.orgs());
  const outside = subjects.filter((subject) => !scopeCovers(tree, actor.scope, subject));
  if (outside.length) {
    const named = outside.flatMap((o) => (o.who ? [o.who] : []));
    const unnamed = outside.length - named.length;
    const whom = named.length ? `${nameSome(named)}${unnamed ? ` and ${unnamed} more` : ''}` : `${unnamed} member${unnamed === 1 ? '' : 's'}`;
    const scope = actor.scope.map((id) => tree.pathOf(id) ?? id).join(', ');
    fail('PERMISSION_DENIED', `${actor.email} (role ${actor.role}) lacks ${perm} over ${whom}: outside its scope (${scope})`,
      `its scope reaches a member only when every org the member holds, or would hold, lies within ${scope}; ask a workspace admin`);
  }
  return actor;
}

/**
 * Where to turn when a role lacks a permission: a member who may hand out roles (a workspace admin
 * lacking groups.override) is told which role holds it; anyone else is told to ask an admin.
 */
async function deniedHint(s: UnitOfWork, actor: Member, perm: string): Promise<string> {
  const holders = Object.entries(BUILTIN_ROLES).filter(([, grants]) => grants[perm as Permission]).map(([role]) => role);
  if (holders.length && (await grantOf(s, actor.role, 'roles.manage')) === 'all') {
    const roles = holders.length > 1 ? `roles ${holders.join(', ')}` : `${holders[0]} role`;
    return `${perm} belongs to the ${roles}, not to ${actor.role}: a member holding it does this; give it with: rollcall role set EMAIL ${holders[0]}`;
  }
  return 'ask a workspace admin, or check with: rollcall role show ' + shellQuote(actor.role);
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
  if (!(await grantOf(s, actor.role, perm))) fail('PERMISSION_DENIED', `${actor.email} (role ${actor.role}) lacks ${perm}`, await deniedHint(s, actor, perm));
  return actor;
}
