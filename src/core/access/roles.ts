// Role names and scopes as members carry them (SPEC §4).
import { fail } from '../errors.js';
import { OrgTree } from '../orgs/tree.js';
import { BUILTIN_ROLE_NAMES, scopeArity } from './permissions.js';
import type { UnitOfWork } from '../unit-of-work.js';

export async function roleNames(s: UnitOfWork): Promise<string[]> {
  return [...BUILTIN_ROLE_NAMES, ...(await s.tx.listCustomRoles()).map((r) => r.name)];
}

export async function checkRole(s: UnitOfWork, role: string): Promise<string> {
  const names = await roleNames(s);
  if (!names.includes(role)) fail('INVALID_INPUT', `unknown role "${role}"`, `roles: ${names.join(', ')}`);
  return role;
}

/** The org ids of a role's scope, checked against the role's arity: INVALID_INPUT when it does not fit. */
export function scopeIds(tree: OrgTree, role: string, paths: readonly string[]): string[] {
  const { min, max } = scopeArity(role);
  if (paths.length < min || paths.length > max) {
    const want = max === 0 ? 'takes no scope' : max === 1 ? 'takes exactly one scope' : 'takes one or more scopes';
    fail('INVALID_INPUT', `the role ${role} ${want} (got ${paths.length})`, 'a scope is an org path, e.g. Sales/Tokyo', 'scope');
  }
  const ids = paths.map((p) => tree.resolve(p).id);
  return [...new Set(ids)];
}
