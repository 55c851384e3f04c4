// SPEC §3: members, their statuses and lifecycle, and the invariants around them.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, PW, World, at, describeRun, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';
const DAVE = 'dave@acme.example';

const MEMBER_FIELDS = ['id', 'email', 'name', 'kind', 'role', 'scope', 'status', 'suspendedReason', 'org', 'orgs', 'title', 'startDate', 'twoFactor', 'createdAt', 'updatedAt', 'deletedAt', 'restorableUntil'];

/** The first member of a bulk command's JSON (an array), or the object itself. */
function first(body: any): any {
  return Array.isArray(body) ? body[0] : body;
}

describe('member add', () => {
  it('adds an invited viewer with every member field (null, never missing) and a temporary password', async () => {
    const w = await World.ready();
    const r = expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob Lee', '--json']));
    const m = r.json();
    for (const f of [...MEMBER_FIELDS, 'temporaryPassword']) expect(m, `member add --json lacks ${f}`).toHaveProperty(f);
    expect(m).toMatchObject({
      email: BOB, name: 'Bob Lee', kind: 'internal', role: 'viewer', scope: [], status: 'invited', suspendedReason: null,
      org: null, orgs: [], title: null, startDate: null, twoFactor: false, deletedAt: null, restorableUntil: null,
    });
    expect(m.id).toEqual(expect.any(String));
    expect(m.createdAt).toBe(w.now);
    expect(m.temporaryPassword).toMatch(/^[A-Za-z0-9@$!%*#?&]{10,}$/);
  });

  it('prints the temporary password once in human output too', async () => {
    const w = await World.ready();
    const r = expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
    expect(r.out).toMatch(/temporary password/i);
    // It is not shown again.
    const show = expectOk(await w.run(['member', 'show', BOB]));
    expect(show.out).not.toMatch(/temporary password/i);
    expect(JSON.stringify(await w.member(BOB))).not.toMatch(/temporaryPassword/);
  });

  it('takes --role, --title, --2fa (where a mail server is configured: two-step.test.ts) and --start-date', async () => {
    const w = await World.ready();
    const m = expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--role', 'operator', '--title', 'Manager', '--2fa', '--start-date', '2030-01-01', '--json'],
      { env: { ROLLCALL_SMTP_URL: 'smtp://mail.acme.example' } })).json();
    expect(m).toMatchObject({ role: 'operator', title: 'Manager', twoFactor: true, startDate: '2030-01-01', status: 'invited' });
  });

  it('refuses invalid email addresses (INVALID_INPUT, exit 2) and adds nothing', async () => {
    const w = await World.ready();
    for (const bad of ['not-an-email', 'a@@acme.example', 'a@b@acme.example', 'bob@acme', '@acme.example', 'bob@', 'bo b@acme.example', 'bob@acme..example', '']) {
      expectError(await w.run(['member', 'add', bad, '--name', 'X']), 2, 'INVALID_INPUT');
    }
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('refuses an unknown role (INVALID_INPUT, exit 2)', async () => {
    const w = await World.ready();
    expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--role', 'wizard']), 2, 'INVALID_INPUT');
  });

  it('refuses an existing email (ALREADY_EXISTS, exit 5)', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectError(await w.run(['member', 'add', BOB, '--name', 'Bob Two']), 5, 'ALREADY_EXISTS');
    expectError(await w.run(['member', 'add', 'BOB@Acme.Example', '--name', 'Bob Two']), 5, 'ALREADY_EXISTS');
    expect((await w.member(BOB)).name).toBe('Bob');
  });

  it('normalises an added email with NFKC, trimming and lower case', async () => {
    const w = await World.ready();
    const added = expectOk(await w.run(['member', 'add', ' ＢＯＢ＠ACME.EXAMPLE ', '--name', 'Bob', '--json'])).json();
    expect(added.email).toBe(BOB);
    expect(await w.emails()).toEqual([ADMIN, BOB]);
  });

  it('finds a member by its email in full-width or any case (ＢＯＢ＠ACME.EXAMPLE finds bob@acme.example)', async () => {
    const w = await World.ready();
    const added = expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--json'])).json();
    expect((await w.member('Bob@Acme.Example')).id).toBe(added.id);
    expect((await w.member('ＢＯＢ＠ACME.EXAMPLE')).id).toBe(added.id);
    expect((await w.member('ｂｏｂ＠ａｃｍｅ．ｅｘａｍｐｌｅ')).id).toBe(added.id);
  });

  it('refuses to add an email again in full-width form (ALREADY_EXISTS, exit 5)', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectError(await w.run(['member', 'add', 'ＢＯＢ＠ACME.EXAMPLE', '--name', 'Bob Again']), 5, 'ALREADY_EXISTS');
    expectError(await w.run(['member', 'add', 'ＢＯＢ＠ＡＣＭＥ．ＥＸＡＭＰＬＥ', '--name', 'Bob Again']), 5, 'ALREADY_EXISTS');
    expect(await w.emails()).toEqual([ADMIN, BOB]);
  });
});

