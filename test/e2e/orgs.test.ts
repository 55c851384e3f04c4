// SPEC §6 and §13 (issue 4): the org chart (add, rename, mv, rm, list, tree and its diagrams) and
// members' posts in it (primary org, additional orgs, bulk moves, subtree listing).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ADMIN, World, describeRun, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';
const DAN = 'dan@acme.example';

interface OrgView {
  path: string;
  name: string;
  parent: string | null;
}

async function orgList(w: World): Promise<OrgView[]> {
  const r = expectOk(await w.run(['org', 'list', '--json']));
  const list = r.json();
  expect(Array.isArray(list), describeRun(r)).toBe(true);
  return list;
}

/** The org paths, sorted. */
async function paths(w: World): Promise<string[]> {
  return (await orgList(w)).map((o) => o.path).sort();
}

/** A World with the orgs given (created with --parents). */
async function worldWith(...orgs: string[]): Promise<World> {
  const w = await World.ready();
  for (const p of orgs) expectOk(await w.run(['org', 'add', p, '--parents']));
  return w;
}

async function posts(w: World, email: string): Promise<{ org: string | null; orgs: string[] }> {
  const m = await w.member(email);
  return { org: m.org, orgs: [...m.orgs].sort() };
}

describe.concurrent('org add', () => {
  it('adds top-level and nested orgs; org list --json is [{path, name, parent}]', async () => {
    const w = await World.ready();
    expect(await orgList(w)).toEqual([]);
    expectOk(await w.run(['org', 'add', 'Sales']));
    expectOk(await w.run(['org', 'add', 'Sales/Tokyo']));
    const list = await orgList(w);
    for (const o of list) expect(Object.keys(o)).toEqual(expect.arrayContaining(['path', 'name', 'parent']));
    expect(list.map(({ path, name, parent }) => ({ path, name, parent })).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'Sales', name: 'Sales', parent: null },
      { path: 'Sales/Tokyo', name: 'Tokyo', parent: 'Sales' },
    ]);
  });

  it('--parents (and -p) creates every missing org on the path', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Sales/Tokyo/Enterprise', '--parents']));
    expectOk(await w.run(['org', 'add', 'Eng/Platform', '-p']));
    expect(await paths(w)).toEqual(['Eng', 'Eng/Platform', 'Sales', 'Sales/Tokyo', 'Sales/Tokyo/Enterprise']);
  });

  it('a missing parent without --parents is NOT_FOUND (exit 3) and creates nothing', async () => {
    const w = await worldWith('Sales');
    expectError(await w.run(['org', 'add', 'Eng/Platform']), 3, 'NOT_FOUND');
    expectError(await w.run(['org', 'add', 'Sales/Tokyo/Enterprise']), 3, 'NOT_FOUND');
    expect(await paths(w)).toEqual(['Sales']);
  });

  it('an existing org, in any case, is ALREADY_EXISTS (exit 5): names are unique among siblings', async () => {
    const w = await worldWith('Sales/Tokyo');
    expectError(await w.run(['org', 'add', 'Sales']), 5, 'ALREADY_EXISTS');
    expectError(await w.run(['org', 'add', 'SALES/tokyo']), 5, 'ALREADY_EXISTS');
    // The same name under another parent is fine.
    expectOk(await w.run(['org', 'add', 'Eng/Tokyo', '--parents']));
    expect(await paths(w)).toEqual(['Eng', 'Eng/Tokyo', 'Sales', 'Sales/Tokyo']);
  });

  it('needs orgs.manage: a viewer is PERMISSION_DENIED (exit 4)', async () => {
    const w = await World.ready();
    const pw = await w.activeMember('vic@acme.example', 'Vic', 'viewer');
    await w.loginAs('vic@acme.example', pw);
    expectError(await w.as('vic@acme.example', ['org', 'add', 'Sales']), 4, 'PERMISSION_DENIED');
    expect(await paths(w)).toEqual([]);
    // Looking is allowed.
    expect(expectOk(await w.as('vic@acme.example', ['org', 'list', '--json'])).json()).toEqual([]);
  });
});

