// The built-in role matrix of SPEC §4, as data. 'scope' means: held only within the role's org subtrees.
import { fail } from '../errors.js';
import { nearest } from '../suggest.js';

export const PERMISSIONS = [
  'members.view', 'members.manage', 'members.delete', 'members.restore', 'members.unlock',
  'roles.manage', 'orgs.manage', 'groups.create', 'groups.override', 'settings.view', 'settings.edit',
  'audit.view', 'messages.create', 'messages.send', 'insights.view', 'chat.use',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Reserved: no custom role may carry group-management authority (seed 001). */
export const RESERVED_PERMISSIONS = ['groups.manage', 'groups.override'];

export type Grant = 'all' | 'scope';
export type RoleGrants = Partial<Record<Permission, Grant>>;

const Y = 'all' as const;
const S = 'scope' as const;
const ALL_BUT = (...no: Permission[]): RoleGrants =>
  Object.fromEntries(PERMISSIONS.filter((p) => !no.includes(p) && p !== 'groups.override').map((p) => [p, Y]));

export const BUILTIN_ROLES: Record<string, RoleGrants> = {
  admin: ALL_BUT(),
  operator: ALL_BUT('members.manage', 'members.delete', 'members.restore', 'members.unlock', 'roles.manage', 'orgs.manage', 'audit.view'),
  'operator-no-send': ALL_BUT('members.manage', 'members.delete', 'members.restore', 'members.unlock', 'roles.manage', 'orgs.manage', 'audit.view', 'messages.send'),
  'operator-no-insights': ALL_BUT('members.manage', 'members.delete', 'members.restore', 'members.unlock', 'roles.manage', 'orgs.manage', 'audit.view', 'insights.view'),
  'site-admin': {
    'members.view': S, 'members.manage': S, 'members.unlock': S, 'groups.create': Y, 'settings.view': S,
    'settings.edit': S, 'messages.create': S, 'messages.send': S, 'insights.view': S, 'chat.use': S,
  },
  'chat-operator': { 'messages.send': S, 'chat.use': S },
  viewer: { 'members.view': Y, 'settings.view': Y },
  support: { 'members.view': Y, 'members.restore': Y, 'members.unlock': Y, 'groups.override': Y, 'settings.view': Y, 'audit.view': Y },
};

export const BUILTIN_ROLE_NAMES = Object.keys(BUILTIN_ROLES);

/** How many scope paths a role takes: site-admin one or more, chat-operator exactly one, others none. */
export function scopeArity(role: string): { min: number; max: number } {
  if (role === 'site-admin') return { min: 1, max: Infinity };
  if (role === 'chat-operator') return { min: 1, max: 1 };
  return { min: 0, max: 0 };
}

export function isPermission(name: string): name is Permission {
  return (PERMISSIONS as readonly string[]).includes(name);
}

/**
 * Every name a known permission (the reserved ones included: they are known, and refused where they
 * may not go), or INVALID_INPUT naming the unknown ones, with a suggestion and the list to pick from.
 * The one check for every place a permission is named: `can`, `role create`.
 */
export function checkPermissionNames(names: readonly string[], offered: readonly string[]): void {
  const known = new Set<string>([...PERMISSIONS, ...RESERVED_PERMISSIONS]);
  const unknown = names.filter((p) => !known.has(p));
  if (!unknown.length) return;
  const guess = nearest(unknown[0], offered.map((p): [string, string] => [p, p]));
  fail('INVALID_INPUT', `unknown permission${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `"${p}"`).join(', ')}`,
    `${guess ? `did you mean ${guess}? ` : ''}permissions: ${offered.join(', ')}`);
}