describe('external members', () => {
  it('refuses an address outside the workspace domains unless allow-external is true (EXTERNAL_NOT_ALLOWED, exit 1)', async () => {
    const w = await World.ready();
    const r = expectError(await w.run(['member', 'add', 'eve@partner.example', '--name', 'Eve']), 1, 'EXTERNAL_NOT_ALLOWED');
    expect(r.err).toContain('eve@partner.example');
    expect(await w.emails()).toEqual([ADMIN]);
    expectOk(await w.run(['workspace', 'set', 'allow-external', 'true']));
    const eve = expectOk(await w.run(['member', 'add', 'eve@partner.example', '--name', 'Eve', '--json'])).json();
    expect(eve.kind).toBe('external');
    expect((await w.member(ADMIN)).kind).toBe('internal');
  });

  it('refuses changing an email to an external address while allow-external is false', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectError(await w.run(['member', 'update', BOB, '--email', 'bob@partner.example']), 1, 'EXTERNAL_NOT_ALLOWED');
    expect((await w.member(BOB)).email).toBe(BOB);
  });
});

describe('member list, show and update', () => {
  it('shows a member by email or by id, removed members included', async () => {
    const w = await World.ready();
    const bob = expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--json'])).json();
    const byId = await w.member(bob.id);
    const byEmail = await w.member(BOB);
    expect(byId).toEqual(byEmail);
    for (const f of [...MEMBER_FIELDS, 'groups']) expect(byEmail).toHaveProperty(f);
    expect(byEmail.groups).toEqual([]);
    expectOk(await w.run(['member', 'remove', BOB]));
    expect((await w.member(bob.id)).status).toBe('deleted');
    const human = expectOk(await w.run(['member', 'show', BOB]));
    expect(human.out).toContain(BOB);
  });

  it('reports an unknown target as NOT_FOUND (exit 3)', async () => {
    const w = await World.ready();
    expectError(await w.run(['member', 'show', 'ghost@acme.example']), 3, 'NOT_FOUND');
    expectError(await w.run(['member', 'show', 'm_0000000000000000']), 3, 'NOT_FOUND');
  });

  it('updates name, title, 2FA and email; the old email no longer finds the member', async () => {
    const w = await World.ready();
    const bob = expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--json'])).json();
    expectOk(await w.run(['member', 'update', BOB, '--name', 'Robert', '--title', 'Lead', '--2fa', 'on'], { now: at('+1h'), env: { ROLLCALL_SMTP_URL: 'smtp://mail.acme.example' } }));
    expect(await w.member(BOB)).toMatchObject({ name: 'Robert', title: 'Lead', twoFactor: true, updatedAt: at('+1h'), createdAt: bob.createdAt });
    expectOk(await w.run(['member', 'update', bob.id, '--email', 'robert@acme.example']));
    expect((await w.member(bob.id)).email).toBe('robert@acme.example');
    expectError(await w.run(['member', 'show', BOB]), 3, 'NOT_FOUND');
    expectOk(await w.run(['member', 'update', 'robert@acme.example', '--2fa', 'off']));
    expect((await w.member(bob.id)).twoFactor).toBe(false);
  });

  it('refuses an update to an email another member holds (ALREADY_EXISTS, exit 5)', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    await w.invitedMember(CAROL, 'Carol');
    expectError(await w.run(['member', 'update', BOB, '--email', 'CAROL@acme.example']), 5, 'ALREADY_EXISTS');
    expectError(await w.run(['member', 'update', BOB, '--email', 'not-an-email']), 2, 'INVALID_INPUT');
    expect((await w.member(BOB)).email).toBe(BOB);
  });

  describe('filters', () => {
    // One workspace for the read-only filter tests.
    let setup: Promise<World>;
    beforeAll(async () => {
      setup = make();
      await setup;
    });
    const make = async () => {
      const w = await World.ready();
      expectOk(await w.run(['workspace', 'set', 'allow-external', 'true']));
      await w.activeMember(BOB, 'Bob Lee', 'operator', ['--title', 'Sales Manager']);
      await w.invitedMember(CAROL, 'Carol King', ['--title', 'Engineer']);
      await w.invitedMember(DAVE, 'Dave Ng');
      await w.invitedMember('eve@partner.example', 'Eve Outside');
      await w.invitedMember('frank@acme.example', 'Frank Gone');
      expectOk(await w.run(['member', 'suspend', DAVE]));
      expectOk(await w.run(['member', 'remove', 'frank@acme.example']));
      return w;
    };

    it('lists every non-deleted member by default', async () => {
      const w = await setup;
      expect(await w.emails()).toEqual([ADMIN, BOB, CAROL, DAVE, 'eve@partner.example'].sort());
    });

    it('filters by --status (deleted members only with --status deleted)', async () => {
      const w = await setup;
      expect(await w.emails(['--status', 'active'])).toEqual([ADMIN, BOB]);
      expect(await w.emails(['--status', 'invited'])).toEqual([CAROL, 'eve@partner.example']);
      expect(await w.emails(['--status', 'suspended'])).toEqual([DAVE]);
      expect(await w.emails(['--status', 'deleted'])).toEqual(['frank@acme.example']);
      expect(await w.emails(['--status', 'pending'])).toEqual([]);
      expectError(await w.run(['member', 'list', '--status', 'sleeping']), 2, 'INVALID_INPUT');
      // In any case, as a person types it; the removed ones in their own columns (removed by, batch).
      expect(await w.emails(['--status', 'Suspended'])).toEqual([DAVE]);
      expect(await w.emails(['--status', 'DELETED'])).toEqual(['frank@acme.example']);
      expect(expectOk(await w.run(['member', 'list', '--status', 'Deleted'])).out).toContain(`\t${ADMIN}\t`);
    });

    it('filters by --role; an unknown role is INVALID_INPUT (exit 2), as an unknown status is, not an empty list', async () => {
      const w = await setup;
      expect(await w.emails(['--role', 'operator'])).toEqual([BOB]);
      expect(await w.emails(['--role', 'admin'])).toEqual([ADMIN]);
      const r = expectError(await w.run(['member', 'list', '--role', 'nosuch']), 2, 'INVALID_INPUT');
      expect(r.err, describeRun(r)).toMatch(/unknown role "nosuch"/);
    });

    it('filters by --kind internal|external', async () => {
      const w = await setup;
      expect(await w.emails(['--kind', 'external'])).toEqual(['eve@partner.example']);
      expect(await w.emails(['--kind', 'internal'])).toEqual([ADMIN, BOB, CAROL, DAVE]);
      expectError(await w.run(['member', 'list', '--kind', 'alien']), 2, 'INVALID_INPUT');
    });

    it('--search is a case-insensitive substring of name, email or title, after NFKC', async () => {
      const w = await setup;
      expect(await w.emails(['--search', 'carol KING'])).toEqual([CAROL]);
      expect(await w.emails(['--search', 'PARTNER'])).toEqual(['eve@partner.example']);
      expect(await w.emails(['--search', 'manager'])).toEqual([BOB]);
      expect(await w.emails(['--search', 'ＭＡＮＡＧＥＲ'])).toEqual([BOB]);
      expect(await w.emails(['--search', 'ｅｎｇｉｎｅｅｒ'])).toEqual([CAROL]);
      expect(await w.emails(['--search', 'nobody-matches-this'])).toEqual([]);
    });

    it('combines filters', async () => {
      const w = await setup;
      expect(await w.emails(['--status', 'invited', '--kind', 'internal'])).toEqual([CAROL]);
    });

    it('prints plain tab-separated rows when piped', async () => {
      const w = await setup;
      const r = expectOk(await w.run(['member', 'list', '--status', 'active']));
      const lines = r.out.trim().split('\n').filter((l) => l.includes('@'));
      expect(lines).toHaveLength(2);
      for (const l of lines) expect(l).toContain('\t');
    });
  });
});

