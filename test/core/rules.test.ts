// The rules of SPEC §3–§7, one test per rule, called on the core directly (test/core/harness.ts):
// each refusal is checked for its error code AND for leaving the workspace exactly as it was.
import { describe, expect, it } from 'vitest';
import { setRole } from '../../src/core/access/role-commands.js';
import { login } from '../../src/core/auth/sign-in.js';
import { DAY } from '../../src/core/clock.js';
import { sha256 } from '../../src/core/credentials.js';
import { addGroupMembers, setGroupSuspended, transferOwner } from '../../src/core/groups.js';
import { issueInvite } from '../../src/core/invites.js';
import { addMembers } from '../../src/core/members/add.js';
import { listMembers } from '../../src/core/members/list.js';
import { moveMembers } from '../../src/core/members/posts.js';
import { purgeMembers } from '../../src/core/members/purge.js';
import { removeMembers } from '../../src/core/members/remove.js';
import { resetPasswords } from '../../src/core/members/reset-password.js';
import { restoreMembers } from '../../src/core/members/restore.js';
import { suspendMembers, unsuspendMembers } from '../../src/core/members/suspend.js';
import { updateMember } from '../../src/core/members/update.js';
import { applyRoster } from '../../src/core/roster/apply.js';
import { parseRoster } from '../../src/core/roster/parse.js';
import type { UnitOfWork } from '../../src/core/unit-of-work.js';
import { actions, caught, newHarness, type Harness } from './harness.js';

const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';
const DAVE = 'dave@acme.example';
const EVE = 'eve@acme.example';
const OUTSIDER = 'olga@other.example';

/** The first admin (alice) runs one command. */
const asAdmin = <T>(h: Harness, fn: (s: UnitOfWork) => Promise<T>): Promise<T> => h.write(h.admin.email, fn);

describe('seat limit (SPEC §1)', () => {
  it('every non-deleted member holds a seat: invited, pending, active and suspended; removed ones do not', async () => {
    const h = await newHarness();
    await h.addMembers([
      { email: BOB }, { email: CAROL, status: 'pending' }, { email: DAVE, status: 'suspended' }, { email: EVE, status: 'deleted' },
    ]);
    expect(await h.status(CAROL)).toBe('pending');
    expect(await h.seatsUsed()).toBe(4); // alice (active), bob, carol, dave
  });

  it('member add past the seat limit is SEAT_LIMIT_REACHED, and a bulk add is all or nothing', async () => {
    const h = await newHarness({ seatLimit: 3 });
    await h.addMember({ email: BOB });
    const err = await h.refuses('SEAT_LIMIT_REACHED', () =>
      asAdmin(h, (s) => addMembers(s, [{ email: CAROL, name: 'Carol' }, { email: DAVE, name: 'Dave' }])));
    expect(err.message).toContain('3'); // the limit and the count
    expect(await h.raw(CAROL)).toBeNull();
    // Exactly at the limit is fine.
    await asAdmin(h, (s) => addMembers(s, [{ email: CAROL, name: 'Carol' }]));
    expect(await h.seatsUsed()).toBe(3);
  });

  it('member restore past the seat limit is SEAT_LIMIT_REACHED, all or nothing', async () => {
    const h = await newHarness({ seatLimit: 3 });
    await h.addMembers([{ email: BOB, status: 'deleted' }, { email: CAROL, status: 'deleted' }]);
    await h.addMembers([{ email: DAVE }, { email: EVE }]); // 3 of 3 seats
    await h.refuses('SEAT_LIMIT_REACHED', () => asAdmin(h, (s) => restoreMembers(s, [BOB])));
    await asAdmin(h, (s) => removeMembers(s, [EVE])); // 2 of 3: one restore fits, two do not
    await h.refuses('SEAT_LIMIT_REACHED', () => asAdmin(h, (s) => restoreMembers(s, [BOB, CAROL])));
    expect(await h.status(BOB)).toBe('deleted');
    await asAdmin(h, (s) => restoreMembers(s, [BOB]));
    expect(await h.status(BOB)).toBe('invited');
  });

  it('invite issue for a new address past the seat limit is SEAT_LIMIT_REACHED', async () => {
    const h = await newHarness({ seatLimit: 2 });
    await h.addMember({ email: BOB });
    await h.refuses('SEAT_LIMIT_REACHED', () => asAdmin(h, (s) => issueInvite(s, { email: CAROL, name: 'Carol' })));
    expect(await h.raw(CAROL)).toBeNull();
  });
});

