// Issue 18 (6): an org path is at most 32 levels deep wherever one enters (org add, org mv, roster
// orgs and rows, member posts, scopes), and a workspace that already holds a far deeper chart (from
// before the limit) still lists, draws and prints it, without running out of stack.
import { describe, expect, it } from 'vitest';
import { ADMIN, World, describeRun, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const levels = (n: number, prefix = 'L') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join('/');
const P32 = levels(32);
const P33 = levels(33);

async function paths(w: World): Promise<string[]> {
  return (expectOk(await w.run(['org', 'list', '--json'])).json() as Array<{ path: string }>).map((o) => o.path).sort();
}

/** Everything an org-depth refusal must leave alone. */
async function snapshot(w: World) {
  return { orgs: await paths(w), members: await w.emails(), audit: expectOk(await w.run(['audit', 'list', '--json'])).out };
}

describe.concurrent('org depth limit (32 levels)', () => {
  it('org add --parents takes 32 levels; 33 (or 20,000) is INVALID_INPUT (exit 2) and creates nothing', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', P32, '--parents']));
    const before = await snapshot(w);
    const r = expectError(await w.run(['org', 'add', P33, '--parents', '--json']), 2, 'INVALID_INPUT');
    expect(r.error()!.message, describeRun(r)).toMatch(/at most 32 levels/);
    expectError(await w.run(['org', 'add', `${P32}/One-more`]), 2, 'INVALID_INPUT');
    const huge = expectError(await w.run(['org', 'add', levels(20_000), '--parents']), 2, 'INVALID_INPUT');
    expect(huge.err.length, 'the message shortens the path').toBeLessThan(500);
    expect(await snapshot(w)).toEqual(before);
  });

  it('org mv may not put any org of the moved subtree deeper than 32 levels (INVALID_INPUT, exit 2); nothing moves', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', levels(30), '--parents']));
    expectOk(await w.run(['org', 'add', 'X/Y/Z', '--parents']));
    const before = await snapshot(w);
    // X/Y/Z under L1/…/L30 would end 33 deep; under L1/…/L29 it ends exactly 32 deep.
    expectError(await w.run(['org', 'mv', 'X', levels(30), '--json']), 2, 'INVALID_INPUT');
    expect(await snapshot(w)).toEqual(before);
    expectOk(await w.run(['org', 'mv', 'X', levels(29)]));
    expect(await paths(w)).toContain(`${levels(29)}/X/Y/Z`);
  });

  it('member add --org, member move, member list --org, can --org and --scope with a path past 32 levels are INVALID_INPUT (exit 2)', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', P32, '--parents']));
    const before = await snapshot(w);
    expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', P33]), 2, 'INVALID_INPUT');
    expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--add-org', P33]), 2, 'INVALID_INPUT');
    expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--role', 'site-admin', '--scope', P33]), 2, 'INVALID_INPUT');
    expectError(await w.run(['member', 'move', ADMIN, '--org', P33]), 2, 'INVALID_INPUT');
    expectError(await w.run(['member', 'list', '--org', P33]), 2, 'INVALID_INPUT');
    expectError(await w.run(['can', ADMIN, 'members.view', '--org', P33]), 2, 'INVALID_INPUT');
    expect(await snapshot(w)).toEqual(before);
    // 32 levels is fine everywhere.
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', P32, '--role', 'site-admin', '--scope', P32]));
    expect((await w.member(BOB)).org).toBe(P32);
  });

  it('a roster with --create-orgs naming a path past 32 levels (in orgs: or a row) is ROSTER_INVALID (exit 2) and changes nothing', async () => {
    const w = await World.ready();
    const before = await snapshot(w);
    const csv = w.file('deep.csv', `email,name,org\n${BOB},Bob,${P33}\n`);
    const r = expectError(await w.run(['apply', csv, '--create-orgs', '--yes', '--json']), 2, 'ROSTER_INVALID');
    expect(r.error()!.message, describeRun(r)).toMatch(/at most 32 levels/);
    const yaml = w.file('deep.yaml', `orgs:\n  - ${P33}\nmembers:\n  - email: ${BOB}\n    name: Bob\n`);
    expectError(await w.run(['apply', yaml, '--yes']), 2, 'ROSTER_INVALID');
    const scoped = w.file('scoped.csv', `email,name,role,scope\n${BOB},Bob,site-admin,${P33}\n`);
    expectError(await w.run(['apply', scoped, '--create-orgs', '--yes']), 2, 'ROSTER_INVALID');
    expectError(await w.run(['apply', scoped, '--yes']), 2, 'ROSTER_INVALID');
    expect(await snapshot(w)).toEqual(before);
    // 32 levels applies.
    expectOk(await w.run(['apply', w.file('ok.csv', `email,name,org\n${BOB},Bob,${P32}\n`), '--create-orgs', '--yes']));
    expect((await w.member(BOB)).org).toBe(P32);
  });
});

