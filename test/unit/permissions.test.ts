// src/core/permissions.ts against SPEC §4's table, encoded here independently (copied from the spec).
import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLES, BUILTIN_ROLE_NAMES, PERMISSIONS, RESERVED_PERMISSIONS, isPermission, scopeArity } from '../../src/core/access/permissions.js';

const SPEC_TABLE = `
| permission | admin | operator | operator-no-send | operator-no-insights | site-admin | chat-operator | viewer | support |
|---|---|---|---|---|---|---|---|---|
| members.view | ✓ | ✓ | ✓ | ✓ | scope | – | ✓ | ✓ |
| members.manage | ✓ | – | – | – | scope | – | – | – |
| members.delete | ✓ | – | – | – | – | – | – | – |
| members.restore | ✓ | – | – | – | – | – | – | ✓ |
| members.unlock | ✓ | – | – | – | scope | – | – | ✓ |
| roles.manage | ✓ | – | – | – | – | – | – | – |
| orgs.manage | ✓ | – | – | – | – | – | – | – |
| groups.create | ✓ | ✓ | ✓ | ✓ | ✓ | – | – | – |
| groups.override | – | – | – | – | – | – | – | ✓ |
| settings.view | ✓ | ✓ | ✓ | ✓ | scope | – | ✓ | ✓ |
| settings.edit | ✓ | ✓ | ✓ | ✓ | scope | – | – | – |
| audit.view | ✓ | – | – | – | – | – | – | ✓ |
| messages.create | ✓ | ✓ | ✓ | ✓ | scope | – | – | – |
| messages.send | ✓ | ✓ | – | ✓ | scope | scope | – | – |
| insights.view | ✓ | ✓ | ✓ | – | scope | – | – | – |
| chat.use | ✓ | ✓ | ✓ | ✓ | scope | scope | – | – |
`;

type Cell = 'all' | 'scope' | null;

function parseTable(text: string): { roles: string[]; grid: Map<string, Map<string, Cell>> } {
  const rows = text.trim().split('\n').map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  const roles = rows[0].slice(1);
  const grid = new Map<string, Map<string, Cell>>();
  for (const r of rows.slice(2)) {
    const cells = new Map<string, Cell>();
    r.slice(1).forEach((c, i) => cells.set(roles[i], c === '✓' ? 'all' : c === 'scope' ? 'scope' : c === '–' ? null : (() => { throw new Error(`cell ${c}`); })()));
    grid.set(r[0], cells);
  }
  return { roles, grid };
}

const spec = parseTable(SPEC_TABLE);

describe('the built-in role matrix', () => {
  it('has exactly the spec\'s permissions', () => {
    expect([...PERMISSIONS].sort()).toEqual([...spec.grid.keys()].sort());
  });

  it('has exactly the spec\'s built-in roles', () => {
    expect([...BUILTIN_ROLE_NAMES].sort()).toEqual([...spec.roles].sort());
  });

  const cases = [...spec.grid].flatMap(([perm, cells]) => [...cells].map(([role, want]) => [role, perm, want] as const));
  it.each(cases)('%s × %s is %s', (role, perm, want) => {
    const grants = BUILTIN_ROLES[role] as Record<string, string | undefined>;
    expect(grants, `no built-in role ${role}`).toBeDefined();
    expect(grants[perm] ?? null).toBe(want);
  });

  it('grants nothing outside the permission list', () => {
    for (const [role, grants] of Object.entries(BUILTIN_ROLES)) {
      for (const p of Object.keys(grants)) expect(isPermission(p), `${role} has unknown ${p}`).toBe(true);
    }
  });
});

describe('scopes and reserved permissions', () => {
  it('site-admin takes one or more scopes, chat-operator exactly one, other roles none', () => {
    expect(scopeArity('site-admin')).toMatchObject({ min: 1 });
    expect(scopeArity('site-admin').max).toBeGreaterThan(1);
    expect(scopeArity('chat-operator')).toEqual({ min: 1, max: 1 });
    for (const r of ['admin', 'operator', 'operator-no-send', 'operator-no-insights', 'viewer', 'support']) expect(scopeArity(r)).toEqual({ min: 0, max: 0 });
  });

  it('reserves groups.manage and groups.override for no custom role', () => {
    expect([...RESERVED_PERMISSIONS].sort()).toEqual(['groups.manage', 'groups.override']);
  });
});