describe('last active admin (SPEC §3)', () => {
  it('suspending the last active admin is LAST_ADMIN; invited and pending admins do not count', async () => {
    const h = await newHarness();
    await h.addMembers([{ email: BOB, role: 'admin' }, { email: CAROL, role: 'admin', status: 'pending' }]);
    const err = await h.refuses('LAST_ADMIN', () => asAdmin(h, (s) => suspendMembers(s, [h.admin.email])));
    expect(err.message).toContain(h.admin.email);
    // The way out is the invited admin's invitation (not `role set`, which changes nothing for bob), then the pending one.
    expect(err.hint).toMatch(new RegExp(`^${BOB} is an admin but invited: they have not chosen a password yet: .*rollcall invite issue ${BOB}\\).*; or make another active member admin first`));
    await asAdmin(h, (s) => suspendMembers(s, [BOB]));
    expect((await h.refuses('LAST_ADMIN', () => asAdmin(h, (s) => suspendMembers(s, [h.admin.email])))).hint)
      .toMatch(new RegExp(`^${BOB} is an admin but suspended: lift the suspension first: rollcall member unsuspend ${BOB};`));
    await asAdmin(h, (s) => unsuspendMembers(s, [BOB]));
    // Once bob is active, alice may suspend herself (members may act on themselves).
    await h.activate(BOB);
    await asAdmin(h, (s) => suspendMembers(s, [h.admin.email]));
    expect(await h.status(h.admin.email)).toBe('suspended');
  });

  it('removing the last active admin is LAST_ADMIN, and the other targets of the bulk removal stay', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB });
    await h.refuses('LAST_ADMIN', () => asAdmin(h, (s) => removeMembers(s, [BOB, h.admin.email])));
    expect(await h.status(BOB)).toBe('invited');
  });

  it('demoting the last active admin is LAST_ADMIN (by a member whose custom role holds roles.manage)', async () => {
    const h = await newHarness();
    await h.customRole('role-manager', ['roles.manage', 'members.view']);
    await h.addMember({ email: CAROL, role: 'role-manager', status: 'active' });
    await h.refuses('LAST_ADMIN', () => h.write(CAROL, (s) => setRole(s, [h.admin.email], 'viewer', [])));
    expect((await h.actor(h.admin.email)).role).toBe('admin');
  });

  it('an update that makes the last active admin pending (a future start date) is LAST_ADMIN', async () => {
    const h = await newHarness();
    await h.refuses('LAST_ADMIN', () => asAdmin(h, (s) => updateMember(s, h.admin.email, { startDate: h.daysFromNow(10) })));
  });
});

describe('roles (SPEC §4)', () => {
  it('an admin cannot change its own role or scope: PERMISSION_DENIED, even in a bulk role set', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB, role: 'admin', status: 'active' });
    const err = await h.refuses('PERMISSION_DENIED', () => asAdmin(h, (s) => setRole(s, [BOB, h.admin.email], 'operator', [])));
    expect(err.message).toContain('its own role');
    expect((await h.actor(BOB)).role).toBe('admin');
  });

  it('assigning a non-default role needs roles.manage: a site-admin may add viewers in its scope, nothing else', async () => {
    const h = await newHarness();
    await h.addMember({ email: 'sam@acme.example', role: 'site-admin', scope: ['Sales'], status: 'active' });
    await h.refuses('PERMISSION_DENIED', () =>
      h.write('sam@acme.example', (s) => addMembers(s, [{ email: BOB, name: 'Bob', role: 'operator', org: 'Sales' }])));
    await h.refuses('PERMISSION_DENIED', () => h.write('sam@acme.example', (s) => setRole(s, [h.admin.email], 'viewer', [])));
    await h.write('sam@acme.example', (s) => addMembers(s, [{ email: BOB, name: 'Bob', org: 'Sales' }]));
    expect((await h.view(BOB)).role).toBe('viewer');
  });

  it('a viewer cannot add members: PERMISSION_DENIED', async () => {
    const h = await newHarness();
    await h.addMember({ email: 'vic@acme.example', status: 'active' });
    await h.refuses('PERMISSION_DENIED', () => h.write('vic@acme.example', (s) => addMembers(s, [{ email: BOB, name: 'Bob' }])));
  });

  it('scope arity: site-admin takes one or more scopes, chat-operator exactly one, other roles none (INVALID_INPUT)', async () => {
    const h = await newHarness();
    await h.orgs('Sales', 'Engineering');
    await h.addMember({ email: BOB });
    for (const [role, scope] of [['site-admin', []], ['chat-operator', ['Sales', 'Engineering']], ['chat-operator', []], ['viewer', ['Sales']]] as const) {
      const err = await h.refuses('INVALID_INPUT', () => asAdmin(h, (s) => setRole(s, [BOB], role, scope)));
      expect(err.field).toBe('scope');
    }
    await asAdmin(h, (s) => setRole(s, [BOB], 'site-admin', ['Sales', 'Engineering']));
    expect((await h.view(BOB)).scope).toEqual(['Sales', 'Engineering']);
  });
});