describe.concurrent('org rename', () => {
  it('renames an org; its descendants and the members in them follow', async () => {
    const w = await worldWith('Sales/Tokyo/Enterprise', 'Eng');
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', 'Sales/Tokyo/Enterprise', '--add-org', 'Sales']));
    expectOk(await w.run(['org', 'rename', 'Sales', 'Revenue']));
    expect(await paths(w)).toEqual(['Eng', 'Revenue', 'Revenue/Tokyo', 'Revenue/Tokyo/Enterprise']);
    expect((await orgList(w)).find((o) => o.path === 'Revenue/Tokyo')).toMatchObject({ name: 'Tokyo', parent: 'Revenue' });
    expect(await posts(w, BOB)).toEqual({ org: 'Revenue/Tokyo/Enterprise', orgs: ['Revenue'] });
    const listed = expectOk(await w.run(['member', 'list', '--json'])).json().find((m: any) => m.email === BOB);
    expect(listed).toMatchObject({ org: 'Revenue/Tokyo/Enterprise', orgs: ['Revenue'] });
    expectError(await w.run(['org', 'rename', 'Sales', 'X']), 3, 'NOT_FOUND');
  });

  it('refuses a name a sibling holds, in any case (ALREADY_EXISTS, exit 5), and changes nothing', async () => {
    const w = await worldWith('Sales/Tokyo', 'Sales/Osaka', 'Eng');
    expectError(await w.run(['org', 'rename', 'Sales/Osaka', 'TOKYO']), 5, 'ALREADY_EXISTS');
    expectError(await w.run(['org', 'rename', 'Eng', 'sales']), 5, 'ALREADY_EXISTS');
    expect(await paths(w)).toEqual(['Eng', 'Sales', 'Sales/Osaka', 'Sales/Tokyo']);
  });

  it('refuses a name with "/" (INVALID_INPUT, exit 2), and an empty name', async () => {
    const w = await worldWith('Sales');
    expectError(await w.run(['org', 'rename', 'Sales', 'Sales/Tokyo']), 2, 'INVALID_INPUT');
    expectError(await w.run(['org', 'rename', 'Sales', 'A/B']), 2, 'INVALID_INPUT');
    expectError(await w.run(['org', 'rename', 'Sales', '']), 2, 'INVALID_INPUT');
    expect(await paths(w)).toEqual(['Sales']);
  });
});

