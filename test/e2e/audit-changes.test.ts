// Issue 23.9 (SPEC §9): the audit log shows what changed. audit list --json carries before/after;
// audit show SEQ prints one entry in full; group membership events target the member and name the
// group; --action is checked against the actions the log records, and noun.* is a prefix.
import { beforeAll, describe, expect, it } from 'vitest';
import { World, expectError, expectOk } from '../helpers/world.js';
import type { AuditListItem as Event } from '../../src/core/audit/log.js';

const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';

describe('audit: what changed', () => {
  let w: World;
  let all: Event[];
  const list = async (...args: string[]) => expectOk(await w.run(['audit', 'list', ...args, '--json'])).json() as Event[];
  beforeAll(async () => {
    w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
    expectOk(await w.run(['member', 'add', CAROL, '--name', 'Carol']));
    expectOk(await w.run(['member', 'update', BOB, '--title', 'Lead']));
    expectOk(await w.run(['group', 'create', 'Design']));
    expectOk(await w.run(['group', 'add-member', 'Design', BOB, CAROL]));
    expectOk(await w.run(['group', 'set-role', 'Design', BOB, 'admin']));
    expectOk(await w.run(['group', 'remove-member', 'Design', CAROL]));
    all = await list('--limit', '1000');
  });

  it('audit list --json carries seq, before and after; audit show SEQ --json is the same entry', async () => {
    const update = all.find((e) => e.action === 'member.update')!;
    expect(update).toMatchObject({ seq: expect.any(Number), target: BOB, targetId: expect.stringMatching(/^m_/), group: null, before: { title: null }, after: { title: 'Lead' } });
    expect(expectOk(await w.run(['audit', 'show', String(update.seq), '--json'])).json()).toEqual(update);
    const text = expectOk(await w.run(['audit', 'show', String(update.seq)])).out;
    expect(text).toMatch(/^seq: +\d+\n/);
    expect(text).toContain(`target:    ${BOB}\n`);
    expect(text).toMatch(/changes:\n {2}title +\(none\) → Lead\n$/); // only what changed
    expectError(await w.run(['audit', 'show', '0']), 2, 'INVALID_INPUT');
    expect(expectError(await w.run(['audit', 'show', '99999']), 3, 'NOT_FOUND').err).toContain('no audit entry 99999');
  });

  it("group membership events target the member and name the group: a member's --target shows its group changes, the group's its members'", async () => {
    const bobs = await list('--target', BOB);
    expect(bobs.map((e) => [e.action, e.group])).toEqual([['group.set-role', 'Design'], ['group.add-member', 'Design'], ['member.update', null], ['member.add', null]]);
    expect(bobs[0]).toMatchObject({ target: BOB, before: { group: 'Design', role: 'member' }, after: { group: 'Design', role: 'admin' } });
    const text = expectOk(await w.run(['audit', 'show', String(bobs[0].seq)])).out;
    expect(text).toContain('group:     Design\n');
    expect(text).toMatch(/changes:\n {2}role +member → admin\n$/);
    const carols = await list('--target', CAROL);
    expect(carols[0]).toMatchObject({ action: 'group.remove-member', target: CAROL, group: 'Design', before: { group: 'Design', role: 'member' }, after: null });
    const design = await list('--target', 'design');
    expect(design.map((e) => [e.action, e.target])).toEqual([
      ['group.remove-member', CAROL], ['group.set-role', BOB], ['group.add-member', CAROL], ['group.add-member', BOB], ['group.create', 'Design'],
    ]);
    expect(expectOk(await w.run(['audit', 'verify'])).out).toMatch(/intact/);
  });

  it('--action takes one action or noun.*; an action the log never records is INVALID_INPUT with a suggestion', async () => {
    expect((await list('--action', 'member.*')).map((e) => e.action).sort()).toEqual(all.filter((e) => e.action.startsWith('member.')).map((e) => e.action).sort());
    expect((await list('--action', 'group.*', '--target', BOB)).map((e) => e.action)).toEqual(['group.set-role', 'group.add-member']);
    expect((await list('--action', 'group.remove-member')).map((e) => e.target)).toEqual([CAROL]);
    const typo = expectError(await w.run(['audit', 'list', '--action', 'member.suspnd']), 2, 'INVALID_INPUT');
    expect(typo.err).toContain('hint: did you mean member.suspend?');
    expectError(await w.run(['audit', 'list', '--action', 'nosuch.*']), 2, 'INVALID_INPUT');
  });
});
