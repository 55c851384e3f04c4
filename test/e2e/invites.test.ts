// SPEC §5 (issue 3): invitations. A link valid 24 hours, usable once; a re-issue kills the previous
// link; only its hash is stored; the seat limit and the member's state decide whether one may be issued.
import { describe, expect, it } from 'vitest';
import { ADMIN, World, at, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const DAN = 'dan@acme.example';
const EVE = 'eve@acme.example';
const BASE = 'https://x.example/join';

/** `invite issue … --json` as the admin: the printed {email, inviteToken, inviteUrl, expiresAt}. */
async function issue(w: World, email: string, extra: string[] = [], opts: { now?: string; env?: Record<string, string> } = {}) {
  const r = expectOk(await w.run(['invite', 'issue', email, ...extra, '--json'], opts));
  const body = r.json();
  expect(typeof body.inviteToken, describeRun(r)).toBe('string');
  return body as { email: string; inviteToken: string; inviteUrl: string | null; expiresAt: string };
}

/** `invite accept TOKEN --password-stdin`, without any session or token (the invitee has none). */
function accept(w: World, token: string, password: string, now?: string, extra: string[] = []): Promise<Result> {
  return w.run(['invite', 'accept', token, '--password-stdin', ...extra], { input: password + '\n', actor: 'invitee', token: null, now });
}

function login(w: World, email: string, password: string, now?: string): Promise<Result> {
  return w.run(['login', email, '--password-stdin'], { input: password + '\n', actor: email, token: null, now });
}

describe.concurrent('invite issue', () => {
  it('creates an invited member with the given name, role and org, and prints {email, inviteToken, inviteUrl, expiresAt} valid 24 hours', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Sales']));
    const r = expectOk(await w.run(['invite', 'issue', DAN, '--name', 'Dan Brown', '--role', 'operator', '--org', 'Sales', '--json']));
    const body = r.json();
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['email', 'inviteToken', 'inviteUrl', 'expiresAt']));
    expect(body.email).toBe(DAN);
    expect(body.inviteToken).toMatch(/^\S{16,}$/); // at least 96 bits of randomness, printed as text
    expect(body.inviteUrl).toBeNull(); // no ROLLCALL_INVITE_BASE_URL: a field without a value is null
    expect(body.expiresAt).toBe(at('+24h'));
    expect(await w.member(DAN)).toMatchObject({ email: DAN, name: 'Dan Brown', role: 'operator', org: 'Sales', status: 'invited' });
  });

  it('prints the link as ROLLCALL_INVITE_BASE_URL/TOKEN when that variable is set', async () => {
    const w = await World.ready();
    const body = await issue(w, DAN, ['--name', 'Dan'], { env: { ROLLCALL_INVITE_BASE_URL: BASE } });
    expect(body.inviteUrl).toBe(`${BASE}/${body.inviteToken}`);
    // In human output too: the link, once.
    const human = expectOk(await w.run(['invite', 'issue', DAN], { env: { ROLLCALL_INVITE_BASE_URL: BASE } }));
    const url = new RegExp(`${BASE.replace(/[.]/g, '\\.')}/(\\S+)`).exec(human.out);
    expect(url, describeRun(human)).not.toBeNull();
    // That link's token is the live one.
    expectOk(await accept(w, url![1], 'DanSecret123!'));
  });

  it('without ROLLCALL_INVITE_BASE_URL, human output prints the token and the invite accept command', async () => {
    const w = await World.ready();
    const r = expectOk(await w.run(['invite', 'issue', DAN, '--name', 'Dan']));
    expect(r.out + r.err).toMatch(/invite accept/);
    // The printed token (a long word on stdout that is no email) works.
    const token = r.out.split(/\s+/).find((word) => word.length >= 16 && !word.includes('@'));
    expect(token, describeRun(r)).toBeTruthy();
    expectOk(await accept(w, token!, 'DanSecret123!'));
    expect((await w.member(DAN)).status).toBe('active');
  });

  it('stores only a hash of the token: it is not in the workspace dump, audit list, invite list or member show', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN, ['--name', 'Dan']);
    const dump = w.dump();
    expect(dump).toContain(DAN); // the dump is real
    expect(dump.includes(inviteToken), 'the invitation token is stored in clear').toBe(false);
    for (const args of [['audit', 'list', '--json'], ['invite', 'list', '--json'], ['invite', 'list'], ['member', 'show', DAN, '--json'], ['member', 'list', '--json']]) {
      const r = expectOk(await w.run(args));
      expect(r.out + r.err, describeRun(r)).not.toContain(inviteToken);
    }
  });

  it('refuses a member that has already registered (INVALID_STATE, exit 1) and changes nothing', async () => {
    const w = await World.ready();
    await w.activeMember(DAN, 'Dan', 'viewer');
    expectError(await w.run(['invite', 'issue', DAN, '--role', 'operator']), 1, 'INVALID_STATE');
    expectError(await w.run(['invite', 'issue', ADMIN]), 1, 'INVALID_STATE');
    expect(await w.member(DAN)).toMatchObject({ status: 'active', role: 'viewer' });
    expect(expectOk(await w.run(['invite', 'list', '--json'])).json()).toEqual([]);
  });

  it('refuses a member that registered through an invitation (INVALID_STATE, exit 1)', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN, ['--name', 'Dan']);
    expectOk(await accept(w, inviteToken, 'DanSecret123!'));
    expectError(await w.run(['invite', 'issue', DAN]), 1, 'INVALID_STATE');
    await w.loginAs(DAN, 'DanSecret123!');
  });

  it('refuses a suspended member who has not registered (INVALID_STATE, exit 1): accepting would be refused; after unsuspend it works', async () => {
    const w = await World.ready();
    await issue(w, DAN, ['--name', 'Dan']);
    expectOk(await w.run(['member', 'suspend', DAN]));
    const r = expectError(await w.run(['invite', 'issue', DAN]), 1, 'INVALID_STATE');
    expect(r.err).toContain('rollcall member unsuspend');
    expectOk(await w.run(['member', 'unsuspend', DAN]));
    const { inviteToken } = await issue(w, DAN, []);
    expectOk(await accept(w, inviteToken, 'DanSecret123!'));
    expect(await w.member(DAN)).toMatchObject({ status: 'active' });
  });

  it('applies the seat limit to a new invitee (SEAT_LIMIT_REACHED, exit 1) and creates no member', async () => {
    const w = await World.ready();
    await issue(w, DAN, ['--name', 'Dan']);
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '2']));
    expectError(await w.run(['invite', 'issue', EVE, '--name', 'Eve']), 1, 'SEAT_LIMIT_REACHED');
    expectError(await w.run(['member', 'show', EVE]), 3, 'NOT_FOUND');
    expect(await w.emails()).toEqual([ADMIN, DAN]);
    // A re-issue for an invitee who already holds a seat takes no new seat.
    const again = await issue(w, DAN);
    expectOk(await accept(w, again.inviteToken, 'DanSecret123!'));
  });

  it('is refused to a viewer (PERMISSION_DENIED, exit 4)', async () => {
    const w = await World.ready();
    const pw = await w.activeMember('vic@acme.example', 'Vic', 'viewer');
    await w.loginAs('vic@acme.example', pw);
    expectError(await w.as('vic@acme.example', ['invite', 'issue', DAN, '--name', 'Dan']), 4, 'PERMISSION_DENIED');
    expectError(await w.run(['member', 'show', DAN]), 3, 'NOT_FOUND');
  });
});

