// SPEC §12: undoing removals. Batch ids on every change, removal records (by whom, which batch),
// `member list --status deleted`, and `member restore --batch / --removed-since [--by]`.
import { describe, expect, it } from 'vitest';
import { ADMIN, T0, World, at, describeRun, expectError, expectOk, type Result, type RunOptions } from '../helpers/world.js';
import type { AuditListItem as Event } from '../../src/core/audit/log.js';

const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';
const DAVE = 'dave@acme.example';
const ERIN = 'erin@acme.example';
const FRANK = 'frank@acme.example';

const MEMBER_FIELDS = ['id', 'email', 'name', 'kind', 'role', 'scope', 'status', 'suspendedReason', 'org', 'orgs', 'title', 'startDate', 'twoFactor', 'createdAt', 'updatedAt', 'deletedAt', 'restorableUntil'];


async function auditAll(w: World): Promise<Event[]> {
  return expectOk(await w.run(['audit', 'list', '--limit', '100000', '--json'])).json();
}

/** Runs a command (which must succeed) and returns it with the audit events it recorded. */
async function recorded(w: World, args: string[], opts: RunOptions = {}): Promise<{ r: Result; events: Event[] }> {
  const before = (await auditAll(w)).length;
  const r = expectOk(await w.run(args, opts));
  const all = await auditAll(w);
  return { r, events: all.slice(0, all.length - before) };
}

/** Adds invited viewers in one command (an apply from stdin), named after their local part. */
async function addMembers(w: World, emails: string[]): Promise<void> {
  expectOk(await w.run(['apply', '-'], { input: ['email,name', ...emails.map((e) => `${e},${e.split('@')[0]}`)].join('\n') + '\n' }));
}

/** `member remove TARGET… --json`; returns the batch recorded on the removed members. */
async function removeBatch(w: World, targets: string[], as?: string): Promise<string> {
  const r = expectOk(as ? await w.as(as, ['member', 'remove', ...targets, '--json']) : await w.run(['member', 'remove', ...targets, '--json']));
  const list = r.json() as any[];
  const batches = new Set(list.map((m) => m.removedBatch));
  expect(batches.size, describeRun(r)).toBe(1);
  const [batch] = batches;
  expect(batch, describeRun(r)).toEqual(expect.any(String));
  return batch;
}

async function deletedEmails(w: World): Promise<string[]> {
  return w.emails(['--status', 'deleted']);
}

async function groupMembers(w: World, group: string): Promise<string[]> {
  const g = expectOk(await w.run(['group', 'show', group, '--json'])).json();
  return (g.members as Array<{ email: string }>).map((m) => m.email).sort();
}