describe('scoped permissions (SPEC §4)', () => {
  async function salesAdmin() {
    const h = await newHarness();
    await h.addMembers([
      { email: 'sam@acme.example', role: 'site-admin', scope: ['Sales'], status: 'active' },
      { email: 'tokyo@acme.example', org: 'Sales/Tokyo' },
      { email: 'eng@acme.example', org: 'Engineering' },
      { email: 'nobody@acme.example' },
      { email: 'both@acme.example', org: 'Sales/Tokyo', orgs: ['Engineering'] },
    ]);
    return h;
  }
  const SAM = 'sam@acme.example';

  it('a site-admin scoped to Sales manages a member in Sales/Tokyo (suspend, update, unsuspend, move within Sales)', async () => {
    const h = await salesAdmin();
    await h.write(SAM, (s) => suspendMembers(s, ['tokyo@acme.example']));
    await h.write(SAM, (s) => unsuspendMembers(s, ['tokyo@acme.example']));
    await h.write(SAM, (s) => updateMember(s, 'tokyo@acme.example', { title: 'Lead' }));
    await h.orgs('Sales/Osaka');
    await h.write(SAM, (s) => moveMembers(s, ['tokyo@acme.example'], { org: 'Sales/Osaka' }));
    expect(await h.view('tokyo@acme.example')).toMatchObject({ status: 'invited', title: 'Lead', org: 'Sales/Osaka' });
  });

  it('a site-admin scoped to Sales may not manage a member in Engineering, one with no org, or one also posted outside Sales (PERMISSION_DENIED)', async () => {
    const h = await salesAdmin();
    for (const target of ['eng@acme.example', 'nobody@acme.example', 'both@acme.example']) {
      const err = await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => suspendMembers(s, [target])));
      expect(err.message).toContain('outside its scope');
      await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => updateMember(s, target, { title: 'X' })));
    }
    // A bulk command with targets out of scope changes none, and names those (as NOT_FOUND names missing ones).
    const bulk = await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => suspendMembers(s, ['tokyo@acme.example', 'eng@acme.example', 'nobody@acme.example'])));
    expect(bulk.message).toBe('sam@acme.example (role site-admin) lacks members.manage over eng@acme.example, nobody@acme.example: outside its scope (Sales)');
    // A change is checked where the member is and where it would go: named too.
    const move = await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => moveMembers(s, ['tokyo@acme.example'], { org: 'Engineering' })));
    expect(move.message).toContain('over tokyo@acme.example: outside its scope');
  });

  it('a site-admin may not move a member out of its scope, nor add one outside it', async () => {
    const h = await salesAdmin();
    await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => moveMembers(s, ['tokyo@acme.example'], { org: 'Engineering' })));
    await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => moveMembers(s, ['tokyo@acme.example'], { addOrgs: ['Engineering'] })));
    await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => addMembers(s, [{ email: BOB, name: 'Bob', org: 'Engineering' }])));
    await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => addMembers(s, [{ email: BOB, name: 'Bob' }]))); // no org: outside every scope
  });

  it('a site-admin may not pull a member with no org into its scope (move --org, --add-org, a roster\'s org column): else the admin itself could be moved in, and its password reset', async () => {
    const h = await salesAdmin();
    const ALICE = h.admin.email;
    for (const target of ['nobody@acme.example', ALICE]) {
      const moved = await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => moveMembers(s, [target], { org: 'Sales' })));
      expect(moved.message).toContain(`over ${target}: outside its scope (Sales)`);
      await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => moveMembers(s, [target], { addOrgs: ['Sales/Tokyo'] })));
      const roster = parseRoster(new TextEncoder().encode(`email,org\n${target},Sales\n`), 'r.csv');
      await h.refuses('PERMISSION_DENIED', async () => applyRoster(h.ws(), await h.actor(SAM), { roster, options: {} }));
      expect((await h.view(target)).org).toBeNull();
      await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => resetPasswords(s, [target])));
    }
  });

  it('a site-admin cannot remove members, even in its scope (members.delete is not scoped to it)', async () => {
    const h = await salesAdmin();
    await h.refuses('PERMISSION_DENIED', () => h.write(SAM, (s) => removeMembers(s, ['tokyo@acme.example'])));
  });
});