describe('pending members (start date in the future)', () => {
  it('is pending until its start date: listed as pending, ACCOUNT_PENDING at login and passwd', async () => {
    const w = await World.ready();
    const tmp = expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--start-date', '2030-02-01', '--json'])).json().temporaryPassword;
    expect((await w.member(BOB)).status).toBe('pending');
    expect(await w.emails(['--status', 'pending'])).toEqual([BOB]);
    expectError(await w.run(['login', BOB, '--password-stdin'], { input: tmp + '\n', actor: BOB, token: null }), 4, 'ACCOUNT_PENDING');
    expectError(await w.run(['passwd', BOB, '--password-stdin'], { input: `${tmp}\nB0bsOwnPassw0rd\n`, actor: BOB, token: null }), 4, 'ACCOUNT_PENDING');
    // From the start date on, it is an ordinary invited member.
    w.now = '2030-02-01T00:00:01.000Z';
    expect((await w.member(BOB)).status).toBe('invited');
    expectOk(await w.run(['passwd', BOB, '--password-stdin'], { input: `${tmp}\nB0bsOwnPassw0rd\n`, actor: BOB, token: null }));
    await w.loginAs(BOB, 'B0bsOwnPassw0rd');
    expect((await w.member(BOB)).status).toBe('active');
  });

  it('a start date moved into the future makes an active member pending (status is derived)', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'update', BOB, '--start-date', '2030-06-01']));
    expect((await w.member(BOB)).status).toBe('pending');
    expectError(await w.run(['login', BOB, '--password-stdin'], { input: pw + '\n', actor: BOB, token: null }), 4, 'ACCOUNT_PENDING');
    expectOk(await w.run(['member', 'update', BOB, '--start-date', '']));
    expect((await w.member(BOB)).status).toBe('active');
  });

  it('refuses an impossible start date (INVALID_INPUT, exit 2)', async () => {
    const w = await World.ready();
    expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--start-date', '2030-02-30']), 2, 'INVALID_INPUT');
    expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--start-date', 'tomorrow']), 2, 'INVALID_INPUT');
  });
});