describe('batch ids', () => {
  it('every command that changes anything gives all its audit events one batch id of its own (audit list --batch ID)', async () => {
    const w = await World.ready();
    w.file('two.csv', `email,name\n${ERIN},Erin\n${FRANK},Frank\n`);
    const commands: string[][] = [
      ['member', 'add', BOB, '--name', 'Bob'],
      ['member', 'add', CAROL, '--name', 'Carol'],
      ['member', 'add', DAVE, '--name', 'Dave'],
      ['member', 'suspend', BOB, CAROL, '--reason', 'bulk'],
      ['member', 'unsuspend', BOB, CAROL],
      ['org', 'add', 'Sales/Tokyo', '--parents'],
      ['member', 'move', BOB, CAROL, '--org', 'Sales/Tokyo'],
      ['role', 'set', BOB, CAROL, 'operator'],
      ['apply', 'two.csv'],
      ['group', 'create', 'Team'],
      ['group', 'add-member', 'Team', BOB, CAROL, DAVE],
      ['member', 'remove', CAROL, DAVE],
      ['member', 'restore', CAROL, DAVE],
      ['member', 'reset-password', ERIN, FRANK],
    ];
    const seen = new Set<string>();
    let prev = (await auditAll(w)).length;
    for (const args of commands) {
      expectOk(await w.run(args));
      const all = await auditAll(w);
      const events = all.slice(0, all.length - prev);
      prev = all.length;
      const what = `rollcall ${args.join(' ')}: ${JSON.stringify(events)}`;
      expect(events.length, what).toBeGreaterThan(0);
      const batches = new Set(events.map((e) => e.batch));
      expect(batches.size, what).toBe(1);
      const [batch] = batches;
      expect(batch, what).toEqual(expect.any(String));
      expect(seen.has(batch), `${what}: batch reused from an earlier command`).toBe(false);
      seen.add(batch);
      const listed = expectOk(await w.run(['audit', 'list', '--batch', batch, '--limit', '1000', '--json'])).json() as Event[];
      expect(listed, what).toEqual(events);
    }
  });

  it('member remove ends its human output with Batch: ID, the batch of its audit events', async () => {
    const w = await World.ready();
    await addMembers(w, [BOB, CAROL]);
    const { r, events } = await recorded(w, ['member', 'remove', BOB, CAROL]);
    const last = r.out.trim().split('\n').at(-1)!;
    const m = /^Batch: (\S+)$/.exec(last);
    expect(m, describeRun(r)).not.toBeNull();
    expect(events.filter((e) => e.action === 'member.remove').map((e) => e.target).sort()).toEqual([BOB, CAROL]);
    for (const e of events) expect(e.batch).toBe(m![1]);
  });

  it('a deleted member\'s JSON has removedBy (an email) and removedBatch', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
    const { events } = await recorded(w, ['member', 'remove', BOB]);
    const shown = await w.member(BOB);
    expect(shown).toMatchObject({ status: 'deleted', removedBy: ADMIN, removedBatch: events[0].batch, deletedAt: w.now, restorableUntil: at('+7d') });
    const listed = (expectOk(await w.run(['member', 'list', '--status', 'deleted', '--json'])).json() as any[])[0];
    expect(listed).toMatchObject({ email: BOB, removedBy: ADMIN, removedBatch: events[0].batch });
  });
});