describe('group owners (SPEC §3, §7)', () => {
  it('a group owner cannot be suspended: OWNER_PROTECTED naming the group and transfer-owner, and the bulk suspension changes no one', async () => {
    const h = await newHarness();
    await h.addMembers([{ email: BOB, role: 'operator', status: 'active' }, { email: CAROL }]);
    await h.group('Design', BOB, { members: [CAROL] });
    const err = await h.refuses('OWNER_PROTECTED', () => asAdmin(h, (s) => suspendMembers(s, [CAROL, BOB])));
    expect(err.message).toContain('Design');
    expect(err.hint).toContain('transfer-owner');
    expect(await h.status(CAROL)).toBe('invited');
  });

  it('OWNER_PROTECTED counts each owner\'s own groups, and names the other owners among the targets', async () => {
    const h = await newHarness();
    await h.addMembers([{ email: BOB, role: 'operator', status: 'active' }, { email: CAROL, role: 'operator', status: 'active' }]);
    await h.group('Design', BOB);
    await h.group('Ops', CAROL);
    const two = await h.refuses('OWNER_PROTECTED', () => asAdmin(h, (s) => suspendMembers(s, [BOB, CAROL])));
    expect(two.message).toBe(`cannot suspend ${BOB}: it owns group "Design"; ${CAROL} owns groups too`);
    await h.group('Docs', BOB);
    const mine = await h.refuses('OWNER_PROTECTED', () => asAdmin(h, (s) => suspendMembers(s, [BOB])));
    expect(mine.message).toBe(`cannot suspend ${BOB}: it owns group "Design" and 1 more`);
  });

  it('a group owner cannot be removed: OWNER_PROTECTED until the group is handed over', async () => {
    const h = await newHarness();
    await h.addMembers([{ email: BOB, role: 'operator', status: 'active' }, { email: CAROL, status: 'active' }]);
    await h.group('Design', BOB, { admins: [CAROL] });
    await h.refuses('OWNER_PROTECTED', () => asAdmin(h, (s) => removeMembers(s, [BOB])));
    await h.write(BOB, (s) => transferOwner(s, 'Design', CAROL, {}));
    await asAdmin(h, (s) => removeMembers(s, [BOB]));
    expect(await h.status(BOB)).toBe('deleted');
  });
});

describe('external members (SPEC §1)', () => {
  it('member add of an address outside the domains while allow-external is off is EXTERNAL_NOT_ALLOWED, all or nothing', async () => {
    const h = await newHarness();
    await h.refuses('EXTERNAL_NOT_ALLOWED', () =>
      asAdmin(h, (s) => addMembers(s, [{ email: CAROL, name: 'Carol' }, { email: OUTSIDER, name: 'Olga' }])));
    expect(await h.raw(CAROL)).toBeNull();
    await h.refuses('EXTERNAL_NOT_ALLOWED', () => asAdmin(h, (s) => issueInvite(s, { email: OUTSIDER, name: 'Olga' })));
    await h.settings({ allowExternal: true });
    await asAdmin(h, (s) => addMembers(s, [{ email: OUTSIDER, name: 'Olga' }]));
    expect((await h.view(OUTSIDER)).kind).toBe('external');
  });

  it('member update to an outside address while allow-external is off is EXTERNAL_NOT_ALLOWED', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB });
    await h.refuses('EXTERNAL_NOT_ALLOWED', () => asAdmin(h, (s) => updateMember(s, BOB, { email: 'bob@other.example' })));
  });

  it('a new address outside the domains does not carry a member of an internal-only group past §7 (member update --email, a roster renaming by id): EXTERNAL_NOT_ALLOWED naming the group', async () => {
    const h = await newHarness({ allowExternal: true });
    const [bob] = await h.addMembers([{ email: BOB, role: 'operator', status: 'active' }, { email: CAROL }]);
    await h.group('Staff', BOB, { members: [CAROL], internalOnly: true });
    const refused = await h.refuses('EXTERNAL_NOT_ALLOWED', () => asAdmin(h, (s) => updateMember(s, CAROL, { email: 'carol@other.example' })));
    expect(refused.message).toBe('cannot give carol@acme.example the address carol@other.example: it is outside the workspace\'s domains (acme.example) and the member is in internal-only group "Staff"');
    const carol = await h.raw(CAROL);
    const rename = parseRoster(new TextEncoder().encode(`id,email\n${carol!.id},carol@other.example\n`), 'r.csv');
    await h.refuses('EXTERNAL_NOT_ALLOWED', async () => applyRoster(h.ws(), await h.actor(h.admin.email), { roster: rename, options: {} }));
    await h.refuses('EXTERNAL_NOT_ALLOWED', () => asAdmin(h, (s) => updateMember(s, bob.email, { email: 'bob@other.example' }))); // the owner too
    expect(await h.raw('carol@other.example')).toBeNull();
    // Another address on the domains, or outside them for a member of no internal-only group, is fine.
    await asAdmin(h, (s) => updateMember(s, CAROL, { email: 'caro@acme.example' }));
    await h.addMember({ email: 'dan@acme.example' });
    await asAdmin(h, (s) => updateMember(s, 'dan@acme.example', { email: 'dan@other.example' }));
  });
});

describe('audit: every change is recorded, and only changes (SPEC §9)', () => {
  it('an update that changes nothing (the same address, the same name) writes nothing and records nothing', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB });
    const before = await h.view(BOB);
    const entries = (await h.audit()).length;
    await asAdmin(h, (s) => updateMember(s, BOB, { email: 'BOB@acme.example', name: before.name }));
    expect((await h.audit()).length).toBe(entries);
    expect((await h.view(BOB)).updatedAt).toBe(before.updatedAt);
    await asAdmin(h, (s) => updateMember(s, BOB, { title: 'Lead' }));
    expect(actions((await h.audit()).slice(entries))).toEqual(['member.update']);
  });
});