describe.concurrent('invite accept', () => {
  it('sets the password and makes the member active; the member can then log in', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN, ['--name', 'Dan']);
    expect((await w.member(DAN)).status).toBe('invited');
    const r = expectOk(await accept(w, inviteToken, 'DanSecret123!', at('+2h')));
    expect(r.out + r.err).not.toContain('DanSecret123!');
    expect(r.out + r.err).not.toContain(inviteToken);
    expect((await w.member(DAN)).status).toBe('active');
    expectOk(await login(w, DAN, 'DanSecret123!', at('+3h')));
    expect(expectOk(await w.as(DAN, ['whoami', '--json'], { now: at('+3h') })).json().email).toBe(DAN);
  });

  it('is valid for 24 hours: accepted at +23h', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN, ['--name', 'Dan']);
    expectOk(await accept(w, inviteToken, 'DanSecret123!', at('+23h')));
    expect((await w.member(DAN)).status).toBe('active');
  });

  it('expires after 24 hours (INVITE_EXPIRED, exit 4): the member stays invited, and a re-issue gives a working link', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN, ['--name', 'Dan']);
    const late = at('+25h');
    expectError(await accept(w, inviteToken, 'DanSecret123!', late), 4, 'INVITE_EXPIRED');
    expect((await w.member(DAN)).status).toBe('invited');
    expectError(await login(w, DAN, 'DanSecret123!', late), 4, 'INVALID_CREDENTIALS');
    const again = await issue(w, DAN, [], { now: late });
    expect(again.expiresAt).toBe(at('+24h', late));
    expectOk(await accept(w, again.inviteToken, 'DanSecret123!', at('+26h')));
    expect((await w.member(DAN)).status).toBe('active');
  });

  it('is usable once (INVITE_USED, exit 4): a second accept does not change the password', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN, ['--name', 'Dan']);
    expectOk(await accept(w, inviteToken, 'DanSecret123!'));
    const r = expectError(await accept(w, inviteToken, 'Hijacked123!'), 4, 'INVITE_USED');
    expect(r.err).not.toContain(inviteToken);
    expectError(await login(w, DAN, 'Hijacked123!'), 4, 'INVALID_CREDENTIALS');
    expectOk(await login(w, DAN, 'DanSecret123!'));
  });

  it('a re-issue kills the previous link (old token: INVITE_INVALID, exit 4); the new one works', async () => {
    const w = await World.ready();
    const first = await issue(w, DAN, ['--name', 'Dan']);
    const second = await issue(w, DAN, [], { now: at('+1h') });
    expect(second.inviteToken).not.toBe(first.inviteToken);
    expect(second.expiresAt).toBe(at('+25h'));
    expectError(await accept(w, first.inviteToken, 'DanSecret123!', at('+2h')), 4, 'INVITE_INVALID');
    expect((await w.member(DAN)).status).toBe('invited');
    expectOk(await accept(w, second.inviteToken, 'DanSecret123!', at('+2h')));
    expect((await w.member(DAN)).status).toBe('active');
  });

  it('a re-issue keeps role, name and org unless given, and changes what is given', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Sales']));
    await issue(w, DAN, ['--name', 'Dan', '--role', 'operator', '--org', 'Sales']);
    await issue(w, DAN);
    expect(await w.member(DAN)).toMatchObject({ name: 'Dan', role: 'operator', org: 'Sales', status: 'invited' });
    await issue(w, DAN, ['--name', 'Daniel']);
    expect(await w.member(DAN)).toMatchObject({ name: 'Daniel', role: 'operator', org: 'Sales' });
    expect(await w.emails()).toEqual([ADMIN, DAN]);
  });

  it('refuses an unknown token (INVITE_INVALID, exit 4)', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN, ['--name', 'Dan']);
    expectError(await accept(w, 'ri_thisIsNotAnInvitationToken00', 'DanSecret123!'), 4, 'INVITE_INVALID');
    expectError(await accept(w, inviteToken.slice(0, -2) + (inviteToken.endsWith('AA') ? 'BB' : 'AA'), 'DanSecret123!'), 4, 'INVITE_INVALID');
    expect((await w.member(DAN)).status).toBe('invited');
  });

  it('by address alone: invite issue without --name names the new member after the local part; invite accept --name lets the invitee choose, by the text rules (NFC; empty or too long: INVALID_INPUT, invitation still usable)', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN);
    expect(await w.member(DAN)).toMatchObject({ name: 'dan', role: 'viewer', status: 'invited' });
    for (const bad of ['  ', 'x'.repeat(201)]) {
      expectError(await accept(w, inviteToken, 'DanSecret123!', undefined, ['--name', bad]), 2, 'INVALID_INPUT');
    }
    expect(await w.member(DAN)).toMatchObject({ name: 'dan', status: 'invited' });
    const r = expectOk(await accept(w, inviteToken, 'DanSecret123!', undefined, ['--name', ' Dan Bre\u0301ton ', '--json']));
    expect(r.json()).toEqual({ email: DAN, name: 'Dan Br\u00e9ton', status: 'active' });
    expect(await w.member(DAN)).toMatchObject({ name: 'Dan Br\u00e9ton', status: 'active' });
    expectOk(await login(w, DAN, 'DanSecret123!'));
  });

  it('refuses a password that breaks the policy (PASSWORD_POLICY, exit 1) and leaves the invitation usable', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN, ['--name', 'Dan']);
    expectError(await accept(w, inviteToken, 'short1'), 1, 'PASSWORD_POLICY');
    expect((await w.member(DAN)).status).toBe('invited');
    expectOk(await accept(w, inviteToken, 'DanSecret123!'));
    expect((await w.member(DAN)).status).toBe('active');
  });
});

