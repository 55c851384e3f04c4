// SPEC §4 (issue 5): role list/show/set/create/delete, scope arity, reserved permissions, built-in
// roles, ROLE_IN_USE, own role, LAST_ADMIN, a site-admin's scope, and `can`.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, World, describeRun, expectError, expectOk } from '../helpers/world.js';

const BUILTINS = ['admin', 'operator', 'operator-no-send', 'operator-no-insights', 'site-admin', 'chat-operator', 'viewer', 'support'];

/** `member show` as the admin: the member's role and scope. */
async function roleOf(w: World, email: string): Promise<{ role: string; scope: string[] }> {
  const m = await w.member(email);
  return { role: m.role, scope: m.scope };
}

/** An active member with a stored session, for w.as(email, …). */
async function signedIn(w: World, email: string, name: string, role = 'viewer', extra: string[] = []): Promise<void> {
  await w.loginAs(email, await w.activeMember(email, name, role, extra));
}

// ---------------------------------------------------------------- list and show

describe('role list and role show', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.ready();
  });

  it('role list --json is an array of {name, builtin, permissions} holding every built-in role', async () => {
    const r = expectOk(await w.run(['role', 'list', '--json']));
    const list = r.json() as Array<{ name: string; builtin: boolean; permissions: string[] }>;
    expect(Array.isArray(list), describeRun(r)).toBe(true);
    expect(list.map((x) => x.name)).toEqual(expect.arrayContaining(BUILTINS));
    for (const entry of list) {
      expect(entry, describeRun(r)).toEqual(expect.objectContaining({ name: expect.any(String), builtin: expect.any(Boolean), permissions: expect.any(Array) }));
      for (const p of entry.permissions) expect(typeof p).toBe('string');
      expect(entry.builtin, entry.name).toBe(BUILTINS.includes(entry.name));
    }
  });

  it('role show --json gives {name, builtin, permissions} with permissions as an array of names', async () => {
    const viewer = expectOk(await w.run(['role', 'show', 'viewer', '--json'])).json();
    expect(viewer).toMatchObject({ name: 'viewer', builtin: true });
    expect([...viewer.permissions].sort()).toEqual(['members.view', 'settings.view']);
  });

  it('role show for a scoped role lists the permissions it holds within its scope', async () => {
    const sa = expectOk(await w.run(['role', 'show', 'site-admin', '--json'])).json();
    expect(sa).toMatchObject({ name: 'site-admin', builtin: true });
    expect(sa.permissions).toEqual(expect.arrayContaining(['members.view', 'members.manage', 'members.unlock', 'chat.use', 'groups.create']));
    expect(sa.permissions).not.toContain('members.delete');
    expect(sa.permissions).not.toContain('roles.manage');
    const co = expectOk(await w.run(['role', 'show', 'chat-operator', '--json'])).json();
    expect([...co.permissions].sort()).toEqual(['chat.use', 'messages.send']);
  });

  it('role show of an unknown role is NOT_FOUND (exit 3)', async () => {
    expectError(await w.run(['role', 'show', 'no-such-role']), 3, 'NOT_FOUND');
  });
});

// ---------------------------------------------------------------- create and delete