describe('addresses (SPEC §3)', () => {
  it('an address already held is ALREADY_EXISTS, whatever its case or width', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB });
    for (const email of ['BOB@acme.example', ' bob@ACME.example ', 'ｂｏｂ＠ａｃｍｅ．ｅｘａｍｐｌｅ']) {
      await h.refuses('ALREADY_EXISTS', () => asAdmin(h, (s) => addMembers(s, [{ email, name: 'Bob 2' }])));
    }
  });

  it('an address held by a removed, restorable member is ALREADY_EXISTS, hinting at restore or purge', async () => {
    const h = await newHarness();
    await h.addMembers([{ email: BOB, status: 'deleted' }, { email: CAROL }]);
    const err = await h.refuses('ALREADY_EXISTS', () => asAdmin(h, (s) => addMembers(s, [{ email: BOB, name: 'Bob again' }])));
    expect(err.hint).toContain('member restore');
    expect(err.hint).toContain('member purge');
    await h.refuses('ALREADY_EXISTS', () => asAdmin(h, (s) => updateMember(s, CAROL, { email: BOB })));
    await h.refuses('ALREADY_EXISTS', () => asAdmin(h, (s) => issueInvite(s, { email: BOB, name: 'Bob' })));
  });

  it('the same address twice in one member add is INVALID_INPUT, and neither is added', async () => {
    const h = await newHarness();
    await h.refuses('INVALID_INPUT', () => asAdmin(h, (s) => addMembers(s, [{ email: BOB, name: 'Bob' }, { email: 'Bob@acme.example', name: 'Bob' }])));
  });
});

describe('the 7-day restore window (SPEC §3)', () => {
  it('restore within 7 days brings the member back as it was: status, role, org and groups', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB, role: 'operator', org: 'Sales', title: 'Rep', status: 'active' });
    await h.group('Design', h.admin.email, { members: [BOB] });
    const [removed] = await asAdmin(h, (s) => removeMembers(s, [BOB]));
    expect(removed.restorableUntil).toBe(new Date(Date.parse(h.nowIso) + 7 * DAY).toISOString());
    h.advanceDays(7); // the last instant of the window
    await asAdmin(h, (s) => restoreMembers(s, [BOB]));
    expect(await h.view(BOB)).toMatchObject({ status: 'active', role: 'operator', org: 'Sales', title: 'Rep', deletedAt: null, restorableUntil: null });
    const memberships = await h.store.read(async (tx) => tx.listGroupMemberships({ memberId: (await tx.getMemberByEmail(BOB))!.id }));
    expect(memberships.map((m) => m.role)).toEqual(['member']);
  });

  it('restore after the 7 days is RESTORE_WINDOW_EXPIRED (the refused write purges nothing either), dry run included', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB, status: 'deleted' });
    h.advanceDays(7).advance(1);
    await h.refuses('RESTORE_WINDOW_EXPIRED', () => asAdmin(h, (s) => restoreMembers(s, [BOB])));
    expect(await h.status(BOB)).toBe('deleted');
    const dry = await caught(h.read(h.admin.email, (s) => restoreMembers(s, [BOB], { dryRun: true })));
    expect(dry.code).toBe('RESTORE_WINDOW_EXPIRED');
  });

  it('the next write after 7 days purges removed members for good, remembering the address (restore: RESTORE_WINDOW_EXPIRED)', async () => {
    const h = await newHarness();
    const [bob] = await h.addMembers([{ email: BOB, status: 'deleted' }]);
    h.advanceDays(7);
    await h.addMember({ email: CAROL }); // a write at exactly 7 days: still restorable, not purged
    expect(await h.status(BOB)).toBe('deleted');
    h.advance(1000);
    // Reads do not purge.
    expect((await h.read(h.admin.email, (s) => listMembers(s, { status: 'deleted' }))).map((m) => m.email)).toEqual([BOB]);
    await h.addMember({ email: DAVE }); // any write
    expect(await h.raw(BOB)).toBeNull();
    expect(await h.purged(BOB)).toMatchObject({ email: BOB, memberId: bob.id, deletedAt: bob.deletedAt, purgedAt: h.nowIso });
    const purge = (await h.audit()).find((e) => e.action === 'member.purge')!;
    expect(purge).toMatchObject({ target: BOB, actor: null, reason: 'restore window expired' });
    for (const target of [BOB, bob.id]) {
      await h.refuses('RESTORE_WINDOW_EXPIRED', () => asAdmin(h, (s) => restoreMembers(s, [target])));
    }
    // The address is free again.
    await asAdmin(h, (s) => addMembers(s, [{ email: BOB, name: 'Bob, again' }]));
    expect((await h.raw(BOB))!.id).not.toBe(bob.id);
  });
});