describe.concurrent('invite list and revoke', () => {
  it('invite list shows the open invitations with their expiry; accepted ones leave the list', async () => {
    const w = await World.ready();
    const dan = await issue(w, DAN, ['--name', 'Dan']);
    const eve = await issue(w, EVE, ['--name', 'Eve'], { now: at('+1h') });
    const list = expectOk(await w.run(['invite', 'list', '--json'], { now: at('+2h') })).json() as Array<{ email: string; expiresAt: string }>;
    expect(Array.isArray(list)).toBe(true);
    const byEmail = Object.fromEntries(list.map((i) => [i.email, i.expiresAt]));
    expect(byEmail).toEqual({ [DAN]: at('+24h'), [EVE]: at('+25h') });
    const human = expectOk(await w.run(['invite', 'list'], { now: at('+2h') }));
    expect(human.out).toContain(DAN);
    expect(human.out).toContain(at('+24h'));
    expectOk(await accept(w, dan.inviteToken, 'DanSecret123!', at('+2h')));
    const after = expectOk(await w.run(['invite', 'list', '--json'], { now: at('+2h') })).json() as Array<{ email: string }>;
    expect(after.map((i) => i.email)).toEqual([EVE]);
    expect(JSON.stringify(after)).not.toContain(eve.inviteToken);
  });

  it('a re-issue leaves one open invitation for the member, with the new expiry', async () => {
    const w = await World.ready();
    await issue(w, DAN, ['--name', 'Dan']);
    await issue(w, DAN, [], { now: at('+3h') });
    const list = expectOk(await w.run(['invite', 'list', '--json'], { now: at('+3h') })).json() as Array<{ email: string; expiresAt: string }>;
    expect(list.map((i) => [i.email, i.expiresAt])).toEqual([[DAN, at('+27h')]]);
  });

  it('invite revoke kills the invitation: accept is then INVITE_INVALID (exit 4) and it leaves the list', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN, ['--name', 'Dan']);
    expectOk(await w.run(['invite', 'revoke', DAN]));
    expectError(await accept(w, inviteToken, 'DanSecret123!'), 4, 'INVITE_INVALID');
    expect((await w.member(DAN)).status).toBe('invited');
    expect(expectOk(await w.run(['invite', 'list', '--json'])).json()).toEqual([]);
  });

  it('invite revoke takes an id as the target too', async () => {
    const w = await World.ready();
    const { inviteToken } = await issue(w, DAN, ['--name', 'Dan']);
    const id = (await w.member(DAN)).id;
    expectOk(await w.run(['invite', 'revoke', id]));
    expectError(await accept(w, inviteToken, 'DanSecret123!'), 4, 'INVITE_INVALID');
  });
});

