// Issue 23.4 (SPEC §14): --from-file FILE|- on every command that takes several targets, joined to the
// command line's targets, run as one command: one transaction, one batch, all or nothing.
import { describe, expect, it } from 'vitest';
import { World, describeRun, expectError, expectOk } from '../helpers/world.js';
import type { AuditListItem as Event } from '../../src/core/audit/log.js';

const people = ['kim', 'lee', 'may', 'ned', 'ola'].map((n) => `${n}@acme.example`);
const [KIM, LEE, MAY, NED, OLA] = people;

describe('--from-file', () => {
  it('reads one target a line (comments, blanks, spaces, CRLF), adds the command line, and runs them as one batch that restore --batch undoes', async () => {
    const w = await World.ready();
    expectOk(await w.run(['apply', '-'], { input: ['email,name', ...people.map((e) => `${e},${e.split('@')[0]}`)].join('\n') + '\n' }));
    w.file('leavers.txt', `# leavers, from HR\r\n  ${KIM}  \r\n\r\n${LEE}   # moved away\r\n`);

    // suspend: file and command line together.
    const suspended = expectOk(await w.run(['member', 'suspend', NED, '--from-file', 'leavers.txt', '--reason', 'hr', '--json'])).json() as Array<{ email: string; status: string }>;
    expect(suspended.map((m) => m.email).sort()).toEqual([KIM, LEE, NED]);
    expectOk(await w.run(['member', 'unsuspend', '--from-file', '-', NED, '--json'], { input: `${KIM}\n${LEE}\n` }));
    expect(await w.emails(['--status', 'suspended'])).toEqual([]);

    // remove from standard input: one batch for all of them, which one restore undoes.
    const removed = expectOk(await w.run(['member', 'remove', '--from-file', '-', MAY, '--json'], { input: `${KIM}\n# not ${OLA}\n${LEE}\n` })).json() as Array<{ removedBatch: string }>;
    const batches = new Set(removed.map((m) => m.removedBatch));
    expect(batches.size).toBe(1);
    const [batch] = batches;
    const events = expectOk(await w.run(['audit', 'list', '--batch', batch, '--json'])).json() as Event[];
    expect(events.map((e) => e.target).sort()).toEqual([KIM, LEE, MAY]);
    expect(await w.emails(['--status', 'deleted'])).toEqual([KIM, LEE, MAY]);
    const restored = expectOk(await w.run(['member', 'restore', '--batch', batch, '--json'])).json() as Array<{ email: string }>;
    expect(restored.map((m) => m.email).sort()).toEqual([KIM, LEE, MAY]);

    // role set and group add-member take it too.
    w.file('team.txt', `${KIM}\n${LEE}\n`);
    expectOk(await w.run(['role', 'set', '--from-file', 'team.txt', 'operator']));
    expect((await w.member(LEE)).role).toBe('operator');
    expectOk(await w.run(['group', 'create', 'Ops']));
    const g = expectOk(await w.run(['group', 'add-member', 'Ops', '--from-file', 'team.txt', MAY, '--json'])).json() as { members: Array<{ email: string }> };
    expect(g.members.map((m) => m.email).sort()).toEqual(expect.arrayContaining([KIM, LEE, MAY]));
  });

  it('is all or nothing; an unreadable file is NOT_FOUND or INVALID_INPUT naming it; no targets at all is USAGE', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', KIM, '--name', 'Kim']));
    w.file('some-missing.txt', `${KIM}\nnobody@acme.example\n`);
    const refused = expectError(await w.run(['member', 'suspend', '--from-file', 'some-missing.txt']), 3, 'NOT_FOUND');
    expect(refused.err).toContain('nobody@acme.example');
    expect((await w.member(KIM)).status).toBe('invited');

    const missing = expectError(await w.run(['member', 'remove', '--from-file', 'nope.txt']), 3, 'NOT_FOUND');
    expect(missing.err).toContain('nope.txt');
    expect(expectError(await w.run(['member', 'remove', '--from-file', '.']), 2, 'INVALID_INPUT').err).toContain('.');
    w.file('empty.txt', '# nobody this week\n\n');
    for (const args of [['member', 'remove', '--from-file', 'empty.txt'], ['member', 'remove'], ['group', 'remove-member', 'G', '--from-file', '-'], ['role', 'set', 'viewer']]) {
      const r = await w.run(args);
      expect(r.code, describeRun(r)).toBe(2);
      expect(r.errCode(), describeRun(r)).toBe('USAGE');
    }
    expect((await w.member(KIM)).status).toBe('invited');
  });
});