describe('what a restore reports (SPEC §12, issue 22.2)', () => {
  it('a member purged by hand is "purged" (by whom), one past its window "removed more than 7 days ago"; skipping is offered only when others can come back', async () => {
    const h = await newHarness();
    await h.addMembers([{ email: BOB }, { email: CAROL }, { email: DAVE, status: 'suspended' }]);
    await asAdmin(h, (s) => removeMembers(s, [BOB, CAROL, DAVE]));
    await asAdmin(h, (s) => purgeMembers(s, [BOB]));
    const only = await h.refuses('RESTORE_WINDOW_EXPIRED', () => asAdmin(h, (s) => restoreMembers(s, [BOB])));
    expect(only.message).toBe(`cannot restore ${BOB}: purged for good by ${h.admin.email}`);
    expect([only.hint, only.field]).toEqual(['add it again with: rollcall member add EMAIL --name NAME', undefined]); // nobody else to restore
    const some = await h.refuses('RESTORE_WINDOW_EXPIRED', () => asAdmin(h, (s) => restoreMembers(s, [BOB, CAROL, DAVE])));
    expect([some.hint, some.field]).toEqual(['add it again with: rollcall member add EMAIL --name NAME; restore the 2 others without it', 'skipExpired']);
    expect(await h.status(CAROL)).toBe('deleted');
    // A dry run shows the status each would come back with; the skipped are named, why and by whom.
    const dry = await h.read(h.admin.email, (s) => restoreMembers(s, [BOB, CAROL, DAVE], { dryRun: true, skipExpired: true }));
    expect(dry.restored.map((m) => [m.email, m.status, m.deletedAt])).toEqual([[CAROL, 'invited', null], [DAVE, 'suspended', null]]);
    expect(dry.skipped).toEqual([{ email: BOB, reason: 'purged', removedAt: h.nowIso, purgedAt: h.nowIso, purgedBy: h.admin.email }]);
    expect(await h.status(CAROL)).toBe('deleted');
    h.advanceDays(8);
    const late = await h.refuses('RESTORE_WINDOW_EXPIRED', () => asAdmin(h, (s) => restoreMembers(s, [CAROL])));
    expect(late.message).toBe(`cannot restore ${CAROL}: removed more than 7 days ago`);
  });
});

describe('member states (SPEC §3, §5, §7): INVALID_STATE where the spec refuses', () => {
  it('a removed member cannot be suspended, unsuspended, updated, moved, given a role, reset or added to a group', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB, org: 'Sales', status: 'deleted' });
    await h.group('Design', h.admin.email);
    const refused: Array<(s: UnitOfWork) => Promise<unknown>> = [
      (s) => suspendMembers(s, [BOB]),
      (s) => unsuspendMembers(s, [BOB]),
      (s) => updateMember(s, BOB, { title: 'X' }),
      (s) => moveMembers(s, [BOB], { org: 'Sales' }),
      (s) => setRole(s, [BOB], 'operator', []),
      (s) => resetPasswords(s, [BOB]),
      (s) => removeMembers(s, [BOB]),
      (s) => addGroupMembers(s, 'Design', [BOB], 'member'),
    ];
    for (const fn of refused) await h.refuses('INVALID_STATE', () => asAdmin(h, fn));
  });

  it('unsuspend of a member that is not suspended is INVALID_STATE, and the bulk unsuspension lifts no one', async () => {
    const h = await newHarness();
    await h.addMembers([{ email: BOB, status: 'suspended' }, { email: CAROL }]);
    const err = await h.refuses('INVALID_STATE', () => asAdmin(h, (s) => unsuspendMembers(s, [BOB, CAROL])));
    expect(err.message).toContain(CAROL);
    expect(await h.status(BOB)).toBe('suspended');
  });

  it('restore of a member not removed, and purge of a member not removed, are INVALID_STATE', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB });
    await h.refuses('INVALID_STATE', () => asAdmin(h, (s) => restoreMembers(s, [BOB])));
    await h.refuses('INVALID_STATE', () => asAdmin(h, (s) => purgeMembers(s, [BOB])));
  });

  it('an invitation for a registered or a suspended member is INVALID_STATE', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB, status: 'suspended' });
    await h.refuses('INVALID_STATE', () => asAdmin(h, (s) => issueInvite(s, { email: h.admin.email })));
    await h.refuses('INVALID_STATE', () => asAdmin(h, (s) => issueInvite(s, { email: BOB })));
  });

  it('leaving an org a member does not hold is INVALID_STATE naming it, and the bulk move changes no one', async () => {
    const h = await newHarness();
    await h.addMembers([{ email: BOB, org: 'Sales' }, { email: CAROL, org: 'Support', orgs: ['Sales'] }, { email: DAVE, org: 'Support' }]);
    const err = await h.refuses('INVALID_STATE', () => asAdmin(h, (s) => moveMembers(s, [BOB, CAROL, DAVE], { removeOrgs: ['sales'] })));
    expect(err.message).toBe(`${DAVE} does not hold the org "Sales": there is nothing to leave`);
    await asAdmin(h, (s) => moveMembers(s, [BOB, CAROL], { removeOrgs: ['Sales'] })); // primary or additional
    expect([(await h.view(BOB)).org, (await h.view(CAROL)).orgs]).toEqual([null, []]);
  });

  it('a new invitee without a name is named after its address, as a roster row is', async () => {
    const h = await newHarness();
    await asAdmin(h, (s) => issueInvite(s, { email: 'Dan.Brown@ACME.example' }));
    expect(await h.view('dan.brown@acme.example')).toMatchObject({ name: 'dan.brown', status: 'invited' });
  });

  it('adding members to a suspended group is INVALID_STATE', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB });
    await h.group('Design', h.admin.email);
    await asAdmin(h, (s) => setGroupSuspended(s, 'Design', true));
    await h.refuses('INVALID_STATE', () => asAdmin(h, (s) => addGroupMembers(s, 'Design', [BOB], 'member')));
  });

  it('invited and pending members can be suspended, and unsuspend brings back the status they would have had', async () => {
    const h = await newHarness();
    await h.addMembers([{ email: BOB }, { email: CAROL, status: 'pending' }]);
    await asAdmin(h, (s) => suspendMembers(s, [BOB, CAROL], 'on leave'));
    expect(await h.view(CAROL)).toMatchObject({ status: 'suspended', suspendedReason: 'on leave' });
    await asAdmin(h, (s) => unsuspendMembers(s, [BOB, CAROL]));
    expect([await h.status(BOB), await h.status(CAROL)]).toEqual(['invited', 'pending']);
  });
});