describe('role create and role delete', () => {
  let w: World;
  const OPERATOR = 'otto@acme.example';
  beforeAll(async () => {
    w = await World.ready();
    await signedIn(w, OPERATOR, 'Otto', 'operator');
  });

  it('a custom role is created with its permissions and listed as not built-in', async () => {
    const created = expectOk(await w.run(['role', 'create', 'auditor', '--permissions', 'members.view,audit.view', '--json'])).json();
    expect(created).toMatchObject({ name: 'auditor', builtin: false });
    const shown = expectOk(await w.run(['role', 'show', 'auditor', '--json'])).json();
    expect(shown).toMatchObject({ name: 'auditor', builtin: false });
    expect([...shown.permissions].sort()).toEqual(['audit.view', 'members.view']);
    const list = expectOk(await w.run(['role', 'list', '--json'])).json() as Array<{ name: string; builtin: boolean }>;
    expect(list.find((r) => r.name === 'auditor')).toMatchObject({ builtin: false });
  });

  it('a member with a custom role holds exactly its permissions', async () => {
    expectOk(await w.run(['role', 'create', 'reader', '--permissions', 'members.view,audit.view']));
    await w.activeMember('rita@acme.example', 'Rita', 'reader');
    expect(expectOk(await w.run(['can', 'rita@acme.example', 'audit.view'])).out.trim()).toBe('yes');
    const no = await w.run(['can', 'rita@acme.example', 'members.manage']);
    expect({ code: no.code, out: no.out.trim() }, describeRun(no)).toEqual({ code: 1, out: 'no' });
  });

  it('a custom role may not include groups.manage or groups.override: RESERVED_PERMISSION (exit 1), nothing created', async () => {
    expectError(await w.run(['role', 'create', 'grp-boss', '--permissions', 'groups.manage']), 1, 'RESERVED_PERMISSION');
    expectError(await w.run(['role', 'create', 'grp-over', '--permissions', 'groups.override']), 1, 'RESERVED_PERMISSION');
    expectError(await w.run(['role', 'create', 'grp-mixed', '--permissions', 'members.view,groups.override']), 1, 'RESERVED_PERMISSION');
    for (const name of ['grp-boss', 'grp-over', 'grp-mixed']) expectError(await w.run(['role', 'show', name]), 3, 'NOT_FOUND');
  });

  it('an unknown permission is INVALID_INPUT (exit 2), as in can, suggesting the nearest, even beside a reserved one; nothing created', async () => {
    const r = expectError(await w.run(['role', 'create', 'typo', '--permissions', 'members.view,audit.veiw']), 2, 'INVALID_INPUT');
    expect(r.err, describeRun(r)).toMatch(/unknown permission "audit\.veiw"[\s\S]*did you mean audit\.view\?/);
    expectError(await w.run(['role', 'create', 'typo', '--permissions', 'groups.manage,nosuch']), 2, 'INVALID_INPUT');
    expectError(await w.run(['role', 'show', 'typo']), 3, 'NOT_FOUND');
  });

  it('built-in roles cannot be created, changed or deleted: INVALID_INPUT (exit 2)', async () => {
    expectError(await w.run(['role', 'create', 'viewer', '--permissions', 'members.view,audit.view']), 2, 'INVALID_INPUT');
    expectError(await w.run(['role', 'create', 'admin', '--permissions', 'members.view']), 2, 'INVALID_INPUT');
    for (const name of BUILTINS) expectError(await w.run(['role', 'delete', name]), 2, 'INVALID_INPUT');
    const viewer = expectOk(await w.run(['role', 'show', 'viewer', '--json'])).json();
    expect(viewer.builtin).toBe(true);
    expect([...viewer.permissions].sort()).toEqual(['members.view', 'settings.view']);
  });

  it('role delete is ROLE_IN_USE (exit 1) while a member holds the role, a removed (restorable) one included; after purge it deletes', async () => {
    expectOk(await w.run(['role', 'create', 'temp-role', '--permissions', 'members.view']));
    await w.invitedMember('tara@acme.example', 'Tara');
    expectOk(await w.run(['role', 'set', 'tara@acme.example', 'temp-role']));
    expectError(await w.run(['role', 'delete', 'temp-role']), 1, 'ROLE_IN_USE');
    expectOk(await w.run(['member', 'remove', 'tara@acme.example']));
    expectError(await w.run(['role', 'delete', 'temp-role']), 1, 'ROLE_IN_USE');
    expectOk(await w.run(['role', 'show', 'temp-role']));
    expectOk(await w.run(['member', 'purge', 'tara@acme.example', '--yes']));
    expectOk(await w.run(['role', 'delete', 'temp-role']));
    expectError(await w.run(['role', 'show', 'temp-role']), 3, 'NOT_FOUND');
  });

  it('a restored member keeps its custom role, which is why ROLE_IN_USE counts restorable members', async () => {
    expectOk(await w.run(['role', 'create', 'keep-role', '--permissions', 'members.view']));
    await w.invitedMember('kora@acme.example', 'Kora');
    expectOk(await w.run(['role', 'set', 'kora@acme.example', 'keep-role']));
    expectOk(await w.run(['member', 'remove', 'kora@acme.example']));
    expectError(await w.run(['role', 'delete', 'keep-role']), 1, 'ROLE_IN_USE');
    expectOk(await w.run(['member', 'restore', 'kora@acme.example']));
    expect((await w.member('kora@acme.example')).role).toBe('keep-role');
  });

  it('role create and delete need roles.manage: an operator gets PERMISSION_DENIED (exit 4)', async () => {
    expectError(await w.as(OPERATOR, ['role', 'create', 'op-made', '--permissions', 'members.view']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['role', 'show', 'op-made']), 3, 'NOT_FOUND');
    expectOk(await w.run(['role', 'create', 'op-target', '--permissions', 'members.view']));
    expectError(await w.as(OPERATOR, ['role', 'delete', 'op-target']), 4, 'PERMISSION_DENIED');
    expectOk(await w.run(['role', 'show', 'op-target']));
  });
});