describe.concurrent('org mv', () => {
  it('moves an org with its subtree under a new parent; members follow', async () => {
    const w = await worldWith('Sales/Osaka/Umeda', 'West');
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', 'Sales/Osaka/Umeda', '--add-org', 'Sales/Osaka']));
    expectOk(await w.run(['org', 'mv', 'Sales/Osaka', 'West']));
    expect(await paths(w)).toEqual(['Sales', 'West', 'West/Osaka', 'West/Osaka/Umeda']);
    expect((await orgList(w)).find((o) => o.path === 'West/Osaka')).toMatchObject({ name: 'Osaka', parent: 'West' });
    expect(await posts(w, BOB)).toEqual({ org: 'West/Osaka/Umeda', orgs: ['West/Osaka'] });
  });

  it('"/" moves an org to the top level', async () => {
    const w = await worldWith('Sales/Osaka/Umeda');
    expectOk(await w.run(['org', 'mv', 'Sales/Osaka', '/']));
    expect(await paths(w)).toEqual(['Osaka', 'Osaka/Umeda', 'Sales']);
    expect((await orgList(w)).find((o) => o.path === 'Osaka')).toMatchObject({ name: 'Osaka', parent: null });
  });

  it('moving an org under itself or one of its descendants is ORG_CYCLE (exit 1) and changes nothing', async () => {
    const w = await worldWith('Sales/Tokyo/Enterprise');
    const before = await paths(w);
    expectError(await w.run(['org', 'mv', 'Sales', 'Sales']), 1, 'ORG_CYCLE');
    expectError(await w.run(['org', 'mv', 'Sales', 'Sales/Tokyo']), 1, 'ORG_CYCLE');
    expectError(await w.run(['org', 'mv', 'Sales', 'Sales/Tokyo/Enterprise']), 1, 'ORG_CYCLE');
    expectError(await w.run(['org', 'mv', 'Sales/Tokyo', 'sales/tokyo/enterprise']), 1, 'ORG_CYCLE');
    expect(await paths(w)).toEqual(before);
  });

  it('a name already taken under the new parent, in any case, is ALREADY_EXISTS (exit 5) and changes nothing', async () => {
    const w = await worldWith('Sales/Tokyo', 'West/TOKYO', 'Tokyo');
    const before = await paths(w);
    expectError(await w.run(['org', 'mv', 'Sales/Tokyo', 'West']), 5, 'ALREADY_EXISTS');
    expectError(await w.run(['org', 'mv', 'Sales/Tokyo', '/']), 5, 'ALREADY_EXISTS');
    expect(await paths(w)).toEqual(before);
  });

  it('a missing org or parent is NOT_FOUND (exit 3)', async () => {
    const w = await worldWith('Sales');
    expectError(await w.run(['org', 'mv', 'Nope', '/']), 3, 'NOT_FOUND');
    expectError(await w.run(['org', 'mv', 'Sales', 'Nope']), 3, 'NOT_FOUND');
    expect(await paths(w)).toEqual(['Sales']);
  });
});

describe.concurrent('org rm', () => {
  it('org rm PATH --yes removes the org and its whole subtree', async () => {
    const w = await worldWith('Sales/Tokyo/Enterprise', 'Sales/Osaka', 'Eng');
    expectOk(await w.run(['org', 'rm', 'Sales', '--yes']));
    expect(await paths(w)).toEqual(['Eng']);
    expectError(await w.run(['org', 'rm', 'Sales', '--yes']), 3, 'NOT_FOUND');
  });

  it('without --yes and without a terminal it is USAGE (exit 2) and removes nothing', async () => {
    const w = await worldWith('Sales/Tokyo');
    expectError(await w.run(['org', 'rm', 'Sales/Tokyo']), 2, 'USAGE');
    expect(await paths(w)).toEqual(['Sales', 'Sales/Tokyo']);
  });

  it('is ORG_NOT_EMPTY (exit 1) while any org in the subtree has members, naming them; nothing is removed', async () => {
    const w = await worldWith('Sales/Tokyo', 'Eng');
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', 'Sales/Tokyo']));
    expectOk(await w.run(['member', 'add', CAROL, '--name', 'Carol', '--org', 'Eng', '--add-org', 'Sales']));
    const r = expectError(await w.run(['org', 'rm', 'Sales', '--yes']), 1, 'ORG_NOT_EMPTY');
    expect(r.err).toContain(BOB);
    expect(r.err).toContain(CAROL);
    expect(await paths(w)).toEqual(['Eng', 'Sales', 'Sales/Tokyo']);
    // Once they have moved away, it goes.
    expectOk(await w.run(['member', 'move', BOB, '--org', 'Eng']));
    expectOk(await w.run(['member', 'move', CAROL, '--remove-org', 'Sales']));
    expectOk(await w.run(['org', 'rm', 'Sales', '--yes']));
    expect(await paths(w)).toEqual(['Eng']);
  });

  it('counts removed but restorable members (ORG_NOT_EMPTY naming them) until they are purged', async () => {
    const w = await worldWith('Sales/Tokyo');
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', 'Sales/Tokyo']));
    expectOk(await w.run(['member', 'remove', BOB]));
    const r = expectError(await w.run(['org', 'rm', 'Sales', '--yes']), 1, 'ORG_NOT_EMPTY');
    expect(r.err).toContain(BOB);
    expect(await paths(w)).toEqual(['Sales', 'Sales/Tokyo']);
    expectOk(await w.run(['member', 'purge', BOB, '--yes']));
    expectOk(await w.run(['org', 'rm', 'Sales', '--yes']));
    expect(await paths(w)).toEqual([]);
  });

  it('is ORG_IN_USE (exit 1) while a site-admin scope points into the subtree, and removes nothing', async () => {
    const w = await worldWith('Sales/Tokyo', 'Eng');
    expectOk(await w.run(['member', 'add', 'x@acme.example', '--name', 'X', '--role', 'site-admin', '--scope', 'Sales']));
    const r = expectError(await w.run(['org', 'rm', 'Sales', '--yes']), 1, 'ORG_IN_USE');
    expect(r.err).toContain('x@acme.example');
    expect(await paths(w)).toEqual(['Eng', 'Sales', 'Sales/Tokyo']);
    // A scope on a descendant also pins the ancestor.
    expectOk(await w.run(['member', 'add', 'y@acme.example', '--name', 'Y', '--role', 'site-admin', '--scope', 'Eng']));
    expectOk(await w.run(['org', 'add', 'Eng/Platform']));
    expectOk(await w.run(['role', 'set', 'y@acme.example', 'site-admin', '--scope', 'Eng/Platform']));
    expectError(await w.run(['org', 'rm', 'Eng', '--yes']), 1, 'ORG_IN_USE');
    // A part of the subtree the scope does not reach can go.
    expectOk(await w.run(['org', 'rm', 'Sales/Tokyo', '--yes']));
    expect(await paths(w)).toEqual(['Eng', 'Eng/Platform', 'Sales']);
  });
});