describe('targets and bulk commands (SPEC §3)', () => {
  it('unknown targets are NOT_FOUND naming every missing one, emails and ids alike', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB });
    const err = await h.refuses('NOT_FOUND', () => asAdmin(h, (s) => suspendMembers(s, [BOB, 'ghost@acme.example', 'm_0000000000000000'])));
    expect(err.message).toContain('ghost@acme.example');
    expect(err.message).toContain('m_0000000000000000');
    expect(err.message).not.toContain(BOB);
  });

  it('a bulk command is all or nothing: one refused target (a group owner) stops the removal of every other', async () => {
    const h = await newHarness();
    await h.addMembers([{ email: BOB }, { email: CAROL }, { email: DAVE, role: 'operator', status: 'active' }]);
    await h.group('Ops', DAVE);
    await h.refuses('OWNER_PROTECTED', () => asAdmin(h, (s) => removeMembers(s, [BOB, CAROL, DAVE])));
    expect([await h.status(BOB), await h.status(CAROL), await h.status(DAVE)]).toEqual(['invited', 'invited', 'active']);
    // Targets may be given by id, and the same member twice counts once.
    const bob = await h.actor(BOB);
    const removed = await asAdmin(h, (s) => removeMembers(s, [bob.id, BOB, CAROL]));
    expect(removed.map((m) => m.email)).toEqual([BOB, CAROL]);
  });
});

describe('the audit chain (SPEC §9)', () => {
  it('every write appends events that verifyChain accepts, one batch per command, with the right actions; a refusal appends none', async () => {
    const h = await newHarness();
    const start = (await h.head()).seq;
    const added = await asAdmin(h, (s) => addMembers(s, [{ email: BOB, name: 'Bob' }, { email: CAROL, name: 'Carol' }]));
    const temporaryPassword = added[0].temporaryPassword!;
    await asAdmin(h, (s) => suspendMembers(s, [BOB, CAROL], 'audit'));
    await asAdmin(h, (s) => unsuspendMembers(s, [BOB]));
    await asAdmin(h, (s) => setRole(s, [BOB], 'operator', []));
    await asAdmin(h, (s) => removeMembers(s, [CAROL], 'left'));
    await asAdmin(h, (s) => restoreMembers(s, [CAROL]));
    await caught(asAdmin(h, (s) => removeMembers(s, [h.admin.email]))); // refused: nothing appended
    const log = (await h.audit()).filter((e) => e.seq > start);
    expect(actions(log)).toEqual([
      'member.add', 'member.add', 'member.suspend', 'member.suspend', 'member.unsuspend', 'role.set', 'member.remove', 'member.restore',
    ]);
    expect(log.map((e) => e.target)).toEqual([BOB, CAROL, BOB, CAROL, BOB, BOB, CAROL, CAROL]);
    expect(log.every((e) => e.actor === h.admin.email)).toBe(true);
    expect(log.find((e) => e.action === 'member.remove')).toMatchObject({ reason: 'left', before: { deleted: false }, after: { deleted: true } });
    expect(log.find((e) => e.action === 'role.set')).toMatchObject({ before: { role: 'viewer' }, after: { role: 'operator' } });
    // One batch per command: both adds share one, each later command has its own.
    expect(new Set(log.map((e) => e.batch)).size).toBe(6);
    expect(log[0].batch).toBe(log[1].batch);
    expect(await h.verify()).toEqual({ ok: true, entries: (await h.head()).seq });
    // No secret reaches the log.
    const bodies = JSON.stringify(await h.audit());
    expect(bodies).not.toContain(temporaryPassword);
    expect(bodies).not.toContain(sha256(temporaryPassword));
  });

  it('verifyChain finds an altered entry', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB });
    h.store.db.prepare("UPDATE audit SET body = replace(body, 'bob@', 'rob@') WHERE action = 'member.add' AND target = ?").run(BOB);
    expect(await h.verify()).toMatchObject({ ok: false, problem: expect.stringContaining('altered') });
  });
});