describe.concurrent('member add --invite', () => {
  it('gives an invitation {inviteToken, …} instead of a temporary password (temporaryPassword null); the invitation works', async () => {
    const w = await World.ready();
    const r = expectOk(await w.run(['member', 'add', DAN, '--name', 'Dan', '--invite', '--json'], { env: { ROLLCALL_INVITE_BASE_URL: BASE } }));
    const body = r.json();
    expect(body).toMatchObject({ email: DAN, status: 'invited', temporaryPassword: null });
    expect(body.invite).toMatchObject({ inviteToken: expect.any(String), expiresAt: at('+24h') });
    expect(body.invite.inviteUrl).toBe(`${BASE}/${body.invite.inviteToken}`);
    expect(w.dump().includes(body.invite.inviteToken)).toBe(false);
    expectOk(await accept(w, body.invite.inviteToken, 'DanSecret123!'));
    expectOk(await login(w, DAN, 'DanSecret123!'));
    expect((await w.member(DAN)).status).toBe('active');
  });

  it('without --invite, member add gives a temporary password and no invitation', async () => {
    const w = await World.ready();
    const body = expectOk(await w.run(['member', 'add', DAN, '--name', 'Dan', '--json'])).json();
    expect(typeof body.temporaryPassword).toBe('string');
    expect(body.invite ?? null).toBeNull();
    expect(expectOk(await w.run(['invite', 'list', '--json'])).json()).toEqual([]);
  });
});