describe.concurrent('org tree', () => {
  async function chart() {
    const w = await worldWith('Sales/Tokyo', 'Sales/Osaka', 'Eng');
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', 'Sales/Tokyo']));
    expectOk(await w.run(['member', 'add', CAROL, '--name', 'Carol', '--org', 'Sales/Tokyo', '--add-org', 'Eng']));
    expectOk(await w.run(['member', 'add', DAN, '--name', 'Dan', '--org', 'Eng']));
    // Leaves (no descendants, so no doubt about what a count includes): Tokyo 2, Osaka 0, Eng 2.
    return w;
  }

  it('shows every org with its member count', async () => {
    const w = await chart();
    const r = expectOk(await w.run(['org', 'tree']));
    const line = (name: string) => r.out.split('\n').find((l) => new RegExp(`\\b${name}\\b`).test(l));
    for (const [name, count] of [['Tokyo', 2], ['Osaka', 0], ['Eng', 2]] as const) {
      expect(line(name), describeRun(r)).toBeDefined();
      expect(line(name)!.replace(name, ''), `${name}\n${describeRun(r)}`).toMatch(new RegExp(`\\b${count}\\b`));
    }
    expect(line('Sales'), describeRun(r)).toBeDefined();
    // Children are drawn below their parent.
    expect(r.out.indexOf('Sales')).toBeLessThan(r.out.indexOf('Tokyo'));
  });

  it('counts the subtree too: each org shows its own members and the distinct members in it and below (text, --json, dot, mermaid); removed members are not counted', async () => {
    const w = await chart();
    const FAY = 'fay@acme.example';
    const GUS = 'gus@acme.example';
    // Fay holds two posts inside Sales (Sales itself and Osaka): Sales counts her once.
    expectOk(await w.run(['member', 'add', FAY, '--name', 'Fay', '--org', 'Sales', '--add-org', 'Sales/Osaka']));
    expectOk(await w.run(['member', 'add', GUS, '--name', 'Gus', '--org', 'Sales/Tokyo']));
    expectOk(await w.run(['member', 'remove', GUS])); // restorable, but not a member now
    const want = { Sales: [1, 3], Tokyo: [2, 2], Osaka: [1, 1], Eng: [2, 2] } as const;
    const text = expectOk(await w.run(['org', 'tree'])).out;
    for (const [name, [own, all]] of Object.entries(want)) expect(text, name).toMatch(new RegExp(`── ${name} \\(${own} · ${all}\\)$`, 'm'));
    const json = expectOk(await w.run(['org', 'tree', '--json'])).json();
    expect(json.map((n: { name: string; members: number; total: number }) => [n.name, n.members, n.total])).toEqual([['Eng', 2, 2], ['Sales', 1, 3]]);
    expect(json[1].children.map((n: { path: string; members: number; total: number }) => [n.path, n.members, n.total])).toEqual([['Sales/Osaka', 1, 1], ['Sales/Tokyo', 2, 2]]);
    for (const format of ['dot', 'mermaid']) {
      const r = expectOk(await w.run(['org', 'tree', '--format', format]));
      for (const [name, [own, all]] of Object.entries(want)) {
        expect(r.out.split('\n').find((l) => l.includes(name)), `${name}\n${describeRun(r)}`).toContain(`${own} member${own === 1 ? '' : 's'} · ${all} in all`);
      }
    }
  });

  it('--format mermaid starts with "flowchart TD" and has one node per org with "N member(s)" and one edge per parent link', async () => {
    const w = await chart();
    const r = expectOk(await w.run(['org', 'tree', '--format', 'mermaid']));
    expect(r.out.startsWith('flowchart TD'), describeRun(r)).toBe(true);
    const nodes = r.out.split('\n').filter((l) => /\d+ members?/.test(l));
    expect(nodes, describeRun(r)).toHaveLength(4);
    for (const [name, count] of [['Tokyo', 2], ['Osaka', 0], ['Eng', 2]] as Array<[string, number]>) {
      expect(nodes.filter((l) => l.includes(name)), `${name}\n${describeRun(r)}`).toHaveLength(1);
      expect(nodes.find((l) => l.includes(name))).toContain(`${count} member${count === 1 ? '' : 's'}`);
    }
    expect(nodes.filter((l) => l.includes('Sales'))).toHaveLength(1);
    expect(r.out.split('\n').filter((l) => l.includes('-->'))).toHaveLength(2);
  });

  it('--format dot is a Graphviz digraph with one node per org and its member count (and dot parses it, when installed)', async () => {
    const w = await chart();
    const r = expectOk(await w.run(['org', 'tree', '--format', 'dot']));
    expect(r.out.trimStart(), describeRun(r)).toMatch(/^(strict\s+)?digraph\b[^{]*\{/);
    expect(r.out.trimEnd().endsWith('}')).toBe(true);
    const nodes = r.out.split('\n').filter((l) => /\d+ members?/.test(l));
    expect(nodes, describeRun(r)).toHaveLength(4);
    for (const [name, count] of [['Tokyo', 2], ['Osaka', 0], ['Eng', 2]] as Array<[string, number]>) {
      expect(nodes.find((l) => l.includes(name)), `${name}\n${describeRun(r)}`).toContain(`${count} member${count === 1 ? '' : 's'}`);
    }
    expect(r.out.split('\n').filter((l) => l.includes('->'))).toHaveLength(2);
    const dot = spawnSync('dot', ['-Tsvg'], { input: r.out, encoding: 'utf8' });
    if (dot.error) {
      console.warn('org tree --format dot: Graphviz `dot` is not installed, so the output was not checked with dot -Tsvg');
    } else {
      expect(dot.status, dot.stderr).toBe(0);
      expect(dot.stdout).toContain('<svg');
    }
  });

  it('an empty chart: org list is [] and the diagrams are still valid', async () => {
    const w = await World.ready();
    expect(await orgList(w)).toEqual([]);
    expect(expectOk(await w.run(['org', 'tree', '--format', 'mermaid'])).out.startsWith('flowchart TD')).toBe(true);
    expect(expectOk(await w.run(['org', 'tree', '--format', 'dot'])).out).toMatch(/digraph/);
  });
});

describe.concurrent("members' posts", () => {
  it('member add --org P --add-org Q sets the primary and an additional org', async () => {
    const w = await worldWith('Sales/Tokyo', 'Eng');
    const added = expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', 'Sales/Tokyo', '--add-org', 'Eng', '--json'])).json();
    expect(added).toMatchObject({ org: 'Sales/Tokyo', orgs: ['Eng'] });
    expect(await posts(w, BOB)).toEqual({ org: 'Sales/Tokyo', orgs: ['Eng'] });
  });

  it('member add into a missing org is NOT_FOUND (exit 3) and adds nobody', async () => {
    const w = await worldWith('Sales');
    expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', 'Nope']), 3, 'NOT_FOUND');
    expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', 'Sales', '--add-org', 'Nope']), 3, 'NOT_FOUND');
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('member update X --org P changes the primary org', async () => {
    const w = await worldWith('Sales', 'Eng');
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--org', 'Sales']));
    expectOk(await w.run(['member', 'update', BOB, '--org', 'Eng']));
    expect((await posts(w, BOB)).org).toBe('Eng');
    expectError(await w.run(['member', 'update', BOB, '--org', 'Nope']), 3, 'NOT_FOUND');
    expect((await posts(w, BOB)).org).toBe('Eng');
  });

  it('member move A B --org P moves both; --add-org adds a post to both; --remove-org takes it away from both', async () => {
    const w = await worldWith('Sales', 'Eng', 'Ops');
    await w.invitedMember(BOB, 'Bob', ['--org', 'Sales']);
    await w.invitedMember(CAROL, 'Carol', ['--org', 'Ops']);
    expectOk(await w.run(['member', 'move', BOB, CAROL, '--org', 'Eng']));
    expect(await posts(w, BOB)).toEqual({ org: 'Eng', orgs: [] });
    expect(await posts(w, CAROL)).toEqual({ org: 'Eng', orgs: [] });
    expectOk(await w.run(['member', 'move', BOB, CAROL, '--add-org', 'Sales', '--add-org', 'Ops']));
    expect(await posts(w, BOB)).toEqual({ org: 'Eng', orgs: ['Ops', 'Sales'] });
    expect(await posts(w, CAROL)).toEqual({ org: 'Eng', orgs: ['Ops', 'Sales'] });
    expectOk(await w.run(['member', 'move', BOB, CAROL, '--remove-org', 'Sales']));
    expect(await posts(w, BOB)).toEqual({ org: 'Eng', orgs: ['Ops'] });
    expect(await posts(w, CAROL)).toEqual({ org: 'Eng', orgs: ['Ops'] });
    // Leaving an org one does not hold is INVALID_STATE naming who, and nobody moves.
    expectOk(await w.run(['member', 'move', CAROL, '--remove-org', 'Ops']));
    const r = expectError(await w.run(['member', 'move', BOB, CAROL, '--remove-org', 'ops', '--add-org', 'Sales']), 1, 'INVALID_STATE');
    expect(r.err, describeRun(r)).toMatch(/carol@acme\.example does not hold the org "Ops"/);
    expect(await posts(w, BOB)).toEqual({ org: 'Eng', orgs: ['Ops'] });
    expect(await posts(w, CAROL)).toEqual({ org: 'Eng', orgs: [] });
  });

  it('member move is all-or-nothing: one missing target is NOT_FOUND (exit 3) and nobody moves', async () => {
    const w = await worldWith('Sales', 'Eng');
    await w.invitedMember(BOB, 'Bob', ['--org', 'Sales']);
    await w.invitedMember(CAROL, 'Carol', ['--org', 'Sales']);
    for (const flags of [['--org', 'Eng'], ['--add-org', 'Eng'], ['--remove-org', 'Sales']]) {
      expectError(await w.run(['member', 'move', BOB, 'ghost@acme.example', CAROL, ...flags]), 3, 'NOT_FOUND');
      expect(await posts(w, BOB)).toEqual({ org: 'Sales', orgs: [] });
      expect(await posts(w, CAROL)).toEqual({ org: 'Sales', orgs: [] });
    }
  });

  it('member move into a missing org is NOT_FOUND (exit 3) and nobody moves', async () => {
    const w = await worldWith('Sales');
    await w.invitedMember(BOB, 'Bob', ['--org', 'Sales']);
    await w.invitedMember(CAROL, 'Carol');
    expectError(await w.run(['member', 'move', BOB, CAROL, '--org', 'Nope']), 3, 'NOT_FOUND');
    expectError(await w.run(['member', 'move', BOB, CAROL, '--add-org', 'Nope']), 3, 'NOT_FOUND');
    expect(await posts(w, BOB)).toEqual({ org: 'Sales', orgs: [] });
    expect(await posts(w, CAROL)).toEqual({ org: null, orgs: [] });
  });

  it('after org mv and org rename, members show the new paths (member show and member list)', async () => {
    const w = await worldWith('Sales/Osaka', 'West', 'Eng');
    await w.invitedMember(BOB, 'Bob', ['--org', 'Sales/Osaka', '--add-org', 'Eng']);
    await w.invitedMember(CAROL, 'Carol', ['--org', 'Eng', '--add-org', 'Sales/Osaka']);
    expectOk(await w.run(['org', 'mv', 'Sales/Osaka', 'West']));
    expectOk(await w.run(['org', 'rename', 'Eng', 'Engineering']));
    expectOk(await w.run(['org', 'rename', 'West', 'WestJapan']));
    expect(await posts(w, BOB)).toEqual({ org: 'WestJapan/Osaka', orgs: ['Engineering'] });
    expect(await posts(w, CAROL)).toEqual({ org: 'Engineering', orgs: ['WestJapan/Osaka'] });
    const list = expectOk(await w.run(['member', 'list', '--json'])).json() as Array<{ email: string; org: string | null; orgs: string[] }>;
    expect(list.find((m) => m.email === BOB)).toMatchObject({ org: 'WestJapan/Osaka', orgs: ['Engineering'] });
    expect(await w.emails(['--org', 'WestJapan'])).toEqual([BOB, CAROL]);
  });

  it('member list --org Sales lists the whole subtree; --direct only that org', async () => {
    const w = await worldWith('Sales/Tokyo/Enterprise', 'Eng');
    await w.invitedMember(BOB, 'Bob', ['--org', 'Sales']);
    await w.invitedMember(CAROL, 'Carol', ['--org', 'Sales/Tokyo']);
    await w.invitedMember(DAN, 'Dan', ['--org', 'Sales/Tokyo/Enterprise']);
    await w.invitedMember('erin@acme.example', 'Erin', ['--org', 'Eng']);
    expect(await w.emails(['--org', 'Sales'])).toEqual([BOB, CAROL, DAN]);
    expect(await w.emails(['--org', 'Sales', '--direct'])).toEqual([BOB]);
    expect(await w.emails(['--org', 'Sales/Tokyo'])).toEqual([CAROL, DAN]);
    expect(await w.emails(['--org', 'Sales/Tokyo', '--direct'])).toEqual([CAROL]);
    expect(await w.emails(['--org', 'Eng'])).toEqual(['erin@acme.example']);
    expectError(await w.run(['member', 'list', '--org', 'Nope']), 3, 'NOT_FOUND');
  });

  it('member list --org counts additional posts too', async () => {
    const w = await worldWith('Sales/Tokyo', 'Eng');
    await w.invitedMember(BOB, 'Bob', ['--org', 'Eng', '--add-org', 'Sales/Tokyo']);
    expect(await w.emails(['--org', 'Sales'])).toEqual([BOB]);
    expect(await w.emails(['--org', 'Sales', '--direct'])).toEqual([]);
    expect(await w.emails(['--org', 'Sales/Tokyo', '--direct'])).toEqual([BOB]);
  });
});