describe('suspend and unsuspend', () => {
  it('suspends with a reason and unsuspends back to the status the member would have had', async () => {
    const w = await World.ready();
    await w.activeMember(BOB, 'Bob');
    await w.invitedMember(CAROL, 'Carol');
    expectOk(await w.run(['member', 'add', DAVE, '--name', 'Dave', '--start-date', '2030-03-01']));
    const r = expectOk(await w.run(['member', 'suspend', BOB, CAROL, DAVE, '--reason', 'on leave', '--json']));
    expect(r.json()).toHaveLength(3);
    for (const e of [BOB, CAROL, DAVE]) expect(await w.member(e)).toMatchObject({ status: 'suspended', suspendedReason: 'on leave' });
    expectOk(await w.run(['member', 'unsuspend', BOB, CAROL, DAVE]));
    expect((await w.member(BOB)).status).toBe('active');
    expect((await w.member(CAROL)).status).toBe('invited');
    expect((await w.member(DAVE)).status).toBe('pending');
    expect((await w.member(BOB)).suspendedReason).toBeNull();
  });

  it('is all-or-nothing: one missing target is NOT_FOUND (exit 3) and nothing changes', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    await w.invitedMember(CAROL, 'Carol');
    const r = expectError(await w.run(['member', 'suspend', BOB, 'ghost@acme.example', CAROL]), 3, 'NOT_FOUND');
    expect(r.err).toContain('ghost@acme.example');
    expect((await w.member(BOB)).status).toBe('invited');
    expect((await w.member(CAROL)).status).toBe('invited');
    expectError(await w.run(['member', 'remove', BOB, CAROL, 'ghost@acme.example']), 3, 'NOT_FOUND');
    expect(await w.emails()).toEqual([ADMIN, BOB, CAROL]);
  });

  it('is all-or-nothing when a rule refuses one target: suspending alice and bob is LAST_ADMIN and bob stays', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectError(await w.run(['member', 'suspend', BOB, ADMIN]), 1, 'LAST_ADMIN');
    expect((await w.member(BOB)).status).toBe('invited');
    expect((await w.member(ADMIN)).status).toBe('active');
  });
});