describe('the acting member is checked again inside every transaction (SPEC §14)', () => {
  it('a member suspended after its command started cannot commit (ACCOUNT_SUSPENDED), and nothing is written', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB, role: 'admin', status: 'active' });
    const bob = await h.actor(BOB); // what the command held when it started
    await asAdmin(h, (s) => suspendMembers(s, [BOB]));
    await h.refuses('ACCOUNT_SUSPENDED', () => h.write(bob, (s) => addMembers(s, [{ email: CAROL, name: 'Carol' }])));
  });

  it('a member removed after its command started cannot commit (NOT_AUTHENTICATED)', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB, role: 'admin', status: 'active' });
    const bob = await h.actor(BOB);
    await asAdmin(h, (s) => removeMembers(s, [BOB]));
    await h.refuses('NOT_AUTHENTICATED', () => h.write(bob, (s) => addMembers(s, [{ email: CAROL, name: 'Carol' }])));
  });

  it('a member demoted after its command started acts with the role it holds now (PERMISSION_DENIED)', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB, role: 'admin', status: 'active' });
    const bob = await h.actor(BOB);
    await asAdmin(h, (s) => setRole(s, [BOB], 'viewer', []));
    await h.refuses('PERMISSION_DENIED', () => h.write(bob, (s) => addMembers(s, [{ email: CAROL, name: 'Carol', role: 'admin' }])));
    expect(await h.read(bob, async (s) => s.actor?.role)).toBe('viewer');
  });
});

// Behaviour against the spec, found while writing these tests. Each test asserts what the core does
// TODAY, so that the suite stays green and the behaviour is pinned precisely; when the bug is fixed
// the test fails: turn its last assertion into the one the comment names.
describe('known bugs (today\'s behaviour, against the spec)', () => {
  it('BUG SPEC §2: rules are checked before the permission: a viewer adding a bad address or org is told INVALID_INPUT / NOT_FOUND', async () => {
    const h = await newHarness();
    await h.addMember({ email: 'vic@acme.example', status: 'active' });
    // Spec: PERMISSION_DENIED for both (who is acting, the permission, then the rules).
    await h.refuses('INVALID_INPUT', () => h.write('vic@acme.example', (s) => addMembers(s, [{ email: 'not-an-address', name: 'X' }])));
    await h.refuses('NOT_FOUND', () => h.write('vic@acme.example', (s) => addMembers(s, [{ email: BOB, name: 'X', org: 'Nowhere' }])));
  });

  it('BUG SPEC §3: once no admin is active (the last one locked out), every update is LAST_ADMIN, naming no one', async () => {
    const h = await newHarness();
    await h.customRole('hr', ['members.view', 'members.manage']);
    await h.addMembers([{ email: 'hr@acme.example', role: 'hr', status: 'active' }, { email: BOB }]);
    for (let i = 0; i < 3; i++) await caught(login(h.ws(), h.admin.email, 'Wr0ngPassword')); // lockout (§5)
    expect((await h.view(h.admin.email)).suspendedReason).toBe('too-many-failed-logins');
    // Spec: the invariant guards changes that lose the last active admin; this one loses no one.
    const err = await h.refuses('LAST_ADMIN', () => h.write('hr@acme.example', (s) => updateMember(s, BOB, { title: 'Lead' })));
    expect(err.message).toBe('cannot update : the workspace must keep at least one active admin');
  });

  it('BUG SPEC §6: re-issuing an invitation with an org the member holds as an additional post lists it as both primary and additional', async () => {
    const h = await newHarness();
    await h.addMember({ email: BOB, org: 'Sales', orgs: ['Support'] });
    await asAdmin(h, (s) => issueInvite(s, { email: BOB, org: 'Support' }));
    // Spec (as member move does): org Support, orgs [].
    expect(await h.view(BOB)).toMatchObject({ org: 'Support', orgs: ['Support'] });
  });
});

