// Managing roles (SPEC §4): assign with scopes, list and show, custom roles.
import { actorOf, requirePermission } from './grants.js';
import { fail, nameSome } from '../errors.js';
import { resolveTargets } from '../members/targets.js';
import { viewsOf } from '../members/views.js';
import { OrgTree } from '../orgs/tree.js';
import { BUILTIN_ROLES, BUILTIN_ROLE_NAMES, PERMISSIONS, RESERVED_PERMISSIONS, checkPermissionNames } from './permissions.js';
import { checkRole, scopeIds } from './roles.js';
import { keepsAnActiveAdmin } from '../members/rules.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { auditSnapshot, type MemberView } from '../members/views.js';
import { shellQuote } from '../shell.js';

export interface RoleView {
  name: string;
  builtin: boolean;
  permissions: string[];
  /** For scoped roles: the permissions held only within the scope. */
  scoped?: string[];
}

export async function listRoles(s: UnitOfWork): Promise<RoleView[]> {
  actorOf(s);
  const builtins: RoleView[] = BUILTIN_ROLE_NAMES.map((name) => {
    const grants = BUILTIN_ROLES[name];
    const scoped = PERMISSIONS.filter((p) => grants[p] === 'scope');
    return { name, builtin: true, permissions: PERMISSIONS.filter((p) => grants[p]), ...(scoped.length ? { scoped } : {}) };
  });
  const custom = (await s.tx.listCustomRoles()).map((r) => ({ name: r.name, builtin: false, permissions: [...r.permissions] }));
  return [...builtins, ...custom];
}

export async function showRole(s: UnitOfWork, name: string): Promise<RoleView> {
  const role = (await listRoles(s)).find((r) => r.name === name);
  if (!role) fail('NOT_FOUND', `no role "${name}"`, 'list them with: rollcall role list');
  return role;
}

export async function setRole(s: UnitOfWork, targets: readonly string[], role: string, scopePaths: readonly string[]): Promise<MemberView[]> {
  const actor = await requirePermission(s, 'roles.manage');
  const members = await resolveTargets(s, targets);
  if (members.some((m) => m.id === actor.id)) fail('PERMISSION_DENIED', `${actor.email} cannot change its own role or scope`, 'ask another admin');
  const gone = members.filter((m) => m.deletedAt).map((m) => m.email);
  if (gone.length) fail('INVALID_STATE', `cannot change the role of ${nameSome(gone)}: removed`);
  await checkRole(s, role);
  const tree = new OrgTree(await s.orgs());
  const scope = scopeIds(tree, role, scopePaths);
  const after = members.map((m) => ({ ...m, role, scope, updatedAt: s.nowIso }));
  await keepsAnActiveAdmin(s, after, 'change the role of');
  await s.tx.updateMembers(after);
  for (const [i, m] of after.entries()) {
    s.record({ action: 'role.set', target: m.email, targetId: m.id, before: auditSnapshot(members[i], tree), after: auditSnapshot(m, tree) });
  }
  return viewsOf(s, after);
}

const ROLE_NAME = /^[a-z][a-z0-9-]{1,39}$/;

export async function createRole(s: UnitOfWork, name: string, permissionList: string): Promise<RoleView> {
  await requirePermission(s, 'roles.manage');
  if (BUILTIN_ROLE_NAMES.includes(name)) fail('INVALID_INPUT', `"${name}" is a built-in role; built-in roles cannot be changed`);
  if (!ROLE_NAME.test(name)) fail('INVALID_INPUT', `a role name is 2–40 lower-case letters, digits and dashes, starting with a letter: "${name}"`);
  if ((await s.tx.listCustomRoles()).some((r) => r.name === name)) fail('ALREADY_EXISTS', `a role named "${name}" already exists`);
  const permissions = [...new Set(permissionList.split(',').map((p) => p.trim()).filter(Boolean))];
  const offered = PERMISSIONS.filter((p) => !RESERVED_PERMISSIONS.includes(p));
  if (!permissions.length) fail('INVALID_INPUT', 'a role needs at least one permission', `permissions: ${offered.join(', ')}`);
  checkPermissionNames(permissions, offered); // a typo first: INVALID_INPUT, as everywhere a permission is named
  const reserved = permissions.filter((p) => RESERVED_PERMISSIONS.includes(p));
  if (reserved.length) fail('RESERVED_PERMISSION', `${reserved.join(', ')} cannot be given to a new role: group authority belongs to the groups themselves`);
  await s.tx.insertCustomRole({ name, permissions, createdAt: s.nowIso });
  s.record({ action: 'role.create', target: name, after: { permissions } });
  return { name, builtin: false, permissions };
}

export async function deleteRole(s: UnitOfWork, name: string): Promise<RoleView> {
  await requirePermission(s, 'roles.manage');
  if (BUILTIN_ROLE_NAMES.includes(name)) fail('INVALID_INPUT', `"${name}" is a built-in role; built-in roles cannot be deleted`);
  const role = (await s.tx.listCustomRoles()).find((r) => r.name === name);
  if (!role) fail('NOT_FOUND', `no role "${name}"`, 'list them with: rollcall role list');
  const users = await s.tx.countWithRole(name);
  if (users) fail('ROLE_IN_USE', `${users} member(s) have the role ${name} (restorable members included)`, `give them another role first: rollcall member list --role ${shellQuote(name)}`);
  await s.tx.deleteCustomRole(name);
  s.record({ action: 'role.delete', target: name, before: { permissions: role.permissions } });
  return { name, builtin: false, permissions: role.permissions };
}