describe('a workspace that already holds a chart 4,000 levels deep', () => {
  const DEPTH = 4000;

  /** Writes the chain a/a/…/a straight into the store, as a workspace from before the limit could hold it. */
  async function deepWorld(): Promise<World> {
    const w = await World.ready();
    w.sql(`INSERT INTO orgs (id, parent_id, name, created_at)
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${DEPTH})
      SELECT 'o_deep' || i, CASE WHEN i = 1 THEN '' ELSE 'o_deep' || (i - 1) END, 'a', '2030-01-01T00:00:00.000Z' FROM n`);
    return w;
  }

  it('org tree (text, dot, mermaid, --json) and org list draw it all, without a stack overflow', async () => {
    const w = await deepWorld();
    const text = expectOk(await w.run(['org', 'tree']));
    expect(text.out.split('\n').filter((l) => l.includes('a (0 · 0)'))).toHaveLength(DEPTH);
    for (const format of ['dot', 'mermaid']) {
      const r = expectOk(await w.run(['org', 'tree', '--format', format]));
      expect(r.out.split('\n').filter((l) => /0 members/.test(l)), format).toHaveLength(DEPTH);
    }
    const nodes = expectOk(await w.run(['org', 'tree', '--json'])).json() as Array<{ children: any[]; path: string }>;
    let depth = 0;
    for (let n = nodes[0]; n; n = n.children[0]) depth++;
    expect(depth).toBe(DEPTH);
    const list = expectOk(await w.run(['org', 'list', '--json'])).json() as Array<{ path: string }>;
    expect(list).toHaveLength(DEPTH);
  });

  it('an org past 32 levels cannot be addressed (INVALID_INPUT); a move may lift the chart but not deepen it; org rm clears it', async () => {
    const w = await deepWorld();
    const a40 = Array(40).fill('a').join('/');
    expectError(await w.run(['org', 'rm', a40, '--yes']), 2, 'INVALID_INPUT');
    expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', a40]), 2, 'INVALID_INPUT');
    // Moving the whole chain under another org deepens it: refused, nothing moves.
    expectOk(await w.run(['org', 'add', 'Top']));
    expectError(await w.run(['org', 'mv', 'a', 'Top']), 2, 'INVALID_INPUT');
    expect((await paths(w)).filter((p) => p.startsWith('Top/'))).toEqual([]);
    // Moving its second level to the top makes everything below one level shallower: allowed.
    expectOk(await w.run(['org', 'rename', 'a/a', 'b']));
    expectOk(await w.run(['org', 'mv', 'a/b', '/']));
    expect((await paths(w)).filter((p) => !p.includes('/'))).toEqual(['Top', 'a', 'b']);
    expectOk(await w.run(['org', 'rm', 'b', '--yes']));
    expectOk(await w.run(['org', 'rm', 'a', '--yes']));
    expect(await paths(w)).toEqual(['Top']);
  });
});
