// SPEC §4: the whole built-in role × permission matrix, checked from the outside with `can` and
// `role show`. The table below is the spec's, transcribed here on purpose: it must not be imported
// from src/, so that a wrong matrix in the implementation cannot agree with itself.
import { beforeAll, describe, expect, it } from 'vitest';
import { World, describeRun, expectOk, type Result } from '../helpers/world.js';

type Cell = '✓' | 'scope' | '–';

const ROLES = ['admin', 'operator', 'operator-no-send', 'operator-no-insights', 'site-admin', 'chat-operator', 'viewer', 'support'] as const;
type Role = (typeof ROLES)[number];

// Columns in the order of ROLES. Copied row by row from SPEC §4.
const MATRIX_TEXT = `
members.view     | ✓ | ✓ | ✓ | ✓ | scope | – | ✓ | ✓
members.manage   | ✓ | – | – | – | scope | – | – | –
members.delete   | ✓ | – | – | – | – | – | – | –
members.restore  | ✓ | – | – | – | – | – | – | ✓
members.unlock   | ✓ | – | – | – | scope | – | – | ✓
roles.manage     | ✓ | – | – | – | – | – | – | –
orgs.manage      | ✓ | – | – | – | – | – | – | –
groups.create    | ✓ | ✓ | ✓ | ✓ | ✓ | – | – | –
groups.override  | – | – | – | – | – | – | – | ✓
settings.view    | ✓ | ✓ | ✓ | ✓ | scope | – | ✓ | ✓
settings.edit    | ✓ | ✓ | ✓ | ✓ | scope | – | – | –
audit.view       | ✓ | – | – | – | – | – | – | ✓
messages.create  | ✓ | ✓ | ✓ | ✓ | scope | – | – | –
messages.send    | ✓ | ✓ | – | ✓ | scope | scope | – | –
insights.view    | ✓ | ✓ | ✓ | – | scope | – | – | –
chat.use         | ✓ | ✓ | ✓ | ✓ | scope | scope | – | –
`;

const MATRIX: Record<string, Record<Role, Cell>> = {};
for (const line of MATRIX_TEXT.trim().split('\n')) {
  const [perm, ...cells] = line.split('|').map((c) => c.trim());
  if (cells.length !== ROLES.length) throw new Error(`matrix row ${perm}: ${cells.length} cells`);
  MATRIX[perm] = Object.fromEntries(ROLES.map((r, i) => [r, cells[i] as Cell])) as Record<Role, Cell>;
}
const PERMISSIONS = Object.keys(MATRIX);

const SCOPED: ReadonlySet<Role> = new Set(['site-admin', 'chat-operator']);
const emailOf = (role: Role) => `m-${role}@acme.example`;

/** What `can EMAIL PERM --org ORG` must answer: inside the scope (Sales) ✓ and scope hold; outside (Support) only ✓. */
function expected(role: Role, perm: string, org: 'Sales' | 'Support'): boolean {
  const cell = MATRIX[perm][role];
  return org === 'Sales' ? cell === '✓' || cell === 'scope' : cell === '✓';
}

/** Runs async jobs in chunks of `size` at a time (each is one CLI process). */
async function inChunks<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

let w: World;
beforeAll(async () => {
  w = await World.ready();
  expectOk(await w.run(['org', 'add', 'Sales']));
  expectOk(await w.run(['org', 'add', 'Support']));
  for (const role of ROLES) {
    await w.activeMember(emailOf(role), `Member ${role}`, role, SCOPED.has(role) ? ['--scope', 'Sales'] : []);
  }
}, 120_000);

describe('the built-in role matrix (SPEC §4)', () => {
  it('has 16 permissions and 8 built-in roles, as transcribed', () => {
    expect(PERMISSIONS).toHaveLength(16);
    expect(ROLES).toHaveLength(8);
  });

  it('every member holds its role and scope (setup check)', async () => {
    for (const role of ROLES) {
      const m = await w.member(emailOf(role));
      expect(m, emailOf(role)).toMatchObject({ role, status: 'active', scope: SCOPED.has(role) ? ['Sales'] : [] });
    }
  });

  // One test per role: `can` for every permission inside the scope (Sales) and outside it (Support).
  for (const role of ROLES) {
    it(`can answers the §4 matrix for ${role}: ✓ and scope inside its scope, only ✓ outside`, async () => {
      const cases = PERMISSIONS.flatMap((perm) => (['Sales', 'Support'] as const).map((org) => ({ perm, org })));
      const runs: Array<{ perm: string; org: string; want: boolean; r: Result }> = await inChunks(cases, 8, async ({ perm, org }) => ({
        perm, org, want: expected(role, perm, org), r: await w.run(['can', emailOf(role), perm, '--org', org]),
      }));
      const wrong: string[] = [];
      for (const { perm, org, want, r } of runs) {
        const got = r.code === 0 && r.out.trim() === 'yes' ? true : r.code === 1 && r.out.trim() === 'no' ? false : null;
        if (got !== want) wrong.push(`${role} ${perm} --org ${org}: want ${want ? 'yes (exit 0)' : 'no (exit 1)'}, got ${got === null ? 'malformed' : got ? 'yes' : 'no'}\n  ${describeRun(r)}`);
      }
      expect(wrong, wrong.join('\n')).toEqual([]);
    });
  }

  for (const role of ROLES) {
    it(`role show ${role} --json lists exactly the permissions it holds (✓ or within its scope)`, async () => {
      const r = expectOk(await w.run(['role', 'show', role, '--json']));
      const body = r.json();
      expect(body.name, describeRun(r)).toBe(role);
      expect(body.builtin, describeRun(r)).toBe(true);
      const want = PERMISSIONS.filter((p) => MATRIX[p][role] !== '–').sort();
      expect([...body.permissions].sort(), describeRun(r)).toEqual(want);
    });
  }

  it('role list --json has every built-in role with builtin true and the same permissions as the matrix', async () => {
    const list = expectOk(await w.run(['role', 'list', '--json'])).json() as Array<{ name: string; builtin: boolean; permissions: string[] }>;
    for (const role of ROLES) {
      const entry = list.find((r) => r.name === role);
      expect(entry, `role list has ${role}`).toBeDefined();
      expect(entry!.builtin).toBe(true);
      expect([...entry!.permissions].sort(), role).toEqual(PERMISSIONS.filter((p) => MATRIX[p][role] !== '–').sort());
    }
  });
});