describe('the last active admin', () => {
  it('refuses to suspend the last active admin (LAST_ADMIN, exit 1)', async () => {
    const w = await World.ready();
    expectError(await w.run(['member', 'suspend', ADMIN]), 1, 'LAST_ADMIN');
    expect((await w.member(ADMIN)).status).toBe('active');
  });

  it('refuses to remove the last active admin, also when the admin removes itself (LAST_ADMIN, exit 1)', async () => {
    const w = await World.ready();
    expectError(await w.run(['member', 'remove', ADMIN]), 1, 'LAST_ADMIN');
    await w.loginAs(ADMIN, PW);
    expectError(await w.as(ADMIN, ['member', 'remove', ADMIN]), 1, 'LAST_ADMIN');
    expectError(await w.as(ADMIN, ['member', 'suspend', ADMIN]), 1, 'LAST_ADMIN');
    expect((await w.member(ADMIN)).status).toBe('active');
  });

  it('an invited or suspended admin does not count: only an active one lets the last admin go', async () => {
    const w = await World.ready();
    const tmp = expectOk(await w.run(['member', 'add', CAROL, '--name', 'Carol', '--role', 'admin', '--json'])).json().temporaryPassword;
    expectError(await w.run(['member', 'suspend', ADMIN]), 1, 'LAST_ADMIN');
    expectOk(await w.run(['passwd', CAROL, '--password-stdin'], { input: `${tmp}\nCar0lsPassw0rd\n`, actor: CAROL, token: null }));
    expectOk(await w.run(['member', 'suspend', CAROL]));
    expectError(await w.run(['member', 'remove', ADMIN]), 1, 'LAST_ADMIN');
    expectOk(await w.run(['member', 'unsuspend', CAROL]));
    // Now carol is an active admin: alice may suspend herself.
    expectOk(await w.run(['member', 'suspend', ADMIN]));
    await w.loginAs(CAROL, 'Car0lsPassw0rd');
    expect(expectOk(await w.as(CAROL, ['member', 'show', ADMIN, '--json'])).json().status).toBe('suspended');
    // and carol, now the last active admin, may not.
    expectError(await w.as(CAROL, ['member', 'suspend', CAROL]), 1, 'LAST_ADMIN');
  });

  it('a member may remove itself when the rules allow it', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(CAROL, 'Carol', 'admin');
    await w.loginAs(CAROL, pw);
    expectOk(await w.as(CAROL, ['member', 'remove', CAROL]));
    expect((await w.member(CAROL)).status).toBe('deleted');
  });
});

