// src/core/orgs/tree.ts: paths ↔ ids, the 32-level limit, and charts far deeper than it (from before
// the limit) read without recursion and without quadratic work.
import { describe, expect, it } from 'vitest';
import { RollcallError } from '../../src/core/errors.js';
import type { Org } from '../../src/core/model.js';
import { MAX_ORG_DEPTH, OrgTree, checkOrgDepth, orgDepthProblem, orgPathNames } from '../../src/core/orgs/tree.js';

const org = (id: string, parentId: string | null, name: string): Org => ({ id, parentId, name, createdAt: '2030-01-01T00:00:00.000Z' });

/** A chain o1 ← o2 ← … ← oN, named n1…nN. */
function chain(n: number): Org[] {
  return Array.from({ length: n }, (_, i) => org(`o${i + 1}`, i ? `o${i}` : null, `n${i + 1}`));
}

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof RollcallError ? e.code : 'not a RollcallError';
  }
}

describe('OrgTree', () => {
  const t = new OrgTree([org('s', null, 'Sales'), org('t', 's', 'Tokyo'), org('o', 's', 'Osaka'), org('e', null, 'Eng')]);

  it('paths, finds in any case, children sorted, subtrees in the order given', () => {
    expect(t.pathOf('t')).toBe('Sales/Tokyo');
    expect(t.pathOf(null)).toBeNull();
    expect(t.pathOf('nope')).toBeNull();
    expect(t.find(' /sales//TOKYO/ ')?.id).toBe('t');
    expect(t.find('Sales/Kyoto')).toBeUndefined();
    expect(t.children('s').map((o) => o.name)).toEqual(['Osaka', 'Tokyo']);
    expect(t.children(null).map((o) => o.name)).toEqual(['Eng', 'Sales']);
    expect(t.subtree('s').map((o) => o.id)).toEqual(['s', 't', 'o']);
    expect(t.depthOf('t')).toBe(2);
    expect(t.heightOf('s')).toBe(2);
    expect(t.heightOf('t')).toBe(1);
  });

  it('resolve: NOT_FOUND for a missing org, INVALID_INPUT for a path past 32 levels', () => {
    expect(codeOf(() => t.resolve('Sales/Kyoto'))).toBe('NOT_FOUND');
    const deep = Array.from({ length: MAX_ORG_DEPTH + 1 }, (_, i) => `x${i}`).join('/');
    expect(codeOf(() => t.resolve(deep))).toBe('INVALID_INPUT');
  });

  it('a chain 20,000 deep: every path (each built once from its parent\'s), find at the limit, depth, height, subtree', () => {
    const orgs = chain(20_000);
    const tree = new OrgTree(orgs);
    for (const o of orgs) tree.pathOf(o.id);
    expect(tree.pathOf('o3')).toBe('n1/n2/n3');
    expect(tree.pathOf('o20000')!.split('/')).toHaveLength(20_000);
    expect(tree.find(Array.from({ length: 32 }, (_, i) => `N${i + 1}`).join('/'))?.id).toBe('o32');
    expect(tree.find(Array.from({ length: 33 }, (_, i) => `n${i + 1}`).join('/'))).toBeUndefined();
    expect(tree.depthOf('o20000')).toBe(20_000);
    expect(tree.heightOf('o1')).toBe(20_000);
    expect(tree.subtree('o2')).toHaveLength(19_999);
  });
});

describe('the depth limit', () => {
  it('32 levels pass, 33 are INVALID_INPUT naming the limit, with the path shortened', () => {
    const p = (n: number) => Array.from({ length: n }, (_, i) => `L${i + 1}`).join('/');
    expect(orgDepthProblem(p(32))).toBeNull();
    expect(orgPathNames(`/${p(32)}/`)).toHaveLength(32);
    expect(orgDepthProblem(p(33))).toBe('an org path is at most 32 levels deep: "L1/L2/L3/…/L33" has 33');
    expect(codeOf(() => checkOrgDepth(p(33)))).toBe('INVALID_INPUT');
    expect(codeOf(() => orgPathNames(p(100_000)))).toBe('INVALID_INPUT');
  });
});