// ---------------------------------------------------------------- role set

describe('role set', () => {
  let w: World;
  const BOB = 'bob@acme.example';
  const OPERATOR = 'otto@acme.example';
  beforeAll(async () => {
    w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Sales']));
    expectOk(await w.run(['org', 'add', 'Support']));
    // A second active admin: so that an admin changing its own role is refused for that reason, not LAST_ADMIN.
    await w.activeMember(BOB, 'Bob', 'admin');
    await signedIn(w, OPERATOR, 'Otto', 'operator');
  });

  it('sets the role of several members at once', async () => {
    await w.invitedMember('s1@acme.example', 'S One');
    await w.invitedMember('s2@acme.example', 'S Two');
    const r = expectOk(await w.run(['role', 'set', 's1@acme.example', 's2@acme.example', 'operator', '--json']));
    const body = r.json();
    expect(Array.isArray(body), describeRun(r)).toBe(true);
    expect(await roleOf(w, 's1@acme.example')).toEqual({ role: 'operator', scope: [] });
    expect(await roleOf(w, 's2@acme.example')).toEqual({ role: 'operator', scope: [] });
  });

  it('is all-or-nothing: an unknown target (NOT_FOUND, exit 3) leaves the others unchanged', async () => {
    await w.invitedMember('s3@acme.example', 'S Three');
    expectError(await w.run(['role', 'set', 's3@acme.example', 'ghost@acme.example', 'operator']), 3, 'NOT_FOUND');
    expect(await roleOf(w, 's3@acme.example')).toEqual({ role: 'viewer', scope: [] });
  });

  it('an unknown role is INVALID_INPUT (exit 2) and changes nothing', async () => {
    await w.invitedMember('s4@acme.example', 'S Four');
    expectError(await w.run(['role', 'set', 's4@acme.example', 'no-such-role']), 2, 'INVALID_INPUT');
    expect((await w.member('s4@acme.example')).role).toBe('viewer');
  });

  it('site-admin takes one or more scopes; the first given is the primary (kept first)', async () => {
    await w.invitedMember('sa1@acme.example', 'SA One');
    await w.invitedMember('sa2@acme.example', 'SA Two');
    expectOk(await w.run(['role', 'set', 'sa1@acme.example', 'site-admin', '--scope', 'Sales']));
    expect(await roleOf(w, 'sa1@acme.example')).toEqual({ role: 'site-admin', scope: ['Sales'] });
    expectOk(await w.run(['role', 'set', 'sa2@acme.example', 'site-admin', '--scope', 'Support', '--scope', 'Sales']));
    expect(await roleOf(w, 'sa2@acme.example')).toEqual({ role: 'site-admin', scope: ['Support', 'Sales'] });
  });

  it('site-admin without a scope is INVALID_INPUT (exit 2)', async () => {
    await w.invitedMember('sa3@acme.example', 'SA Three');
    expectError(await w.run(['role', 'set', 'sa3@acme.example', 'site-admin']), 2, 'INVALID_INPUT');
    expect(await roleOf(w, 'sa3@acme.example')).toEqual({ role: 'viewer', scope: [] });
    expectError(await w.run(['member', 'add', 'sa4@acme.example', '--name', 'SA Four', '--role', 'site-admin']), 2, 'INVALID_INPUT');
    expectError(await w.run(['member', 'show', 'sa4@acme.example']), 3, 'NOT_FOUND');
  });

  it('chat-operator takes exactly one scope: none or two is INVALID_INPUT (exit 2)', async () => {
    await w.invitedMember('co1@acme.example', 'CO One');
    expectError(await w.run(['role', 'set', 'co1@acme.example', 'chat-operator']), 2, 'INVALID_INPUT');
    expectError(await w.run(['role', 'set', 'co1@acme.example', 'chat-operator', '--scope', 'Sales', '--scope', 'Support']), 2, 'INVALID_INPUT');
    expect(await roleOf(w, 'co1@acme.example')).toEqual({ role: 'viewer', scope: [] });
    expectOk(await w.run(['role', 'set', 'co1@acme.example', 'chat-operator', '--scope', 'Support']));
    expect(await roleOf(w, 'co1@acme.example')).toEqual({ role: 'chat-operator', scope: ['Support'] });
    expectError(await w.run(['member', 'add', 'co2@acme.example', '--name', 'CO Two', '--role', 'chat-operator', '--scope', 'Sales', '--scope', 'Support']), 2, 'INVALID_INPUT');
    expectError(await w.run(['member', 'show', 'co2@acme.example']), 3, 'NOT_FOUND');
  });

  it('every other role takes no scope: INVALID_INPUT (exit 2)', async () => {
    expectOk(await w.run(['role', 'create', 'scoped-custom', '--permissions', 'members.view']));
    await w.invitedMember('ns1@acme.example', 'NS One');
    for (const role of ['admin', 'operator', 'operator-no-send', 'operator-no-insights', 'viewer', 'support', 'scoped-custom']) {
      expectError(await w.run(['role', 'set', 'ns1@acme.example', role, '--scope', 'Sales']), 2, 'INVALID_INPUT');
    }
    expect(await roleOf(w, 'ns1@acme.example')).toEqual({ role: 'viewer', scope: [] });
    expectError(await w.run(['member', 'add', 'ns2@acme.example', '--name', 'NS Two', '--scope', 'Sales']), 2, 'INVALID_INPUT');
    expectError(await w.run(['member', 'show', 'ns2@acme.example']), 3, 'NOT_FOUND');
  });

  it('moving a member off a scoped role drops its scope', async () => {
    await w.invitedMember('mv1@acme.example', 'MV One');
    expectOk(await w.run(['role', 'set', 'mv1@acme.example', 'site-admin', '--scope', 'Sales']));
    expectOk(await w.run(['role', 'set', 'mv1@acme.example', 'viewer']));
    expect(await roleOf(w, 'mv1@acme.example')).toEqual({ role: 'viewer', scope: [] });
  });

  it('nobody changes their own role: an admin gets PERMISSION_DENIED (exit 4), also inside a bulk', async () => {
    await w.invitedMember('own1@acme.example', 'Own One');
    expectError(await w.run(['role', 'set', ADMIN, 'viewer']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['role', 'set', 'own1@acme.example', ADMIN, 'operator']), 4, 'PERMISSION_DENIED');
    expect(await roleOf(w, ADMIN)).toEqual({ role: 'admin', scope: [] });
    expect(await roleOf(w, 'own1@acme.example')).toEqual({ role: 'viewer', scope: [] });
  });

  it('role set needs roles.manage: an operator gets PERMISSION_DENIED (exit 4)', async () => {
    await w.invitedMember('op1@acme.example', 'Op One');
    expectError(await w.as(OPERATOR, ['role', 'set', 'op1@acme.example', 'operator']), 4, 'PERMISSION_DENIED');
    expect((await w.member('op1@acme.example')).role).toBe('viewer');
  });
});