describe('member list --status deleted', () => {
  async function threeRemoved(): Promise<{ w: World; batches: Record<string, string> }> {
    const w = await World.ready();
    const dan = 'dan@acme.example';
    const pw = await w.activeMember(dan, 'Dan', 'admin');
    await addMembers(w, [BOB, CAROL, DAVE]);
    const batches: Record<string, string> = {};
    batches[CAROL] = await removeBatch(w, [CAROL]);
    w.now = at('+1d');
    batches[BOB] = await removeBatch(w, [BOB]);
    w.now = at('+2d');
    await w.loginAs(dan, pw);
    const r = expectOk(await w.as(dan, ['member', 'remove', DAVE]));
    batches[DAVE] = /Batch: (\S+)/.exec(r.out)![1];
    w.now = at('+3d');
    return { w, batches };
  }

  it('shows when and by whom each was removed, the batch and the time left, soonest to expire first', async () => {
    const { w, batches } = await threeRemoved();
    const r = expectOk(await w.run(['member', 'list', '--status', 'deleted']));
    const rows = r.out.split('\n').filter((l) => l.includes('@acme.example') && /bob@|carol@|dave@/.test(l.split(/\s+/)[0] ?? ''));
    expect(rows.map((l) => /^(\S+@\S+)/.exec(l.trim())?.[1]), describeRun(r)).toEqual([CAROL, BOB, DAVE]);
    const row = (email: string) => rows.find((l) => l.trim().startsWith(email))!;
    expect(row(CAROL)).toContain(at('+0d'));
    expect(row(BOB)).toContain(at('+1d'));
    expect(row(DAVE)).toContain(at('+2d'));
    for (const e of [CAROL, BOB]) expect(row(e)).toContain(ADMIN);
    expect(row(DAVE)).toContain('dan@acme.example');
    for (const e of [CAROL, BOB, DAVE]) expect(row(e)).toContain(batches[e]);
    // Time left at +3d: carol 4 days, bob 5 days, dave 6 days (a duration, not only the deadline).
    expect(row(CAROL), describeRun(r)).toMatch(/(^|[\s(])(4d|4 days?|96h)\b/);
    expect(row(BOB), describeRun(r)).toMatch(/(^|[\s(])(5d|5 days?|120h)\b/);
    expect(row(DAVE), describeRun(r)).toMatch(/(^|[\s(])(6d|6 days?|144h)\b/);
  });

  it('--json gives the member JSON (with removedBy and removedBatch), soonest to expire first', async () => {
    const { w, batches } = await threeRemoved();
    const list = expectOk(await w.run(['member', 'list', '--status', 'deleted', '--json'])).json() as any[];
    expect(list.map((m) => m.email)).toEqual([CAROL, BOB, DAVE]);
    for (const m of list) for (const f of [...MEMBER_FIELDS, 'removedBy', 'removedBatch']) expect(m, `lacks ${f}`).toHaveProperty(f);
    expect(list[0]).toMatchObject({ status: 'deleted', deletedAt: at('+0d'), restorableUntil: at('+7d'), removedBy: ADMIN, removedBatch: batches[CAROL] });
    expect(list[2]).toMatchObject({ removedBy: 'dan@acme.example', removedBatch: batches[DAVE], restorableUntil: at('+9d') });
  });
});

describe('member restore --batch: undoing a bulk removal', () => {
  it('a wrong --prune of 50 members is listed by --dry-run and undone by one restore, groups included; audit verify passes', async () => {
    const w = await World.ready();
    const emails = Array.from({ length: 55 }, (_, i) => `m${String(i + 1).padStart(2, '0')}@acme.example`);
    w.file('all.csv', ['email,name,title', ...emails.map((e, i) => `${e},Member ${i + 1},Title ${i + 1}`)].join('\n') + '\n');
    expectOk(await w.run(['apply', 'all.csv']));
    expect((await w.emails()).length).toBe(56);
    expectOk(await w.run(['group', 'create', 'Team']));
    const grouped = emails.slice(10, 13);
    expectOk(await w.run(['group', 'add-member', 'Team', ...grouped]));
    expectOk(await w.run(['member', 'suspend', emails[20]]));
    const kept = emails.slice(0, 5);
    const removed = emails.slice(5);
    w.file('wrong.csv', ['email,name,title', `${ADMIN},Alice Admin,`, ...kept.map((e) => `${e},Member ${emails.indexOf(e) + 1},Title ${emails.indexOf(e) + 1}`)].join('\n') + '\n');

    w.now = at('+1h');
    const applied = expectOk(await w.run(['apply', 'wrong.csv', '--prune', '--yes', '--max-removals', '60', '--json'])).json();
    expect(applied.summary).toEqual({ add: 0, change: 0, remove: 50, restore: 0 });
    const batch: string = applied.batch;
    expect(await deletedEmails(w)).toEqual(removed);
    expect(await groupMembers(w, 'Team')).toEqual([ADMIN]);

    // Support finds the batch from the deleted list.
    w.now = at('+1d');
    const deleted = expectOk(await w.run(['member', 'list', '--status', 'deleted', '--json'])).json() as any[];
    expect(new Set(deleted.map((m) => m.removedBatch))).toEqual(new Set([batch]));

    const auditBefore = (await auditAll(w)).length;
    const dry = expectOk(await w.run(['member', 'restore', '--batch', batch, '--dry-run', '--json'])).json() as any[];
    expect(dry.map((m) => m.email).sort()).toEqual(removed);
    const dryHuman = expectOk(await w.run(['member', 'restore', '--batch', batch, '--dry-run']));
    for (const e of removed) expect(dryHuman.out + dryHuman.err).toContain(e);
    expect(await deletedEmails(w)).toEqual(removed);
    expect((await auditAll(w)).length).toBe(auditBefore);

    const restored = expectOk(await w.run(['member', 'restore', '--batch', batch, '--json'])).json() as any[];
    expect(restored.map((m) => m.email).sort()).toEqual(removed);
    expect(await deletedEmails(w)).toEqual([]);
    expect((await w.emails()).length).toBe(56);
    expect(await groupMembers(w, 'Team')).toEqual([ADMIN, ...grouped].sort());
    expect((await w.member(emails[20])).status).toBe('suspended');
    expect(await w.member(emails[30])).toMatchObject({ status: 'invited', title: 'Title 31', name: 'Member 31' });
    const v = await w.run(['audit', 'verify']);
    expect(v.code, describeRun(v)).toBe(0);
    // Restoring it again restores nobody and says so (exit 0).
    const again = expectOk(await w.run(['member', 'restore', '--batch', batch]));
    expect(again.err).toContain(`Nobody to restore: batch ${batch} was already restored: ${removed.slice(0, 10).join(', ')} and 40 more (by ${ADMIN} at ${at('+1d')})`);
    // Nothing left in that batch to restore: the removed file applies as it did before the prune.
    expectOk(await w.run(['apply', 'all.csv']));
  });

  it('restored members come back as they were: status (suspended stays suspended), role, scope, orgs and groups', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Sales/Tokyo', '--parents']));
    expectOk(await w.run(['org', 'add', 'Support']));
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--role', 'site-admin', '--scope', 'Sales', '--org', 'Sales/Tokyo', '--add-org', 'Support', '--title', 'Lead']));
    await w.activeMember(CAROL, 'Carol', 'operator');
    expectOk(await w.run(['group', 'create', 'Team']));
    expectOk(await w.run(['group', 'add-member', 'Team', BOB, '--role', 'admin']));
    expectOk(await w.run(['group', 'add-member', 'Team', CAROL]));
    expectOk(await w.run(['member', 'suspend', BOB]));
    const before = { bob: await w.member(BOB), carol: await w.member(CAROL) };
    const batch = await removeBatch(w, [BOB, CAROL]);
    w.now = at('+2d');
    const out = expectOk(await w.run(['member', 'restore', '--batch', batch, '--json'])).json() as any[];
    expect(out.map((m) => m.email).sort()).toEqual([BOB, CAROL]);
    const printed = Object.fromEntries(out.map((m) => [m.email, m]));
    const keep = ['status', 'role', 'scope', 'org', 'orgs', 'title', 'name'];
    for (const [email, was] of [[BOB, before.bob], [CAROL, before.carol]] as const) {
      const now = await w.member(email);
      for (const k of keep) {
        expect(now[k], `${email} ${k}`).toEqual(was[k]);
        expect(printed[email][k], `${email} ${k} in the restore output`).toEqual(was[k]);
      }
      expect(now.groups).toEqual(was.groups);
      expect(now.deletedAt).toBeNull();
    }
    expect(before.bob).toMatchObject({ status: 'suspended', role: 'site-admin', scope: ['Sales'], org: 'Sales/Tokyo', orgs: ['Support'] });
    expect(before.carol.status).toBe('active');
    expect(before.bob.groups).toEqual([expect.objectContaining({ name: 'Team', role: 'admin' })]);
    expect(await groupMembers(w, 'Team')).toEqual([ADMIN, BOB, CAROL].sort());
  });

  it('says which groups were deleted since (a note on stderr, lostGroups in --json) and restores the rest', async () => {
    const w = await World.ready();
    await addMembers(w, [BOB, CAROL]);
    for (const g of ['Team', 'Gone']) {
      expectOk(await w.run(['group', 'create', g]));
      expectOk(await w.run(['group', 'add-member', g, BOB, CAROL]));
    }
    const b1 = await removeBatch(w, [BOB]);
    const b2 = await removeBatch(w, [CAROL]);
    expectOk(await w.run(['group', 'delete', 'Gone', '--yes']));
    const human = expectOk(await w.run(['member', 'restore', '--batch', b1]));
    expect(human.err, describeRun(human)).toContain(`note: ${BOB} was in Gone when removed, and is no longer (the group deleted, or the member taken out of it since): not restored there`);
    const j = expectOk(await w.run(['member', 'restore', '--batch', b2, '--json'])).json() as any[];
    expect(j).toHaveLength(1);
    expect(j[0]).toMatchObject({ email: CAROL, lostGroups: ['Gone'] });
    for (const e of [BOB, CAROL]) {
      expect((await w.member(e)).status).toBe('invited');
      expect((await w.member(e)).groups.map((g: any) => g.name)).toEqual(['Team']);
    }
    expect(await groupMembers(w, 'Team')).toEqual([ADMIN, BOB, CAROL].sort());
  });

  it('one of the batch purged by hand: "purged" (by whom), not "more than 7 days"; --dry-run shows the statuses they come back with; --skip-expired restores the rest naming who it skipped; again: "already restored"', async () => {
    const w = await World.ready();
    await addMembers(w, [BOB, CAROL, DAVE]);
    await w.activeMember(ERIN, 'Erin', 'operator');
    expectOk(await w.run(['member', 'suspend', DAVE]));
    const batch = await removeBatch(w, [BOB, CAROL, DAVE, ERIN]);
    w.now = at('+1h');
    expectOk(await w.run(['member', 'purge', BOB, '--yes']));
    w.now = at('+2h');

    const refused = expectError(await w.run(['member', 'restore', '--batch', batch]), 1, 'RESTORE_WINDOW_EXPIRED');
    expect(refused.err).toContain(`error[RESTORE_WINDOW_EXPIRED]: cannot restore ${BOB}: purged for good by ${ADMIN}`);
    expect(refused.err).not.toContain('more than 7 days');
    expect(refused.err).toContain('restore the 3 others without it (--skip-expired)');
    expect(await deletedEmails(w)).toEqual([CAROL, DAVE, ERIN]);

    const dry = expectOk(await w.run(['member', 'restore', '--batch', batch, '--skip-expired', '--dry-run', '--json'])).json();
    expect(dry.restored.map((m: any) => [m.email, m.status])).toEqual([[CAROL, 'invited'], [DAVE, 'suspended'], [ERIN, 'active']]);
    expect(dry.skipped).toEqual([{ email: BOB, reason: 'purged', removedAt: T0, purgedAt: at('+1h'), purgedBy: ADMIN }]);
    expect(await deletedEmails(w)).toEqual([CAROL, DAVE, ERIN]);

    const done = expectOk(await w.run(['member', 'restore', '--batch', batch, '--skip-expired']));
    for (const e of [CAROL, DAVE, ERIN]) expect(done.out).toContain(e);
    expect(done.out).not.toContain(BOB);
    expect(done.err).toContain(`Skipped 1 member, not restored:\n  ${BOB}: purged for good by ${ADMIN} at ${at('+1h')}`);
    expect(await deletedEmails(w)).toEqual([]);
    expect([(await w.member(DAVE)).status, (await w.member(ERIN)).status]).toEqual(['suspended', 'active']);

    // Again: nothing left to restore but bob, exit 0, and who restored the others when.
    w.now = at('+3h');
    const again = expectOk(await w.run(['member', 'restore', '--batch', batch, '--skip-expired']));
    expect(again.out).toBe('');
    expect(again.err).toContain(`Nobody to restore: batch ${batch} was already restored: ${CAROL}, ${DAVE}, ${ERIN} (by ${ADMIN} at ${at('+2h')})`);
    const json = expectOk(await w.run(['member', 'restore', '--batch', batch, '--skip-expired', '--json']));
    expect(json.json()).toEqual({ restored: [], skipped: [{ email: BOB, reason: 'purged', removedAt: T0, purgedAt: at('+1h'), purgedBy: ADMIN }] });
    expect(json.err).toContain('was already restored');
  });

  it('a restore that would cross the seat limit is refused (SEAT_LIMIT_REACHED, exit 1) and restores no one', async () => {
    const w = await World.ready();
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '4']));
    await addMembers(w, [BOB, CAROL]);
    const batch = await removeBatch(w, [BOB, CAROL]);
    await addMembers(w, [DAVE, ERIN]);
    // 3 seats used of 4: one would fit, two do not.
    expectError(await w.run(['member', 'restore', '--batch', batch]), 1, 'SEAT_LIMIT_REACHED');
    expectError(await w.run(['member', 'restore', '--removed-since', '1h']), 1, 'SEAT_LIMIT_REACHED');
    expect(await deletedEmails(w)).toEqual([BOB, CAROL]);
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '5']));
    expectOk(await w.run(['member', 'restore', '--batch', batch]));
    expect(await deletedEmails(w)).toEqual([]);
  });

  it('needs members.restore: a viewer is refused (PERMISSION_DENIED, exit 4), a support member restores', async () => {
    const w = await World.ready();
    const vic = 'vic@acme.example';
    const sam = 'sam@acme.example';
    const vicPw = await w.activeMember(vic, 'Vic', 'viewer');
    const samPw = await w.activeMember(sam, 'Sam', 'support');
    await w.loginAs(vic, vicPw);
    await w.loginAs(sam, samPw);
    await addMembers(w, [BOB, CAROL]);
    const batch = await removeBatch(w, [BOB, CAROL]);
    expectError(await w.as(vic, ['member', 'restore', '--batch', batch]), 4, 'PERMISSION_DENIED');
    expectError(await w.as(vic, ['member', 'restore', '--removed-since', '1h']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(vic, ['member', 'restore', BOB]), 4, 'PERMISSION_DENIED');
    expect(await deletedEmails(w)).toEqual([BOB, CAROL]);
    const r = expectOk(await w.as(sam, ['member', 'restore', '--batch', batch, '--json']));
    expect((r.json() as any[]).map((m) => m.email).sort()).toEqual([BOB, CAROL]);
    expect(await deletedEmails(w)).toEqual([]);
    const ev = (await auditAll(w)).filter((e) => e.action === 'member.restore');
    expect(ev.map((e) => e.actor)).toEqual([sam, sam]);
  });
});

