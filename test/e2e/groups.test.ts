// SPEC §7 (issue 6), with §3's owner protection: groups, group admins, exactly one owner,
// transfer-owner and the support override, internal-only and suspended groups, who sees what, and
// group memberships across a member's removal, restore and purge.
import { beforeAll, describe, expect, it } from 'vitest';
import { World, at, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const OWEN = 'owen@acme.example'; // operator: creates groups (groups.create), so owns them
const GRACE = 'grace@acme.example'; // viewer: made a group admin in the groups below
const MIA = 'mia@acme.example'; // viewer: a plain group member
const VIC = 'vic@acme.example'; // viewer: in no group
const SUE = 'sue@acme.example'; // support: groups.override
const OLLIE = 'ollie@acme.example'; // operator: a second group creator
const PW_WRONG = 'Wr0ngPassw0rd!';

interface GroupMember {
  email: string;
  role: 'admin' | 'member';
  owner: boolean;
}
interface GroupView {
  name: string;
  status: string;
  owner: string;
  internalOnly: boolean;
  description: string | null;
  members?: GroupMember[];
}

const passwords: Record<string, string> = {};
let w: World;

beforeAll(async () => {
  w = await World.ready();
  for (const [email, name, role] of [
    [OWEN, 'Owen', 'operator'], [GRACE, 'Grace', 'viewer'], [MIA, 'Mia', 'viewer'], [VIC, 'Vic', 'viewer'],
    [SUE, 'Sue', 'support'], [OLLIE, 'Ollie', 'operator'],
  ]) {
    passwords[email] = await w.activeMember(email, name, role);
    await w.loginAs(email, passwords[email]);
  }
}, 120_000);

/** `group show NAME --json` as `actor` (an email with a session, or 'admin' for the workspace admin's token). */
async function show(name: string, actor = OWEN): Promise<GroupView> {
  const r = actor === 'admin' ? await w.run(['group', 'show', name, '--json']) : await w.as(actor, ['group', 'show', name, '--json']);
  return expectOk(r).json();
}

/** The group's members as seen by one of its members, sorted by email. */
async function membersOf(name: string, asMember: string): Promise<GroupMember[]> {
  const g = await show(name, asMember);
  expect(g.members, `group show ${name} as ${asMember} has members`).toBeDefined();
  return [...g.members!].sort((a, b) => a.email.localeCompare(b.email));
}

/** A group created by `owner`, with GRACE as group admin and MIA as plain member unless told otherwise. */
async function makeGroup(name: string, opts: { owner?: string; admins?: string[]; members?: string[]; flags?: string[] } = {}) {
  const owner = opts.owner ?? OWEN;
  expectOk(await w.as(owner, ['group', 'create', name, ...(opts.flags ?? [])]));
  const admins = opts.admins ?? [GRACE];
  const members = opts.members ?? [MIA];
  if (admins.length) expectOk(await w.as(owner, ['group', 'add-member', name, ...admins, '--role', 'admin']));
  if (members.length) expectOk(await w.as(owner, ['group', 'add-member', name, ...members]));
}

/** Exactly one owner, it is a group admin, and it matches the group's `owner` field. */
function expectOneOwner(g: GroupView) {
  expect(g.members, 'members visible').toBeDefined();
  const owners = g.members!.filter((m) => m.owner);
  expect(owners, JSON.stringify(g)).toHaveLength(1);
  expect(owners[0]).toMatchObject({ email: g.owner, role: 'admin' });
}

function expectHintNames(r: Result, text: string) {
  expect(r.err, describeRun(r)).toMatch(new RegExp(`hint:.*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
}

// ---------------------------------------------------------------- creation

describe('group create', () => {
  it('the creator becomes the owner, and the owner is a group admin', async () => {
    const r = expectOk(await w.as(OWEN, ['group', 'create', 'Design', '--description', 'Product design', '--json']));
    expect(r.json()).toMatchObject({ name: 'Design', status: 'active', owner: OWEN, internalOnly: false, description: 'Product design' });
    const g = await show('Design');
    expect(g.members).toEqual([{ email: OWEN, role: 'admin', owner: true }]);
    expectOneOwner(g);
  });

  it('needs groups.create: a viewer gets PERMISSION_DENIED (exit 4) and no group is made', async () => {
    expectError(await w.as(VIC, ['group', 'create', 'ViewerGroup']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['group', 'show', 'ViewerGroup']), 3, 'NOT_FOUND');
  });

  it('group list shows each group with its status and owner', async () => {
    expectOk(await w.as(OWEN, ['group', 'create', 'Listed']));
    const list = expectOk(await w.run(['group', 'list', '--json'])).json() as GroupView[];
    expect(list.find((g) => g.name === 'Listed')).toMatchObject({ name: 'Listed', status: 'active', owner: OWEN });
  });

  it('a group is named in any case by every command, audit list --target included (names are unique in any case)', async () => {
    expectOk(await w.as(OWEN, ['group', 'create', 'Case-Study']));
    expectError(await w.as(OLLIE, ['group', 'create', 'CASE-study']), 5, 'ALREADY_EXISTS');
    expect((await show('case-study')).name).toBe('Case-Study');
    expectOk(await w.as(OWEN, ['group', 'add-member', 'CASE-STUDY', MIA]));
    expectOk(await w.as(OWEN, ['group', 'set-role', 'case-STUDY', MIA, 'admin']));
    const events = expectOk(await w.run(['audit', 'list', '--target', 'case-study', '--json'])).json() as Array<{ action: string; target: string; group: string }>;
    // Membership events target the member, and name the group (SPEC §9, issue 23.9).
    expect(events.map((e) => [e.action, e.target, e.group])).toEqual([['group.set-role', MIA, 'Case-Study'], ['group.add-member', MIA, 'Case-Study'], ['group.create', 'Case-Study', 'Case-Study']]);
  });

  it('one member may own many groups; member show --json lists groups with role and owner flag', async () => {
    await makeGroup('Own-A', { owner: OLLIE, admins: [], members: [] });
    await makeGroup('Own-B', { owner: OLLIE, admins: [], members: [MIA] });
    const m = await w.member(OLLIE);
    expect(m.groups).toEqual(expect.arrayContaining([{ name: 'Own-A', role: 'admin', owner: true }, { name: 'Own-B', role: 'admin', owner: true }]));
    expect((await w.member(MIA)).groups).toEqual(expect.arrayContaining([{ name: 'Own-B', role: 'member', owner: false }]));
  });
});

// ---------------------------------------------------------------- group authority

describe('only group admins manage a group', () => {
  beforeAll(async () => {
    await makeGroup('Authority');
  });

  it('a workspace admin who is not a group admin gets PERMISSION_DENIED for add-member, update and suspend', async () => {
    expectError(await w.run(['group', 'add-member', 'Authority', VIC]), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['group', 'update', 'Authority', '--description', 'hijacked']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['group', 'suspend', 'Authority']), 4, 'PERMISSION_DENIED');
    const g = await show('Authority');
    expect(g).toMatchObject({ status: 'active', description: null });
    expect(g.members!.map((m) => m.email)).not.toContain(VIC);
  });

  it('a workspace admin who is not a group admin cannot remove members, set roles or resume either', async () => {
    expectError(await w.run(['group', 'remove-member', 'Authority', MIA]), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['group', 'set-role', 'Authority', MIA, 'admin']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['group', 'resume', 'Authority']), 4, 'PERMISSION_DENIED');
    expect((await membersOf('Authority', OWEN)).find((m) => m.email === MIA)).toEqual({ email: MIA, role: 'member', owner: false });
  });

  it('a plain group member gets PERMISSION_DENIED for add-member, set-role and update', async () => {
    expectError(await w.as(MIA, ['group', 'add-member', 'Authority', VIC]), 4, 'PERMISSION_DENIED');
    expectError(await w.as(MIA, ['group', 'set-role', 'Authority', MIA, 'admin']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(MIA, ['group', 'update', 'Authority', '--description', 'mine']), 4, 'PERMISSION_DENIED');
    const members = await membersOf('Authority', OWEN);
    expect(members.map((m) => m.email)).not.toContain(VIC);
    expect(members.find((m) => m.email === MIA)?.role).toBe('member');
  });

  it('a group admin who is not the owner manages it: add-member, set-role, update, suspend, resume, remove-member', async () => {
    expectOk(await w.as(GRACE, ['group', 'add-member', 'Authority', VIC]));
    expectOk(await w.as(GRACE, ['group', 'set-role', 'Authority', VIC, 'admin']));
    expect((await membersOf('Authority', GRACE)).find((m) => m.email === VIC)).toEqual({ email: VIC, role: 'admin', owner: false });
    expectOk(await w.as(GRACE, ['group', 'set-role', 'Authority', VIC, 'member']));
    expectOk(await w.as(GRACE, ['group', 'update', 'Authority', '--description', 'by grace']));
    expectOk(await w.as(GRACE, ['group', 'suspend', 'Authority']));
    expect((await show('Authority', GRACE)).status).toBe('suspended');
    expectOk(await w.as(GRACE, ['group', 'resume', 'Authority']));
    expectOk(await w.as(GRACE, ['group', 'remove-member', 'Authority', VIC]));
    const g = await show('Authority', GRACE);
    expect(g).toMatchObject({ status: 'active', description: 'by grace', owner: OWEN });
    expect(g.members!.map((m) => m.email)).not.toContain(VIC);
    expectOneOwner(g);
  });
});

// ---------------------------------------------------------------- owner protection

describe('the owner is protected', () => {
  beforeAll(async () => {
    await makeGroup('Protected');
  });

  it('the owner cannot be removed from the group: OWNER_PROTECTED (exit 1), by a group admin or by itself', async () => {
    expectError(await w.as(GRACE, ['group', 'remove-member', 'Protected', OWEN]), 1, 'OWNER_PROTECTED');
    expectError(await w.as(OWEN, ['group', 'remove-member', 'Protected', OWEN]), 1, 'OWNER_PROTECTED');
    expectError(await w.as(GRACE, ['group', 'remove-member', 'Protected', MIA, OWEN]), 1, 'OWNER_PROTECTED');
    const g = await show('Protected');
    expect(g.owner).toBe(OWEN);
    expect(g.members!.map((m) => m.email)).toEqual(expect.arrayContaining([OWEN, MIA]));
    expectOneOwner(g);
  });

  it('the owner cannot be demoted: OWNER_PROTECTED (exit 1), by set-role or by add-member --role member', async () => {
    expectError(await w.as(GRACE, ['group', 'set-role', 'Protected', OWEN, 'member']), 1, 'OWNER_PROTECTED');
    expectError(await w.as(OWEN, ['group', 'set-role', 'Protected', OWEN, 'member']), 1, 'OWNER_PROTECTED');
    expectError(await w.as(GRACE, ['group', 'add-member', 'Protected', OWEN, '--role', 'member']), 1, 'OWNER_PROTECTED');
    expect((await membersOf('Protected', OWEN)).find((m) => m.email === OWEN)).toEqual({ email: OWEN, role: 'admin', owner: true });
  });

  it('member suspend of a group owner is OWNER_PROTECTED (exit 1), naming the group and group transfer-owner', async () => {
    const r = expectError(await w.run(['member', 'suspend', OWEN]), 1, 'OWNER_PROTECTED');
    expectHintNames(r, 'group transfer-owner');
    expect(r.err, describeRun(r)).toMatch(/Design|Listed|Authority|Protected/);
    expect((await w.member(OWEN)).status).toBe('active');
  });

  it('member remove of a group owner is OWNER_PROTECTED (exit 1) with the transfer-owner hint, also in JSON', async () => {
    const r = expectError(await w.run(['member', 'remove', OWEN]), 1, 'OWNER_PROTECTED');
    expectHintNames(r, 'group transfer-owner');
    const j = expectError(await w.run(['member', 'remove', OWEN, '--json']), 1, 'OWNER_PROTECTED');
    expect(j.error()?.hint ?? '', describeRun(j)).toContain('group transfer-owner');
    expect((await w.member(OWEN)).status).toBe('active');
  });

  it('a bulk suspend or remove including an owner changes nobody (all-or-nothing)', async () => {
    await w.invitedMember('bulk-1@acme.example', 'Bulk One');
    expectError(await w.run(['member', 'suspend', 'bulk-1@acme.example', OWEN]), 1, 'OWNER_PROTECTED');
    expectError(await w.run(['member', 'remove', 'bulk-1@acme.example', OWEN]), 1, 'OWNER_PROTECTED');
    expect((await w.member('bulk-1@acme.example')).status).toBe('invited');
    expect((await w.member(OWEN)).status).toBe('active');
  });
});

// ---------------------------------------------------------------- transfer-owner

describe('group transfer-owner', () => {
  it('only the owner transfers: a group admin who is not the owner, or a workspace admin, gets PERMISSION_DENIED', async () => {
    await makeGroup('T-Only');
    expectError(await w.as(GRACE, ['group', 'transfer-owner', 'T-Only', '--to', GRACE]), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['group', 'transfer-owner', 'T-Only', '--to', GRACE]), 4, 'PERMISSION_DENIED');
    expect((await show('T-Only')).owner).toBe(OWEN);
  });

  it('the target must be an active group admin: a plain member or a non-member is TARGET_NOT_GROUP_ADMIN (exit 1), the hint saying how to make them one', async () => {
    await makeGroup('T-Target');
    const plain = expectError(await w.as(OWEN, ['group', 'transfer-owner', 'T-Target', '--to', MIA]), 1, 'TARGET_NOT_GROUP_ADMIN');
    expect(plain.err).toContain(`hint: make them a group admin first: rollcall group set-role T-Target ${MIA} admin`);
    const outsider = expectError(await w.as(OWEN, ['group', 'transfer-owner', 'T-Target', '--to', VIC]), 1, 'TARGET_NOT_GROUP_ADMIN');
    expect(outsider.err).toContain(`hint: add them first: rollcall group add-member T-Target ${VIC} --role admin`);
    const g = await show('T-Target');
    expect(g.owner).toBe(OWEN);
    expect(g.members!.find((m) => m.email === MIA)).toEqual({ email: MIA, role: 'member', owner: false });
    expect(g.members!.map((m) => m.email)).not.toContain(VIC);
  });

  it('a group admin who is suspended in the workspace is not an active group admin: TARGET_NOT_GROUP_ADMIN', async () => {
    const SUSP = 'susp-admin@acme.example';
    await w.activeMember(SUSP, 'Susp Admin');
    await makeGroup('T-Suspended', { admins: [SUSP], members: [] });
    expectOk(await w.run(['member', 'suspend', SUSP]));
    const r = expectError(await w.as(OWEN, ['group', 'transfer-owner', 'T-Suspended', '--to', SUSP]), 1, 'TARGET_NOT_GROUP_ADMIN');
    // Already a group admin: the hint says what is missing (an active member), not to make them one.
    expect(r.err).toContain(`hint: ${SUSP} is suspended: a group owner must be an active member; lift the suspension first: rollcall member unsuspend ${SUSP}`);
    expect((await show('T-Suspended')).owner).toBe(OWEN);
  });

  it('a group admin who has not chosen a password yet (invited) is not an active group admin: TARGET_NOT_GROUP_ADMIN, the hint saying so', async () => {
    const NEWBIE = 'newbie-admin@acme.example';
    await w.invitedMember(NEWBIE, 'Newbie Admin');
    await makeGroup('T-Invited', { admins: [NEWBIE], members: [] });
    const r = expectError(await w.as(OWEN, ['group', 'transfer-owner', 'T-Invited', '--to', NEWBIE]), 1, 'TARGET_NOT_GROUP_ADMIN');
    // The way there is their invitation (or a temporary password), not a command that changes nothing for them.
    expect(r.err).toContain(`hint: ${NEWBIE} is invited: a group owner must be an active member; they have not chosen a password yet: they become active by accepting an invitation (rollcall invite issue ${NEWBIE}) or by signing in with a temporary password (rollcall member reset-password ${NEWBIE})`);
    expect(r.err).not.toContain('set-role');
    expect(r.err).not.toContain('passwd');
    // An open invitation is named.
    const issued = expectOk(await w.run(['invite', 'issue', NEWBIE, '--json'])).json();
    const again = expectError(await w.as(OWEN, ['group', 'transfer-owner', 'T-Invited', '--to', NEWBIE]), 1, 'TARGET_NOT_GROUP_ADMIN');
    expect(again.err).toContain(`they have not chosen a password yet (an invitation is open until ${issued.expiresAt})`);
    expect((await show('T-Invited')).owner).toBe(OWEN);
  });

  it('the owner hands over to an active group admin; the old owner stays a group admin; exactly one owner', async () => {
    await makeGroup('T-Handover');
    const r = expectOk(await w.as(OWEN, ['group', 'transfer-owner', 'T-Handover', '--to', GRACE, '--json']));
    expect(r.json().owner).toBe(GRACE);
    const members = await membersOf('T-Handover', GRACE);
    expect(members.find((m) => m.email === GRACE)).toEqual({ email: GRACE, role: 'admin', owner: true });
    expect(members.find((m) => m.email === OWEN)).toEqual({ email: OWEN, role: 'admin', owner: false });
    expectOneOwner(await show('T-Handover', GRACE));
    // The new owner is protected now, the old one no longer: it can be demoted and removed by a group admin.
    expectError(await w.as(OWEN, ['group', 'set-role', 'T-Handover', GRACE, 'member']), 1, 'OWNER_PROTECTED');
    expectOk(await w.as(GRACE, ['group', 'set-role', 'T-Handover', OWEN, 'member']));
    expectOk(await w.as(GRACE, ['group', 'remove-member', 'T-Handover', OWEN]));
    expect((await membersOf('T-Handover', GRACE)).map((m) => m.email)).not.toContain(OWEN);
  });

  it('once an owner has handed over all its groups it can be suspended again', async () => {
    const HANDY = 'handy@acme.example';
    await w.loginAs(HANDY, await w.activeMember(HANDY, 'Handy', 'operator'));
    await makeGroup('T-Free', { owner: HANDY, admins: [GRACE], members: [] });
    expectError(await w.run(['member', 'suspend', HANDY]), 1, 'OWNER_PROTECTED');
    expectOk(await w.as(HANDY, ['group', 'transfer-owner', 'T-Free', '--to', GRACE]));
    expectOk(await w.run(['member', 'suspend', HANDY]));
    expect((await w.member(HANDY)).status).toBe('suspended');
  });
});

describe('group transfer-owner --override', () => {
  it('needs groups.override: a workspace admin gets PERMISSION_DENIED (exit 4), pointed to the support role; the owner too', async () => {
    await makeGroup('O-Perm');
    const admin = expectError(await w.run(['group', 'transfer-owner', 'O-Perm', '--to', MIA, '--override', '--reason', 'owner left']), 4, 'PERMISSION_DENIED');
    expect(admin.err).toContain('hint: groups.override belongs to the support role, not to admin: a member holding it does this; give it with: rollcall role set EMAIL support');
    expectError(await w.as(GRACE, ['group', 'transfer-owner', 'O-Perm', '--to', GRACE, '--override', '--reason', 'mine now']), 4, 'PERMISSION_DENIED');
    expect((await show('O-Perm')).owner).toBe(OWEN);
  });

  it('no one takes ownership for themselves (§7), the override included: support in the group taking it is PERMISSION_DENIED; handing a group to its owner is INVALID_STATE, and nothing is logged', async () => {
    await makeGroup('O-Self', { members: [SUE] });
    const self = expectError(await w.as(SUE, ['group', 'transfer-owner', 'O-Self', '--to', SUE, '--override', '--reason', 'mine now']), 4, 'PERMISSION_DENIED');
    expect(self.err).toContain(`no one takes ownership of a group for themselves: ${SUE} cannot take group "O-Self" over`);
    expect((await show('O-Self')).owner).toBe(OWEN);
    const count = async () => (expectOk(await w.run(['audit', 'list', '--action', 'group.transfer-owner', '--json'])).json() as unknown[]).length;
    const before = await count();
    expect(expectError(await w.as(OWEN, ['group', 'transfer-owner', 'O-Self', '--to', OWEN]), 1, 'INVALID_STATE').err).toContain(`${OWEN} already owns group "O-Self"`);
    expectError(await w.as(SUE, ['group', 'transfer-owner', 'O-Self', '--to', OWEN, '--override', '--reason', 'again']), 1, 'INVALID_STATE');
    expect(await count()).toBe(before);
  });

  it('needs --reason: refused as a usage error (exit 2), owner unchanged', async () => {
    await makeGroup('O-Reason');
    const r = await w.as(SUE, ['group', 'transfer-owner', 'O-Reason', '--to', MIA, '--override']);
    expect(r.code, describeRun(r)).toBe(2);
    expect(['USAGE', 'INVALID_INPUT'], describeRun(r)).toContain(r.errCode());
    expect((await show('O-Reason')).owner).toBe(OWEN);
  });

  it('the target must be an active member of the group: a non-member is INVALID_STATE (exit 1)', async () => {
    await makeGroup('O-State');
    expectError(await w.as(SUE, ['group', 'transfer-owner', 'O-State', '--to', VIC, '--override', '--reason', 'owner left']), 1, 'INVALID_STATE');
    expect((await show('O-State')).owner).toBe(OWEN);
  });

  it('the target must be an active member of the group: a suspended group member is INVALID_STATE (exit 1)', async () => {
    const SLEEPY = 'sleepy@acme.example';
    await w.invitedMember(SLEEPY, 'Sleepy');
    await makeGroup('O-Suspended', { members: [SLEEPY] });
    expectOk(await w.run(['member', 'suspend', SLEEPY]));
    const r = expectError(await w.as(SUE, ['group', 'transfer-owner', 'O-Suspended', '--to', SLEEPY, '--override', '--reason', 'owner left']), 1, 'INVALID_STATE');
    expect(r.err).toContain(`${SLEEPY} is suspended: a group owner must be an active member`);
    expect((await show('O-Suspended')).owner).toBe(OWEN);
  });

  it('a group member still invited is INVALID_STATE (exit 1), the hint pointing to the invitation, not to add-member', async () => {
    const FRESH = 'fresh@acme.example';
    await w.invitedMember(FRESH, 'Fresh');
    await makeGroup('O-Invited', { members: [FRESH] });
    const r = expectError(await w.as(SUE, ['group', 'transfer-owner', 'O-Invited', '--to', FRESH, '--override', '--reason', 'owner left']), 1, 'INVALID_STATE');
    expect(r.err).toContain(`hint: ${FRESH} is invited: a group owner must be an active member; they have not chosen a password yet: they become active by accepting an invitation (rollcall invite issue ${FRESH})`);
    expect(r.err).not.toContain('add-member');
    expect((await show('O-Invited')).owner).toBe(OWEN);
  });

  it('support takes a group over for a plain member: the target becomes owner and group admin, the reason is audited', async () => {
    await makeGroup('O-Done');
    const reason = 'owner left the company, ticket 4711';
    const r = expectOk(await w.as(SUE, ['group', 'transfer-owner', 'O-Done', '--to', MIA, '--override', '--reason', reason, '--json']));
    expect(r.json().owner).toBe(MIA);
    const members = await membersOf('O-Done', MIA);
    expect(members.find((m) => m.email === MIA)).toEqual({ email: MIA, role: 'admin', owner: true });
    expect(members.find((m) => m.email === OWEN)).toEqual({ email: OWEN, role: 'admin', owner: false });
    expectOneOwner(await show('O-Done', MIA));
    const audit = expectOk(await w.run(['audit', 'list', '--action', 'group.transfer-owner', '--json'])).json() as Array<{ actor: string; action: string; target: string; reason: string | null }>;
    expect(audit.find((e) => e.target === 'O-Done')).toMatchObject({ action: 'group.transfer-owner', actor: SUE, target: 'O-Done', reason });
  });

  it('works for an owner locked out after 3 failed logins: the owner stays owner while locked, support hands it over', async () => {
    const LOCKED = 'locked@acme.example';
    await w.loginAs(LOCKED, await w.activeMember(LOCKED, 'Locked', 'operator'));
    await makeGroup('O-Locked', { owner: LOCKED, admins: [], members: [MIA] });
    for (let i = 0; i < 3; i++) await w.run(['login', LOCKED, '--password-stdin'], { input: PW_WRONG + '\n', actor: 'lockout', token: null });
    expect((await w.member(LOCKED)).status).toBe('suspended');
    expect((await show('O-Locked', MIA)).owner).toBe(LOCKED);
    expectOk(await w.as(SUE, ['group', 'transfer-owner', 'O-Locked', '--to', MIA, '--override', '--reason', 'owner locked out and on leave']));
    const g = await show('O-Locked', MIA);
    expect(g.owner).toBe(MIA);
    expectOneOwner(g);
  });
});

// ---------------------------------------------------------------- internal-only and suspended groups

describe('internal-only groups', () => {
  const EXT = 'x@other.example';
  beforeAll(async () => {
    expectOk(await w.run(['workspace', 'set', 'allow-external', 'true']));
    await w.invitedMember(EXT, 'Xavier External');
    expect((await w.member(EXT)).kind).toBe('external');
  });

  it('refuses an external member: EXTERNAL_NOT_ALLOWED (exit 1) with a hint about the workspace domains', async () => {
    await makeGroup('Internal', { flags: ['--internal-only'], admins: [], members: [] });
    expect((await show('Internal')).internalOnly).toBe(true);
    const r = expectError(await w.as(OWEN, ['group', 'add-member', 'Internal', EXT]), 1, 'EXTERNAL_NOT_ALLOWED');
    expect(r.err, describeRun(r)).toMatch(/hint:/);
    expect((await membersOf('Internal', OWEN)).map((m) => m.email)).not.toContain(EXT);
  });

  it('refuses the whole add when one of several targets is external (all-or-nothing)', async () => {
    await makeGroup('Internal-2', { flags: ['--internal-only'], admins: [], members: [] });
    expectError(await w.as(OWEN, ['group', 'add-member', 'Internal-2', MIA, EXT]), 1, 'EXTERNAL_NOT_ALLOWED');
    expect((await membersOf('Internal-2', OWEN)).map((m) => m.email)).toEqual([OWEN]);
  });

  it('a group that is not internal-only takes the external member', async () => {
    await makeGroup('Open', { admins: [], members: [] });
    expectOk(await w.as(OWEN, ['group', 'add-member', 'Open', EXT]));
    expect((await membersOf('Open', OWEN)).map((m) => m.email)).toContain(EXT);
  });
});

describe('suspended groups', () => {
  it('a suspended group takes no new members (INVALID_STATE, exit 1); resume lifts that', async () => {
    await makeGroup('Paused', { members: [] });
    expectOk(await w.as(OWEN, ['group', 'suspend', 'Paused']));
    expect((await show('Paused')).status).toBe('suspended');
    expectError(await w.as(OWEN, ['group', 'add-member', 'Paused', MIA]), 1, 'INVALID_STATE');
    expect((await membersOf('Paused', OWEN)).map((m) => m.email)).not.toContain(MIA);
    expectOk(await w.as(OWEN, ['group', 'resume', 'Paused']));
    expect((await show('Paused')).status).toBe('active');
    expectOk(await w.as(OWEN, ['group', 'add-member', 'Paused', MIA]));
    expect((await membersOf('Paused', OWEN)).map((m) => m.email)).toContain(MIA);
  });
});

// ---------------------------------------------------------------- who sees what

describe('group show: who sees what', () => {
  beforeAll(async () => {
    await makeGroup('Visible');
  });

  it('a non-member with members.view (a viewer) sees name, status and owner, and no members key', async () => {
    const g = await show('Visible', VIC);
    expect(g).toMatchObject({ name: 'Visible', status: 'active', owner: OWEN });
    expect(Object.keys(g)).not.toContain('members');
  });

  it('a workspace admin who is not in the group sees no members key either', async () => {
    const g = await show('Visible', 'admin');
    expect(g).toMatchObject({ name: 'Visible', owner: OWEN });
    expect(Object.keys(g)).not.toContain('members');
  });

  it('a plain group member sees the members as [{email, role, owner}]', async () => {
    const members = await membersOf('Visible', MIA);
    expect(members).toEqual([
      { email: GRACE, role: 'admin', owner: false },
      { email: MIA, role: 'member', owner: false },
      { email: OWEN, role: 'admin', owner: true },
    ]);
  });
});

// ---------------------------------------------------------------- delete

describe('group delete', () => {
  it('only the owner deletes: a group admin or a workspace admin gets PERMISSION_DENIED; the owner deletes with --yes', async () => {
    await makeGroup('Doomed');
    expectError(await w.as(GRACE, ['group', 'delete', 'Doomed', '--yes']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['group', 'delete', 'Doomed', '--yes']), 4, 'PERMISSION_DENIED');
    expect((await show('Doomed')).owner).toBe(OWEN);
    expectOk(await w.as(OWEN, ['group', 'delete', 'Doomed', '--yes']));
    expectError(await w.run(['group', 'show', 'Doomed']), 3, 'NOT_FOUND');
    expect(((await w.member(GRACE)).groups as Array<{ name: string }>).map((g) => g.name)).not.toContain('Doomed');
  });

  it('without --yes when not at a terminal it is a USAGE error (exit 2) and the group stays', async () => {
    await makeGroup('Kept', { admins: [], members: [] });
    expectError(await w.as(OWEN, ['group', 'delete', 'Kept']), 2, 'USAGE');
    expect((await show('Kept')).name).toBe('Kept');
  });
});

// ---------------------------------------------------------------- memberships across removal

describe('group memberships across member remove, restore and purge', () => {
  it('a removed member keeps its group memberships for a restore within 7 days', async () => {
    const RITA = 'rita@acme.example';
    await w.invitedMember(RITA, 'Rita');
    await makeGroup('Keep-A', { admins: [RITA], members: [] });
    await makeGroup('Keep-B', { admins: [], members: [RITA] });
    const before = (await w.member(RITA)).groups;
    expect(before).toEqual(expect.arrayContaining([{ name: 'Keep-A', role: 'admin', owner: false }, { name: 'Keep-B', role: 'member', owner: false }]));
    expectOk(await w.run(['member', 'remove', RITA]));
    const removed = await w.member(RITA);
    expect(removed.status).toBe('deleted');
    expect(removed.groups, 'member show of a removed member still lists the groups it will come back to').toEqual(expect.arrayContaining(before));
    expectOk(await w.run(['member', 'restore', RITA], { now: at('+6d') }));
    const after = await w.member(RITA);
    expect(after.status).toBe('invited');
    expect(after.groups).toEqual(expect.arrayContaining([{ name: 'Keep-A', role: 'admin', owner: false }, { name: 'Keep-B', role: 'member', owner: false }]));
    expect(after.groups).toHaveLength(before.length);
  });

  it('purge drops the memberships: the address added again starts in no group, and the groups no longer list it', async () => {
    const PAT = 'pat@acme.example';
    await w.invitedMember(PAT, 'Pat');
    await makeGroup('Purge-A', { admins: [], members: [PAT] });
    expectOk(await w.run(['member', 'remove', PAT]));
    expectOk(await w.run(['member', 'purge', PAT, '--yes']));
    expect((await membersOf('Purge-A', OWEN)).map((m) => m.email)).not.toContain(PAT);
    await w.invitedMember(PAT, 'Pat Again');
    expect((await w.member(PAT)).groups).toEqual([]);
    expect((await membersOf('Purge-A', OWEN)).map((m) => m.email)).not.toContain(PAT);
  });

  it('the automatic purge after 7 days drops the memberships too', async () => {
    const EXP = 'expiring@acme.example';
    await w.invitedMember(EXP, 'Expiring');
    await makeGroup('Purge-B', { admins: [], members: [EXP] });
    const id = (await w.member(EXP)).id as string;
    expectOk(await w.run(['member', 'remove', EXP]));
    // Any write after the window purges; then the address is free and the old memberships are gone.
    expectOk(await w.run(['member', 'purge', '--expired'], { now: at('+8d') }));
    expectError(await w.run(['member', 'restore', EXP], { now: at('+8d') }), 1, 'RESTORE_WINDOW_EXPIRED');
    expect(w.sql(`select count(*) from group_members where member_id = '${id}'`)).toBe('0');
  });
});