// ---------------------------------------------------------------- last admin

describe('the last active admin cannot be demoted', () => {
  // Only admins hold roles.manage among built-ins, and nobody changes its own role: a custom role
  // with roles.manage is the way to try demoting the only admin.
  let w: World;
  const KEEPER = 'keeper@acme.example';
  const BOB = 'bob@acme.example';
  beforeAll(async () => {
    w = await World.ready();
    expectOk(await w.run(['role', 'create', 'role-keeper', '--permissions', 'roles.manage,members.view']));
    await signedIn(w, KEEPER, 'Keeper', 'role-keeper');
  });

  it('demoting the only admin is LAST_ADMIN (exit 1) and changes nothing', async () => {
    expectError(await w.as(KEEPER, ['role', 'set', ADMIN, 'viewer']), 1, 'LAST_ADMIN');
    expect((await w.member(ADMIN)).role).toBe('admin');
  });

  it('an admin still invited does not count: LAST_ADMIN, the hint pointing to their invitation, not to role set for them', async () => {
    const NEW = 'newadmin@acme.example';
    await w.invitedMember(NEW, 'New Admin', ['--role', 'admin']);
    for (const r of [await w.as(KEEPER, ['role', 'set', ADMIN, 'viewer']), await w.run(['member', 'suspend', ADMIN])]) {
      expectError(r, 1, 'LAST_ADMIN');
      expect(r.err).toContain(`hint: ${NEW} is an admin but invited: they have not chosen a password yet: they become active by accepting an invitation (rollcall invite issue ${NEW}) or by signing in with a temporary password (rollcall member reset-password ${NEW}); or make another active member admin first`);
    }
    expect(await w.member(ADMIN)).toMatchObject({ role: 'admin', status: 'active' });
  });

  it('demoting every active admin in one bulk is LAST_ADMIN, all-or-nothing', async () => {
    await w.activeMember(BOB, 'Bob', 'admin');
    expectError(await w.as(KEEPER, ['role', 'set', ADMIN, BOB, 'operator']), 1, 'LAST_ADMIN');
    expect((await w.member(ADMIN)).role).toBe('admin');
    expect((await w.member(BOB)).role).toBe('admin');
  });

  it('a suspended admin does not count: demoting the last active one is LAST_ADMIN', async () => {
    expectOk(await w.run(['member', 'suspend', BOB]));
    expectError(await w.as(KEEPER, ['role', 'set', ADMIN, 'viewer']), 1, 'LAST_ADMIN');
    expect((await w.member(ADMIN)).role).toBe('admin');
    expectOk(await w.run(['member', 'unsuspend', BOB]));
  });

  it('with another active admin, an admin can be demoted', async () => {
    expectOk(await w.as(KEEPER, ['role', 'set', BOB, 'operator']));
    expect((await w.member(BOB)).role).toBe('operator');
  });
});