describe('remove and restore', () => {
  it('removes a member (status deleted, restorableUntil = deletedAt + 7 days) and prints the time until it can be restored', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    const r = expectOk(await w.run(['member', 'remove', BOB, '--json']));
    const m = first(r.json());
    expect(m).toMatchObject({ email: BOB, status: 'deleted', deletedAt: w.now, restorableUntil: at('+7d') });
    const bob = await w.member(BOB);
    expect(bob).toMatchObject({ status: 'deleted', restorableUntil: at('+7d') });
    await w.invitedMember(CAROL, 'Carol');
    const human = expectOk(await w.run(['member', 'remove', CAROL]));
    expect(human.out).toContain(at('+7d'));
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('restores a member to the status it had, with role and title intact (a suspended member is suspended again)', async () => {
    const w = await World.ready();
    await w.activeMember(BOB, 'Bob', 'operator', ['--title', 'Lead']);
    await w.invitedMember(CAROL, 'Carol', ['--title', 'Engineer']);
    expectOk(await w.run(['member', 'suspend', CAROL, '--reason', 'on leave']));
    expectOk(await w.run(['member', 'remove', BOB, CAROL]));
    const r = expectOk(await w.run(['member', 'restore', BOB, CAROL, '--json'], { now: at('+6d') }));
    expect(r.json()).toHaveLength(2);
    expect(await w.member(BOB)).toMatchObject({ status: 'active', role: 'operator', title: 'Lead', deletedAt: null, restorableUntil: null });
    expect(await w.member(CAROL)).toMatchObject({ status: 'suspended', suspendedReason: 'on leave', role: 'viewer', title: 'Engineer' });
  });

  it('restores within the window only: 8 days later is RESTORE_WINDOW_EXPIRED (exit 1)', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'remove', BOB]));
    w.now = at('+8d');
    expectError(await w.run(['member', 'restore', BOB]), 1, 'RESTORE_WINDOW_EXPIRED');
  });

  it('restores on day 6, just inside the window', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'remove', BOB]));
    expectOk(await w.run(['member', 'restore', BOB], { now: at('+167h') }));
    expect((await w.member(BOB)).status).toBe('invited');
  });

  it('refuses to restore a purged member (RESTORE_WINDOW_EXPIRED, exit 1)', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'remove', BOB]));
    expectOk(await w.run(['member', 'purge', BOB, '--yes']));
    expectError(await w.run(['member', 'restore', BOB]), 1, 'RESTORE_WINDOW_EXPIRED');
  });

  it('refuses to re-add the email of a removed, restorable member (ALREADY_EXISTS, exit 5), hinting at restore or purge', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'remove', BOB]));
    const r = expectError(await w.run(['member', 'add', BOB, '--name', 'Bob Again']), 5, 'ALREADY_EXISTS');
    expect(r.err).toMatch(/restore|purge/);
    expect((await w.member(BOB)).name).toBe('Bob');
  });

  it('purges automatically at the next write command after 7 days: the member disappears and its email is free again', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob', ['--title', 'Old']);
    expectOk(await w.run(['member', 'remove', BOB]));
    w.now = at('+8d');
    expectOk(await w.run(['member', 'add', CAROL, '--name', 'Carol']));
    expectError(await w.run(['member', 'show', BOB]), 3, 'NOT_FOUND');
    expect(await w.emails(['--status', 'deleted'])).toEqual([]);
    expect(w.sql(`SELECT COUNT(*) FROM members WHERE email = '${BOB}'`)).toBe('0');
    const again = expectOk(await w.run(['member', 'add', BOB, '--name', 'New Bob', '--json'])).json();
    expect(again).toMatchObject({ status: 'invited', title: null, name: 'New Bob' });
  });

  it('member purge --expired purges members past their window and reports them', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    await w.invitedMember(CAROL, 'Carol');
    expectOk(await w.run(['member', 'remove', BOB]));
    expectOk(await w.run(['member', 'remove', CAROL], { now: at('+5d') }));
    w.now = at('+8d');
    const r = expectOk(await w.run(['member', 'purge', '--expired', '--json']));
    expect((r.json() as Array<{ email: string }>).map((m) => m.email)).toEqual([BOB]);
    expectError(await w.run(['member', 'show', BOB]), 3, 'NOT_FOUND');
    expect((await w.member(CAROL)).status).toBe('deleted');
  });

  it('member purge TARGET --yes purges a removed member at once; the email is free again', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'remove', BOB]));
    expectOk(await w.run(['member', 'purge', BOB, '--yes']));
    expectError(await w.run(['member', 'show', BOB]), 3, 'NOT_FOUND');
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
  });

  it('member purge needs --yes when not at a terminal (USAGE, exit 2)', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'remove', BOB]));
    expectError(await w.run(['member', 'purge', BOB]), 2, 'USAGE');
    expect((await w.member(BOB)).status).toBe('deleted');
  });

  it('restore is all-or-nothing: one member past its window fails the whole command', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    await w.invitedMember(CAROL, 'Carol');
    expectOk(await w.run(['member', 'remove', BOB]));
    expectOk(await w.run(['member', 'remove', CAROL], { now: at('+5d') }));
    // An hour past bob's window, carol's is still open: the command fails naming bob, and carol stays removed.
    const r = expectError(await w.run(['member', 'restore', CAROL, BOB], { now: at('+169h') }), 1, 'RESTORE_WINDOW_EXPIRED');
    expect(r.err).toContain(BOB);
    expect((await w.member(CAROL)).status).toBe('deleted');
  });
});

