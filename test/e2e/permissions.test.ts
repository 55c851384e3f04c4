// SPEC §2 and §4: every command acts as a member and is checked against that member's role.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, World, expectError, expectOk } from '../helpers/world.js';

const VIEWER = 'vic@acme.example';
const OPERATOR = 'otto@acme.example';
const SUPPORT = 'sue@acme.example';

// One workspace with a signed-in viewer, operator and support member; each test acts on its own targets.
let w: World;
beforeAll(async () => {
  w = await World.ready();
  for (const [email, name, role] of [[VIEWER, 'Vic', 'viewer'], [OPERATOR, 'Otto', 'operator'], [SUPPORT, 'Sue', 'support']]) {
    await w.loginAs(email, await w.activeMember(email, name, role));
  }
});

describe('viewer', () => {
  it('may list and show members (members.view)', async () => {
    const list = expectOk(await w.as(VIEWER, ['member', 'list', '--json'])).json() as Array<{ email: string }>;
    expect(list.map((m) => m.email)).toContain(ADMIN);
    expectOk(await w.as(VIEWER, ['member', 'show', ADMIN]));
    expectOk(await w.as(VIEWER, ['workspace', 'show']));
  });

  it('refuses member add (PERMISSION_DENIED, exit 4) and adds nothing', async () => {
    expectError(await w.as(VIEWER, ['member', 'add', 'v-new@acme.example', '--name', 'New']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['member', 'show', 'v-new@acme.example']), 3, 'NOT_FOUND');
  });

  it('refuses suspend, remove, update and reset-password (PERMISSION_DENIED, exit 4)', async () => {
    await w.invitedMember('v-target@acme.example', 'Target');
    expectError(await w.as(VIEWER, ['member', 'suspend', 'v-target@acme.example']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(VIEWER, ['member', 'remove', 'v-target@acme.example']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(VIEWER, ['member', 'update', 'v-target@acme.example', '--name', 'X']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(VIEWER, ['member', 'reset-password', 'v-target@acme.example']), 4, 'PERMISSION_DENIED');
    expect(await w.member('v-target@acme.example')).toMatchObject({ status: 'invited', name: 'Target' });
  });

  it('refuses workspace set and domain add (settings.edit) and audit list (audit.view)', async () => {
    expectError(await w.as(VIEWER, ['workspace', 'set', 'name', 'Hacked']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(VIEWER, ['domain', 'add', 'evil.example']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(VIEWER, ['audit', 'list']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(VIEWER, ['audit', 'verify']), 4, 'PERMISSION_DENIED');
    const show = expectOk(await w.run(['workspace', 'show', '--json'])).json();
    expect(show.name).toBe('Acme');
    expect(show.domains).not.toContain('evil.example');
  });

  it('checks the permission before the rules of the command: PERMISSION_DENIED, not LAST_ADMIN or EXTERNAL_NOT_ALLOWED', async () => {
    expectError(await w.as(VIEWER, ['member', 'suspend', ADMIN]), 4, 'PERMISSION_DENIED');
    expectError(await w.as(VIEWER, ['member', 'remove', ADMIN]), 4, 'PERMISSION_DENIED');
    expectError(await w.as(VIEWER, ['member', 'add', 'x@outside.example', '--name', 'X']), 4, 'PERMISSION_DENIED');
  });
});

describe('operator', () => {
  it('refuses member add (PERMISSION_DENIED, exit 4): only admins manage members', async () => {
    expectError(await w.as(OPERATOR, ['member', 'add', 'o-new@acme.example', '--name', 'New']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['member', 'show', 'o-new@acme.example']), 3, 'NOT_FOUND');
  });

  it('refuses suspend, remove, restore and unsuspend', async () => {
    await w.invitedMember('o-target@acme.example', 'Target');
    expectError(await w.as(OPERATOR, ['member', 'suspend', 'o-target@acme.example']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(OPERATOR, ['member', 'remove', 'o-target@acme.example']), 4, 'PERMISSION_DENIED');
    expectOk(await w.run(['member', 'suspend', 'o-target@acme.example']));
    expectError(await w.as(OPERATOR, ['member', 'unsuspend', 'o-target@acme.example']), 4, 'PERMISSION_DENIED');
    expect((await w.member('o-target@acme.example')).status).toBe('suspended');
    expectOk(await w.run(['member', 'remove', 'o-target@acme.example']));
    expectError(await w.as(OPERATOR, ['member', 'restore', 'o-target@acme.example']), 4, 'PERMISSION_DENIED');
    expect((await w.member('o-target@acme.example')).status).toBe('deleted');
  });

  it('may list members and edit settings (settings.edit), but not read the audit log', async () => {
    expectOk(await w.as(OPERATOR, ['member', 'list']));
    expectOk(await w.as(OPERATOR, ['workspace', 'set', 'seat-limit', '120']));
    expect(expectOk(await w.run(['workspace', 'show', '--json'])).json().seatLimit).toBe(120);
    expectError(await w.as(OPERATOR, ['audit', 'list']), 4, 'PERMISSION_DENIED');
  });
});

describe('support', () => {
  it('may restore a removed member (members.restore)', async () => {
    await w.invitedMember('s-restore@acme.example', 'Restore Me');
    expectOk(await w.run(['member', 'remove', 's-restore@acme.example']));
    expectOk(await w.as(SUPPORT, ['member', 'restore', 's-restore@acme.example']));
    expect((await w.member('s-restore@acme.example')).status).toBe('invited');
  });

  it('may unsuspend and reset passwords (members.unlock)', async () => {
    await w.invitedMember('s-unlock@acme.example', 'Unlock Me');
    expectOk(await w.run(['member', 'suspend', 's-unlock@acme.example']));
    expectOk(await w.as(SUPPORT, ['member', 'unsuspend', 's-unlock@acme.example']));
    expect((await w.member('s-unlock@acme.example')).status).toBe('invited');
    const r = expectOk(await w.as(SUPPORT, ['member', 'reset-password', 's-unlock@acme.example', '--json']));
    const body = r.json();
    expect((Array.isArray(body) ? body[0] : body).temporaryPassword).toEqual(expect.any(String));
  });

  it('may not remove or purge members (members.delete): PERMISSION_DENIED, exit 4', async () => {
    await w.invitedMember('s-keep@acme.example', 'Keep Me');
    expectError(await w.as(SUPPORT, ['member', 'remove', 's-keep@acme.example']), 4, 'PERMISSION_DENIED');
    expect((await w.member('s-keep@acme.example')).status).toBe('invited');
    expectOk(await w.run(['member', 'remove', 's-keep@acme.example']));
    expectError(await w.as(SUPPORT, ['member', 'purge', 's-keep@acme.example', '--yes']), 4, 'PERMISSION_DENIED');
    expect((await w.member('s-keep@acme.example')).status).toBe('deleted');
  });

  it('may not add, suspend or update members (members.manage)', async () => {
    await w.invitedMember('s-manage@acme.example', 'Manage Me');
    expectError(await w.as(SUPPORT, ['member', 'add', 's-new@acme.example', '--name', 'New']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(SUPPORT, ['member', 'suspend', 's-manage@acme.example']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(SUPPORT, ['member', 'update', 's-manage@acme.example', '--title', 'X']), 4, 'PERMISSION_DENIED');
    expect(await w.member('s-manage@acme.example')).toMatchObject({ status: 'invited', title: null });
  });

  it('may read and verify the audit log (audit.view)', async () => {
    expectOk(await w.as(SUPPORT, ['audit', 'list', '--limit', '5']));
    expectOk(await w.as(SUPPORT, ['audit', 'verify']));
  });
});

describe('acting', () => {
  it('a member acts with its own role: whoami names it', async () => {
    expect(expectOk(await w.as(SUPPORT, ['whoami', '--json'])).json()).toMatchObject({ email: SUPPORT, role: 'support', scope: [], via: 'session' });
  });
});