describe('member restore --removed-since', () => {
  it('restores everyone removed since then, or only those removed --by one actor', async () => {
    const w = await World.ready();
    const dan = 'dan@acme.example';
    const pw = await w.activeMember(dan, 'Dan', 'admin');
    await addMembers(w, [BOB, CAROL, DAVE, ERIN]);
    expectOk(await w.run(['member', 'remove', BOB])); // T0, by alice: too early for "1h" at +3h30m
    w.now = at('+3h');
    await w.loginAs(dan, pw);
    expectOk(await w.run(['member', 'remove', CAROL, ERIN])); // by alice
    expectOk(await w.as(dan, ['member', 'remove', DAVE])); // by dan
    w.now = at('+210m');

    const dry = expectOk(await w.run(['member', 'restore', '--removed-since', '1h', '--by', ADMIN, '--dry-run', '--json'])).json() as any[];
    expect(dry.map((m) => m.email).sort()).toEqual([CAROL, ERIN]);
    expect(await deletedEmails(w)).toEqual([BOB, CAROL, DAVE, ERIN]);

    const byAlice = expectOk(await w.run(['member', 'restore', '--removed-since', '1h', '--by', ADMIN, '--json'])).json() as any[];
    expect(byAlice.map((m) => m.email).sort()).toEqual([CAROL, ERIN]);
    expect(await deletedEmails(w)).toEqual([BOB, DAVE]);

    const rest = expectOk(await w.run(['member', 'restore', '--removed-since', '1h', '--json'])).json() as any[];
    expect(rest.map((m) => m.email)).toEqual([DAVE]);
    expect(await deletedEmails(w)).toEqual([BOB]);

    // A date works too.
    expectOk(await w.run(['member', 'restore', '--removed-since', at('-1h')]));
    expect(await deletedEmails(w)).toEqual([]);

    // Nobody left to restore: exit 0, and a note saying so.
    const none = expectOk(await w.run(['member', 'restore', '--removed-since', '1h', '--by', 'dan@acme.example']));
    expect(none.err).toContain('Nobody to restore: no member removed since 1h by dan@acme.example is still removed');
    expect(expectOk(await w.run(['member', 'restore', '--removed-since', '1h', '--json'])).json()).toEqual([]);
    // --by someone who is not a member is NOT_FOUND; --batch and --removed-since are alternatives (USAGE).
    const nobody = expectError(await w.run(['member', 'restore', '--removed-since', '1h', '--by', 'nobody@acme.example']), 3, 'NOT_FOUND');
    expect(nobody.err).toContain('no member nobody@acme.example');
    const both = expectError(await w.run(['member', 'restore', '--batch', 'b1', '--removed-since', '1h']), 2, 'USAGE');
    expect(both.err).toContain('--batch and --removed-since are alternatives');
  });

  it('members past their window make it fail with RESTORE_WINDOW_EXPIRED naming them, unless --skip-expired', async () => {
    const w = await World.ready();
    await addMembers(w, [BOB, CAROL]);
    expectOk(await w.run(['member', 'remove', BOB])); // window ends at +7d
    w.now = at('+6d');
    expectOk(await w.run(['member', 'remove', CAROL])); // window ends at +13d
    w.now = at('+169h'); // +7d 1h
    const dry = expectError(await w.run(['member', 'restore', '--removed-since', '8d', '--dry-run']), 1, 'RESTORE_WINDOW_EXPIRED');
    expect(dry.err).toContain(BOB);
    const r = expectError(await w.run(['member', 'restore', '--removed-since', '8d']), 1, 'RESTORE_WINDOW_EXPIRED');
    expect(r.err).toContain(`error[RESTORE_WINDOW_EXPIRED]: cannot restore ${BOB}: removed more than 7 days ago`);
    expect(r.err).not.toContain(CAROL);
    expect(r.err).toContain('restore the 1 other without it (--skip-expired)'); // carol could come back
    expect((await w.member(CAROL)).status).toBe('deleted');
    // With --skip-expired the JSON is an object: who came back, and who was left behind and why;
    // the dry run answers the same (it is the write rehearsed: bob is purged there too, then rolled back).
    const dryRun = expectOk(await w.run(['member', 'restore', '--removed-since', '8d', '--skip-expired', '--dry-run', '--json'])).json();
    expect((await w.member(CAROL)).status).toBe('deleted');
    const out = expectOk(await w.run(['member', 'restore', '--removed-since', '8d', '--skip-expired', '--json']));
    const { restored, skipped } = out.json() as { restored: any[]; skipped: any[] };
    expect(restored.map((m) => [m.email, m.status])).toEqual([[CAROL, 'invited']]);
    expect(skipped).toEqual([{ email: BOB, reason: 'expired', removedAt: T0, purgedAt: w.now, purgedBy: null }]);
    expect(dryRun).toEqual({ restored, skipped });
    expect((await w.member(CAROL)).status).toBe('invited');
  });

  it('a batch whose members are past their window (or purged) fails with RESTORE_WINDOW_EXPIRED naming them', async () => {
    const w = await World.ready();
    await addMembers(w, [BOB, CAROL]);
    const batch = await removeBatch(w, [BOB, CAROL]);
    w.now = at('+8d');
    const r = expectError(await w.run(['member', 'restore', '--batch', batch]), 1, 'RESTORE_WINDOW_EXPIRED');
    expect(r.err).toContain(`cannot restore ${BOB}, ${CAROL}: removed more than 7 days ago`);
    // Nobody else could come back: skipping is not offered.
    expect(r.err).toContain('hint: add them again with: rollcall member add EMAIL --name NAME\n');
    expect(r.err).not.toContain('--skip-expired');
    // also once purged (every write purges expired members first): still "removed more than 7 days ago"
    expectOk(await w.run(['member', 'purge', '--expired']));
    const again = expectError(await w.run(['member', 'restore', '--batch', batch]), 1, 'RESTORE_WINDOW_EXPIRED');
    expect(again.err).toContain(`cannot restore ${BOB}, ${CAROL}: removed more than 7 days ago`);
    // --skip-expired restores nobody, says so and succeeds.
    const none = expectOk(await w.run(['member', 'restore', '--batch', batch, '--skip-expired']));
    expect(none.out).toBe('');
    expect(none.err).toContain('Nobody was restored: every member left to restore is past restoring');
  });
});