describe('seat limit', () => {
  it('refuses an add beyond the seat limit (SEAT_LIMIT_REACHED, exit 1), with the count and the way out', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '2']));
    const r = expectError(await w.run(['member', 'add', CAROL, '--name', 'Carol']), 1, 'SEAT_LIMIT_REACHED');
    expect(r.err).toMatch(/\b2\b/);
    expect(r.err).toMatch(/seat-limit|remove/);
    expect(await w.emails()).toEqual([ADMIN, BOB]);
  });

  it('counts suspended and pending members as seats, not removed ones', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'add', CAROL, '--name', 'Carol', '--start-date', '2030-05-01']));
    expectOk(await w.run(['member', 'suspend', BOB]));
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '3']));
    expectError(await w.run(['member', 'add', DAVE, '--name', 'Dave']), 1, 'SEAT_LIMIT_REACHED');
    expectOk(await w.run(['member', 'remove', BOB]));
    expectOk(await w.run(['member', 'add', DAVE, '--name', 'Dave']));
  });

  it('refuses a restore beyond the seat limit (SEAT_LIMIT_REACHED, exit 1)', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '2']));
    expectOk(await w.run(['member', 'remove', BOB]));
    await w.invitedMember(CAROL, 'Carol');
    expectError(await w.run(['member', 'restore', BOB]), 1, 'SEAT_LIMIT_REACHED');
    expect((await w.member(BOB)).status).toBe('deleted');
  });
});

describe('reset-password', () => {
  it('is all-or-nothing and prints one temporary password per member', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    await w.invitedMember(CAROL, 'Carol');
    expectError(await w.run(['member', 'reset-password', BOB, 'ghost@acme.example']), 3, 'NOT_FOUND');
    const r = expectOk(await w.run(['member', 'reset-password', BOB, CAROL, '--json']));
    const list = r.json() as Array<{ email: string; temporaryPassword: string }>;
    expect(list.map((m) => m.email).sort()).toEqual([BOB, CAROL]);
    expect(new Set(list.map((m) => m.temporaryPassword)).size).toBe(2);
  });
});