// ---------------------------------------------------------------- a site-admin's scope

describe('a site-admin scoped to Sales', () => {
  let w: World;
  const SAM = 'sam@acme.example';
  const TOKYO = 'tina@acme.example';
  const SUPPORT = 'sully@acme.example';
  const NOORG = 'nora@acme.example';
  beforeAll(async () => {
    w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Sales/Tokyo', '--parents']));
    expectOk(await w.run(['org', 'add', 'Support']));
    await signedIn(w, SAM, 'Sam', 'site-admin', ['--scope', 'Sales', '--org', 'Sales']);
    await w.invitedMember(TOKYO, 'Tina', ['--org', 'Sales/Tokyo']);
    await w.invitedMember(SUPPORT, 'Sully', ['--org', 'Support']);
    await w.invitedMember(NOORG, 'Nora');
  });

  it('adds a member with --org inside its subtree (Sales/Tokyo)', async () => {
    expectOk(await w.as(SAM, ['member', 'add', 'new-tokyo@acme.example', '--name', 'New Tokyo', '--org', 'Sales/Tokyo']));
    expect(await w.member('new-tokyo@acme.example')).toMatchObject({ org: 'Sales/Tokyo', status: 'invited', role: 'viewer' });
  });

  it('cannot add a member outside its scope (--org Support): PERMISSION_DENIED (exit 4), nothing added', async () => {
    expectError(await w.as(SAM, ['member', 'add', 'new-support@acme.example', '--name', 'New Support', '--org', 'Support']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['member', 'show', 'new-support@acme.example']), 3, 'NOT_FOUND');
  });

  it('cannot add a member with no org: PERMISSION_DENIED (exit 4), nothing added', async () => {
    expectError(await w.as(SAM, ['member', 'add', 'new-none@acme.example', '--name', 'New None']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['member', 'show', 'new-none@acme.example']), 3, 'NOT_FOUND');
  });

  it('cannot add a member that would also hold an org outside its scope: PERMISSION_DENIED', async () => {
    expectError(await w.as(SAM, ['member', 'add', 'new-both@acme.example', '--name', 'New Both', '--org', 'Sales/Tokyo', '--add-org', 'Support']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['member', 'show', 'new-both@acme.example']), 3, 'NOT_FOUND');
  });

  it('cannot remove members, even inside its scope (no members.delete): PERMISSION_DENIED', async () => {
    expectError(await w.as(SAM, ['member', 'remove', TOKYO]), 4, 'PERMISSION_DENIED');
    expect((await w.member(TOKYO)).status).toBe('invited');
  });

  it('manages inside its scope only: suspends a Sales/Tokyo member, not a Support or org-less one', async () => {
    expectError(await w.as(SAM, ['member', 'suspend', SUPPORT]), 4, 'PERMISSION_DENIED');
    expectError(await w.as(SAM, ['member', 'suspend', NOORG]), 4, 'PERMISSION_DENIED');
    // The refusal names the targets outside its scope (as NOT_FOUND names missing ones), for every command that takes targets.
    const cases: Array<[string[], string, string]> = [
      [['member', 'suspend', TOKYO, SUPPORT, NOORG], 'members.manage', `${SUPPORT}, ${NOORG}`],
      [['member', 'reset-password', TOKYO, SUPPORT, NOORG], 'members.unlock', `${SUPPORT}, ${NOORG}`],
      [['member', 'update', SUPPORT, '--title', 'X'], 'members.manage', SUPPORT],
      [['member', 'move', TOKYO, SUPPORT, '--org', 'Sales'], 'members.manage', SUPPORT],
      [['member', 'move', TOKYO, '--add-org', 'Support'], 'members.manage', TOKYO], // where it would go counts
    ];
    for (const [args, perm, outside] of cases) {
      const r = expectError(await w.as(SAM, args), 4, 'PERMISSION_DENIED');
      expect(r.err, describeRun(r)).toContain(`error[PERMISSION_DENIED]: ${SAM} (role site-admin) lacks ${perm} over ${outside}: outside its scope (Sales)\n`);
    }
    expect((await w.member(TOKYO)).status).toBe('invited');
    expect((await w.member(SUPPORT)).status).toBe('invited');
    expect((await w.member(NOORG)).status).toBe('invited');
    await w.invitedMember('tokyo-2@acme.example', 'Tokyo Two', ['--org', 'Sales/Tokyo']);
    expectOk(await w.as(SAM, ['member', 'suspend', 'tokyo-2@acme.example']));
    expect((await w.member('tokyo-2@acme.example')).status).toBe('suspended');
  });

  it('cannot move a member out of its scope (the org a change would give it counts): PERMISSION_DENIED', async () => {
    await w.invitedMember('tokyo-3@acme.example', 'Tokyo Three', ['--org', 'Sales/Tokyo']);
    expectError(await w.as(SAM, ['member', 'move', 'tokyo-3@acme.example', '--org', 'Support']), 4, 'PERMISSION_DENIED');
    expect((await w.member('tokyo-3@acme.example')).org).toBe('Sales/Tokyo');
    expectOk(await w.as(SAM, ['member', 'move', 'tokyo-3@acme.example', '--org', 'Sales']));
    expect((await w.member('tokyo-3@acme.example')).org).toBe('Sales');
  });

  it('unlocks (reset-password) inside its scope only', async () => {
    expectOk(await w.as(SAM, ['member', 'reset-password', TOKYO]));
    expectError(await w.as(SAM, ['member', 'reset-password', SUPPORT]), 4, 'PERMISSION_DENIED');
  });

  it('cannot change its own scope: PERMISSION_DENIED (exit 4), scope unchanged', async () => {
    expectError(await w.as(SAM, ['role', 'set', SAM, 'site-admin', '--scope', 'Support']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(SAM, ['role', 'set', SAM, 'site-admin', '--scope', 'Sales', '--scope', 'Support']), 4, 'PERMISSION_DENIED');
    expect(await roleOf(w, SAM)).toEqual({ role: 'site-admin', scope: ['Sales'] });
  });

  it('its scope is changed by another member with roles.manage (an admin), not by itself', async () => {
    expectOk(await w.run(['role', 'set', SAM, 'site-admin', '--scope', 'Sales', '--scope', 'Support']));
    expect(await roleOf(w, SAM)).toEqual({ role: 'site-admin', scope: ['Sales', 'Support'] });
    expectOk(await w.run(['role', 'set', SAM, 'site-admin', '--scope', 'Sales']));
    expect(await roleOf(w, SAM)).toEqual({ role: 'site-admin', scope: ['Sales'] });
  });

  it('member list shows only the members in its scope', async () => {
    const r = expectOk(await w.as(SAM, ['member', 'list', '--json']));
    const list = r.json() as Array<{ email: string; org: string | null; orgs: string[] }>;
    const emails = list.map((m) => m.email);
    expect(emails).toContain(TOKYO);
    expect(emails).toContain(SAM);
    expect(emails).not.toContain(SUPPORT);
    expect(emails).not.toContain(NOORG);
    expect(emails).not.toContain(ADMIN);
    for (const m of list) {
      for (const org of [m.org, ...m.orgs]) expect(org === 'Sales' || org?.startsWith('Sales/'), `${m.email} in ${org}\n${describeRun(r)}`).toBe(true);
    }
  });

  it('can answers for its scope: members.manage yes at Sales/Tokyo, no at Support', async () => {
    const inside = await w.run(['can', SAM, 'members.manage', '--org', 'Sales/Tokyo']);
    expect({ code: inside.code, out: inside.out.trim() }, describeRun(inside)).toEqual({ code: 0, out: 'yes' });
    const outside = await w.run(['can', SAM, 'members.manage', '--org', 'Support']);
    expect({ code: outside.code, out: outside.out.trim() }, describeRun(outside)).toEqual({ code: 1, out: 'no' });
    const del = await w.run(['can', SAM, 'members.delete', '--org', 'Sales/Tokyo']);
    expect({ code: del.code, out: del.out.trim() }, describeRun(del)).toEqual({ code: 1, out: 'no' });
  });
});

// ---------------------------------------------------------------- can

describe('can TARGET PERMISSION', () => {
  let w: World;
  const VIEWER = 'vic@acme.example';
  beforeAll(async () => {
    w = await World.ready();
    await w.activeMember(VIEWER, 'Vic', 'viewer');
  });

  it('exits 0 and prints yes when the member holds the permission', async () => {
    const r = await w.run(['can', ADMIN, 'roles.manage']);
    expect({ code: r.code, out: r.out.trim() }, describeRun(r)).toEqual({ code: 0, out: 'yes' });
  });

  it('exits 1 and prints no when it does not', async () => {
    const r = await w.run(['can', VIEWER, 'roles.manage']);
    expect({ code: r.code, out: r.out.trim() }, describeRun(r)).toEqual({ code: 1, out: 'no' });
    expect(r.errCode(), describeRun(r)).toBeNull();
  });

  it('--json prints {allowed}: true with exit 0, false with exit 1', async () => {
    const yes = await w.run(['can', VIEWER, 'members.view', '--json']);
    expect({ code: yes.code, body: yes.json() }, describeRun(yes)).toEqual({ code: 0, body: { allowed: true } });
    const no = await w.run(['can', VIEWER, 'members.delete', '--json']);
    expect({ code: no.code, body: no.json() }, describeRun(no)).toEqual({ code: 1, body: { allowed: false } });
  });

  it('an unknown target is NOT_FOUND (exit 3), not a "no"', async () => {
    expectError(await w.run(['can', 'ghost@acme.example', 'members.view']), 3, 'NOT_FOUND');
  });

  it('an unknown org is NOT_FOUND (exit 3) and an unknown permission INVALID_INPUT (exit 2), whoever is asked about: an invited member too', async () => {
    await w.invitedMember('ivy@acme.example', 'Ivy');
    for (const who of [ADMIN, 'ivy@acme.example']) {
      expectError(await w.run(['can', who, 'members.view', '--org', 'NOPE']), 3, 'NOT_FOUND');
      const r = expectError(await w.run(['can', who, 'members.veiw']), 2, 'INVALID_INPUT');
      expect(r.err, describeRun(r)).toMatch(/unknown permission "members\.veiw"[\s\S]*did you mean members\.view\?/);
    }
  });
});
