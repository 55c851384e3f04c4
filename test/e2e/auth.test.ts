// SPEC §2 (who is acting) and §5 (credentials): sessions, API tokens, passwords, lockout.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, T0, World, at, describeRun, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('sessions', () => {
  it('login starts a session that whoami reports; logout ends it (NOT_AUTHENTICATED, exit 4)', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob', 'operator');
    const login = expectOk(await w.as(BOB, ['login', BOB, '--password-stdin'], { input: pw + '\n' }));
    expect(login.out).toContain(BOB);
    expect(login.err).toBe(''); // no token in the way: no warning
    expect(expectOk(await w.as(BOB, ['whoami', '--json'])).json()).toEqual({ email: BOB, role: 'operator', scope: [], via: 'session', token: null, expiresAt: at('+12h') });
    expect(expectOk(await w.as(BOB, ['whoami'])).out).toBe(`${BOB} (operator)\nvia the session stored for this workspace, until ${at('+12h')}\n`);
    expectOk(await w.as(BOB, ['logout']));
    expectError(await w.as(BOB, ['whoami']), 4, 'NOT_AUTHENTICATED');
    expectError(await w.as(BOB, ['member', 'list']), 4, 'NOT_AUTHENTICATED');
  });

  it('refuses every acting command without a session or token (NOT_AUTHENTICATED, exit 4)', async () => {
    const w = await World.ready();
    expectError(await w.run(['member', 'list'], { actor: 'nobody', token: null }), 4, 'NOT_AUTHENTICATED');
    expectError(await w.run(['workspace', 'show'], { actor: 'nobody', token: null }), 4, 'NOT_AUTHENTICATED');
  });

  it('stores sessions under ROLLCALL_CONFIG_DIR with mode 0600, without the password', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    await w.loginAs(BOB, pw);
    const files = filesUnder(w.cfg(BOB));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
      expect(readFileSync(f, 'utf8')).not.toContain(pw);
    }
  });

  it('keeps a session for 12 hours only', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    await w.loginAs(BOB, pw);
    expectOk(await w.as(BOB, ['whoami'], { now: at('+11h') }));
    expectOk(await w.as(BOB, ['whoami'], { now: at('+719m') }));
    expectError(await w.as(BOB, ['whoami'], { now: at('+721m') }), 4, 'NOT_AUTHENTICATED');
    expectError(await w.as(BOB, ['member', 'list'], { now: at('+13h') }), 4, 'NOT_AUTHENTICATED');
  });

  it('keys sessions by workspace: a session for one workspace does not act on another', async () => {
    const a = await World.ready();
    const b = await World.ready();
    const pw = await a.activeMember(BOB, 'Bob');
    await a.loginAs(BOB, pw);
    // Same config dir, other workspace.
    expectError(await a.as(BOB, ['whoami'], { env: { ROLLCALL_WORKSPACE: b.ws } }), 4, 'NOT_AUTHENTICATED');
  });

  it('ends the sessions of a removed member', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    await w.loginAs(BOB, pw);
    expectOk(await w.run(['member', 'remove', BOB]));
    expectError(await w.as(BOB, ['whoami']), 4);
  });

  it('stops a suspended member\'s session (exit 4)', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    await w.loginAs(BOB, pw);
    expectOk(await w.run(['member', 'suspend', BOB]));
    expectError(await w.as(BOB, ['member', 'list']), 4);
  });
});

describe('API tokens', () => {
  it('ROLLCALL_TOKEN takes precedence over a stored session', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    await w.loginAs(BOB, pw);
    expect(expectOk(await w.as(BOB, ['whoami', '--json'])).json().email).toBe(BOB);
    const r = expectOk(await w.run(['whoami', '--json'], { actor: BOB, token: w.token }));
    expect(r.json()).toMatchObject({ email: ADMIN, via: 'token', token: { name: 'test-admin', id: expect.stringMatching(/^tok_/) } });
    expect(expectOk(await w.run(['whoami'], { actor: BOB, token: w.token })).out).toMatch(/^alice@acme\.example \(admin\)\nvia API token "test-admin" \(tok_\S+\) from ROLLCALL_TOKEN, until 20/);
    // A login while a token is set works, and warns (stderr) that the token will act instead.
    const login = expectOk(await w.run(['login', BOB, '--password-stdin'], { actor: BOB, token: w.token, input: pw + '\n' }));
    expect(login.out).toContain(BOB);
    expect(login.err).toMatch(/^warning: ROLLCALL_TOKEN is set: commands act through that API token, not this session/);
    expect(expectOk(await w.run(['whoami', '--json'], { actor: BOB, token: w.token })).json().email).toBe(ADMIN);
  });

  it('token create prints {id, name, token, expiresAt} once, with an rc_ token that acts as its creator', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob', 'operator');
    await w.loginAs(BOB, pw);
    const created = expectOk(await w.as(BOB, ['token', 'create', '--name', 'ci', '--expires-in', '30d', '--json'])).json();
    expect(created).toEqual(expect.objectContaining({ id: expect.any(String), name: 'ci', token: expect.stringMatching(/^rc_/), expiresAt: at('+30d') }));
    const who = expectOk(await w.run(['whoami', '--json'], { actor: 'ci', token: created.token })).json();
    expect(who).toEqual({ email: BOB, role: 'operator', scope: [], via: 'token', token: { id: created.id, name: 'ci' }, expiresAt: at('+30d') });
    // Human output shows the token once too.
    const human = expectOk(await w.as(BOB, ['token', 'create', '--name', 'ci2']));
    expect(human.out).toMatch(/rc_\S+/);
  });

  it('token list shows tokens without their secrets; token revoke (by name or id) stops them', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    await w.loginAs(BOB, pw);
    const one = expectOk(await w.as(BOB, ['token', 'create', '--name', 'one', '--json'])).json();
    const two = expectOk(await w.as(BOB, ['token', 'create', '--name', 'two', '--json'])).json();
    const list = expectOk(await w.as(BOB, ['token', 'list', '--json']));
    const names = (list.json() as Array<{ id: string; name: string }>).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['one', 'two']));
    expect(list.out).not.toContain(one.token);
    expect(list.out).not.toContain(two.token);
    expect(expectOk(await w.as(BOB, ['token', 'list'])).out).toContain('one');

    expectOk(await w.as(BOB, ['token', 'revoke', 'one']));
    expectError(await w.run(['whoami'], { actor: 'ci', token: one.token }), 4);
    expectOk(await w.run(['whoami'], { actor: 'ci', token: two.token }));
    expectOk(await w.as(BOB, ['token', 'revoke', two.id]));
    expectError(await w.run(['whoami'], { actor: 'ci', token: two.token }), 4);
    expectError(await w.as(BOB, ['token', 'revoke', 'no-such-token']), 3, 'NOT_FOUND');
  });

  it('refuses an unknown token (exit 4)', async () => {
    const w = await World.ready();
    expectError(await w.run(['whoami'], { token: 'rc_not-a-real-token' }), 4);
  });

  it('refuses an expired token (TOKEN_EXPIRED, exit 4)', async () => {
    const w = await World.ready();
    const t = expectOk(await w.run(['token', 'create', '--name', 'short', '--expires-in', '1d', '--json'])).json();
    expectOk(await w.run(['whoami'], { token: t.token, now: at('+23h') }));
    expectError(await w.run(['whoami'], { token: t.token, now: at('+25h') }), 4, 'TOKEN_EXPIRED');
  });

  it('a token stops working while its member is suspended, and works again once unsuspended', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    await w.loginAs(BOB, pw);
    const t = expectOk(await w.as(BOB, ['token', 'create', '--name', 'ci', '--json'])).json();
    expectOk(await w.run(['member', 'suspend', BOB]));
    expectError(await w.run(['whoami'], { actor: 'ci', token: t.token }), 4);
    expectError(await w.run(['member', 'list'], { actor: 'ci', token: t.token }), 4);
    expectOk(await w.run(['member', 'unsuspend', BOB]));
    expect(expectOk(await w.run(['whoami', '--json'], { actor: 'ci', token: t.token })).json().email).toBe(BOB);
  });

  it('a token stops working when its member is removed', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    await w.loginAs(BOB, pw);
    const t = expectOk(await w.as(BOB, ['token', 'create', '--name', 'ci', '--json'])).json();
    expectOk(await w.run(['member', 'remove', BOB]));
    expectError(await w.run(['whoami'], { actor: 'ci', token: t.token }), 4);
    expectError(await w.run(['member', 'list'], { actor: 'ci', token: t.token }), 4);
  });
});

describe('logging in', () => {
  it('answers an unknown email and a wrong password with the same INVALID_CREDENTIALS (exit 4)', async () => {
    const w = await World.ready();
    await w.activeMember(BOB, 'Bob');
    const unknown = expectError(await w.run(['login', 'ghost@acme.example', '--password-stdin'], { input: 'Wr0ngPassword!\n', actor: 'x', token: null }), 4, 'INVALID_CREDENTIALS');
    const wrong = expectError(await w.run(['login', BOB, '--password-stdin'], { input: 'Wr0ngPassword!\n', actor: 'x', token: null }), 4, 'INVALID_CREDENTIALS');
    expect(wrong.err).toBe(unknown.err);
    const unknownJ = await w.run(['login', 'ghost@acme.example', '--password-stdin', '--json'], { input: 'Wr0ngPassword!\n', actor: 'x', token: null });
    const wrongJ = await w.run(['login', BOB, '--password-stdin', '--json'], { input: 'Wr0ngPassword!\n', actor: 'x', token: null });
    expect(unknownJ.error()).toEqual(wrongJ.error());
    expect(unknownJ.err).not.toContain('ghost');
  });

  it('accepts the login email in any case and full-width form', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectOk(await w.run(['login', ' ＢＯＢ＠ACME.EXAMPLE ', '--password-stdin'], { input: pw + '\n', actor: BOB, token: null }));
    expect(expectOk(await w.as(BOB, ['whoami', '--json'])).json().email).toBe(BOB);
  });

  it('refuses a suspended member (ACCOUNT_SUSPENDED, exit 4)', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'suspend', BOB]));
    const r = await w.run(['login', BOB, '--password-stdin'], { input: pw + '\n', actor: BOB, token: null });
    expectError(r, 4, 'ACCOUNT_SUSPENDED');
    expect(r.err).toMatch(/not enabled/);
  });

  it('refuses a removed member (exit 4)', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'remove', BOB]));
    expectError(await w.run(['login', BOB, '--password-stdin'], { input: pw + '\n', actor: BOB, token: null }), 4);
  });

  it('needs --password-stdin or a terminal: a missing password is USAGE (exit 2), not a hang', async () => {
    const w = await World.ready();
    expectError(await w.run(['login', ADMIN], { actor: 'x', token: null }), 2, 'USAGE');
  });
});

describe('temporary passwords', () => {
  it('a login with a temporary password must set a new password first (PASSWORD_CHANGE_REQUIRED, exit 4) and starts no session', async () => {
    const w = await World.ready();
    const tmp = await w.invitedMember(BOB, 'Bob');
    expect(tmp.length).toBeGreaterThanOrEqual(10);
    expectError(await w.run(['login', BOB, '--password-stdin'], { input: tmp + '\n', actor: BOB, token: null }), 4, 'PASSWORD_CHANGE_REQUIRED');
    expectError(await w.as(BOB, ['whoami']), 4, 'NOT_AUTHENTICATED');
    expect((await w.member(BOB)).status).toBe('invited');
  });

  it('passwd with the temporary password sets a password; login then works and the member is active', async () => {
    const w = await World.ready();
    const tmp = await w.invitedMember(BOB, 'Bob');
    const r = expectOk(await w.run(['passwd', BOB, '--password-stdin'], { input: `${tmp}\nB0bsOwnPassw0rd\n`, actor: BOB, token: null }));
    expect(r.out).not.toContain('B0bsOwnPassw0rd');
    expect((await w.member(BOB)).status).toBe('active');
    await w.loginAs(BOB, 'B0bsOwnPassw0rd');
    expect(expectOk(await w.as(BOB, ['whoami', '--json'])).json().email).toBe(BOB);
    // The temporary password is spent.
    expectError(await w.run(['login', BOB, '--password-stdin'], { input: tmp + '\n', actor: 'x', token: null }), 4, 'INVALID_CREDENTIALS');
  });

  it('a temporary password expires after 30 days (REGISTRATION_EXPIRED, exit 4)', async () => {
    const w = await World.ready();
    const tmp = await w.invitedMember(BOB, 'Bob');
    const late = at('+31d');
    expectError(await w.run(['login', BOB, '--password-stdin'], { input: tmp + '\n', actor: BOB, token: null, now: late }), 4, 'REGISTRATION_EXPIRED');
    expectError(await w.run(['passwd', BOB, '--password-stdin'], { input: `${tmp}\nB0bsOwnPassw0rd\n`, actor: BOB, token: null, now: late }), 4, 'REGISTRATION_EXPIRED');
    expect((await w.member(BOB)).status).toBe('invited');
  });

  it('a temporary password still works on day 29', async () => {
    const w = await World.ready();
    const tmp = await w.invitedMember(BOB, 'Bob');
    expectOk(await w.run(['passwd', BOB, '--password-stdin'], { input: `${tmp}\nB0bsOwnPassw0rd\n`, actor: BOB, token: null, now: at('+29d') }));
  });

  it('member reset-password issues a new temporary password (printed once) that must be changed at the next login', async () => {
    const w = await World.ready();
    await w.activeMember(BOB, 'Bob');
    const r = expectOk(await w.run(['member', 'reset-password', BOB, '--json']));
    const body = r.json();
    const first = Array.isArray(body) ? body[0] : body;
    expect(first.email).toBe(BOB);
    const tmp: string = first.temporaryPassword;
    expect(tmp).toMatch(/^\S{10,}$/);
    expectError(await w.run(['login', BOB, '--password-stdin'], { input: tmp + '\n', actor: BOB, token: null }), 4, 'PASSWORD_CHANGE_REQUIRED');
    expectOk(await w.run(['passwd', BOB, '--password-stdin'], { input: `${tmp}\nN3wPassword!!\n`, actor: BOB, token: null }));
    await w.loginAs(BOB, 'N3wPassword!!');
    const human = expectOk(await w.run(['member', 'reset-password', BOB]));
    expect(human.out).toMatch(new RegExp(`^${BOB}\\t\\S{10,}\\n$`)); // a row, email and password (issue 23.3)
    expect(human.err).toMatch(/shown once/);
  });
});

describe('password policy', () => {
  async function withTemp() {
    const w = await World.ready();
    const tmp = await w.invitedMember(BOB, 'Bob');
    const change = (next: string) => w.run(['passwd', BOB, '--password-stdin', '--json'], { input: `${tmp}\n${next}\n`, actor: BOB, token: null });
    return { w, change };
  }

  it('refuses passwords that break a rule (PASSWORD_POLICY, exit 1), saying which rule failed', async () => {
    const { w, change } = await withTemp();
    const short = expectError(await change('Ab1!abc'), 1, 'PASSWORD_POLICY').error()!;
    const charset = expectError(await change('Abcdefgh1 x'), 1, 'PASSWORD_POLICY').error()!;
    const nonAscii = expectError(await change('Abcdéfgh12'), 1, 'PASSWORD_POLICY').error()!;
    const classes = expectError(await change('abcdefghijkl'), 1, 'PASSWORD_POLICY').error()!;
    expect(short.message).toMatch(/short|10|length|characters long/i);
    expect(charset.message).toMatch(/character|allowed|ASCII/i);
    expect(charset.message).not.toBe(short.message);
    expect(nonAscii.message).toBe(charset.message);
    expect(classes.message).toMatch(/two|kind|class|mix/i);
    expect(new Set([short.message, charset.message, classes.message]).size).toBe(3);
    for (const e of [short, charset, classes]) expect(e.message).not.toContain('abcdefghijkl');
    expect((await w.member(BOB)).status).toBe('invited');
  });

  it('refuses other symbols than @$!%*#?& (PASSWORD_POLICY)', async () => {
    const { change } = await withTemp();
    expectError(await change('Abcdefgh1-'), 1, 'PASSWORD_POLICY');
    expectError(await change('Abcdefgh1_'), 1, 'PASSWORD_POLICY');
  });

  it('accepts 10 characters of two classes, e.g. lower case and digits', async () => {
    const { w, change } = await withTemp();
    expectOk(await change('abcdefgh12'));
    expect((await w.member(BOB)).status).toBe('active');
  });

  it('refuses one of the last 3 passwords, the current one included (PASSWORD_REUSED, exit 1)', async () => {
    const w = await World.ready();
    const tmp = await w.invitedMember(BOB, 'Bob');
    let minute = 0;
    // Each change a minute after the one before, as people do.
    const passwd = (cur: string, next: string) => w.run(['passwd', BOB, '--password-stdin'], { input: `${cur}\n${next}\n`, actor: BOB, token: null, now: at(`+${++minute}m`) });
    const [p1, p2, p3, p4] = ['Passw0rdOne!', 'Passw0rdTwo!', 'Passw0rdThree!', 'Passw0rdFour!'];
    // The temporary password an admin was given is the current one: it cannot be kept as the member's own.
    expect(expectError(await passwd(tmp, tmp), 1, 'PASSWORD_REUSED').err).toContain(`the new password is the current one of ${BOB}`);
    expect((await w.member(BOB)).status).toBe('invited');
    expectOk(await passwd(tmp, p1));
    expectError(await passwd(p1, p1), 1, 'PASSWORD_REUSED');
    expectOk(await passwd(p1, p2));
    expectOk(await passwd(p2, p3));
    expectError(await passwd(p3, p1), 1, 'PASSWORD_REUSED');
    expectError(await passwd(p3, p2), 1, 'PASSWORD_REUSED');
    expectOk(await passwd(p3, p4));
    // Now the last three are p4, p3, p2: p1 may come back.
    expectOk(await passwd(p4, p1));
    expectOk(await w.run(['login', BOB, '--password-stdin'], { input: p1 + '\n', actor: BOB, token: null, now: at('+1h') }));
  });

  it('counts the last 3 passwords in the order they were set, even when set within one instant', async () => {
    const w = await World.ready();
    const tmp = await w.invitedMember(BOB, 'Bob');
    // ROLLCALL_NOW fixed: every change has the same timestamp.
    const passwd = (cur: string, next: string) => w.run(['passwd', BOB, '--password-stdin'], { input: `${cur}\n${next}\n`, actor: BOB, token: null });
    const [p1, p2, p3, p4] = ['Passw0rdOne!', 'Passw0rdTwo!', 'Passw0rdThree!', 'Passw0rdFour!'];
    expectOk(await passwd(tmp, p1));
    expectOk(await passwd(p1, p2));
    expectOk(await passwd(p2, p3));
    expectOk(await passwd(p3, p4));
    expectError(await passwd(p4, p2), 1, 'PASSWORD_REUSED');
    expectOk(await passwd(p4, p1));
  });

  it('a password expires after 90 days (PASSWORD_EXPIRED, exit 4); passwd still changes it', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    const loginAt = (now: string, password: string) => w.run(['login', BOB, '--password-stdin'], { input: password + '\n', actor: BOB, token: null, now });
    expectOk(await loginAt(at('+89d'), pw));
    const r = expectError(await loginAt(at('+91d'), pw), 4, 'PASSWORD_EXPIRED');
    expect(r.err).toMatch(/passwd/);
    expectOk(await w.run(['passwd', BOB, '--password-stdin'], { input: `${pw}\nFreshPassw0rd!\n`, actor: BOB, token: null, now: at('+91d') }));
    expectOk(await loginAt(at('+91d'), 'FreshPassw0rd!'));
  });

  it('passwd refuses a wrong current password (INVALID_CREDENTIALS, exit 4) and changes nothing', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectError(await w.run(['passwd', BOB, '--password-stdin'], { input: `Wr0ngPassword!\nOtherPassw0rd!\n`, actor: BOB, token: null }), 4, 'INVALID_CREDENTIALS');
    await w.loginAs(BOB, pw);
  });
});

describe('lockout', () => {
  const fail = (w: World) => w.run(['login', BOB, '--password-stdin'], { input: 'Wr0ngPassword!\n', actor: BOB, token: null });

  it('suspends a member after 3 consecutive failed logins, with suspendedReason too-many-failed-logins', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectError(await fail(w), 4, 'INVALID_CREDENTIALS');
    expectError(await fail(w), 4, 'INVALID_CREDENTIALS');
    expect((await w.member(BOB)).status).toBe('active');
    expectError(await fail(w), 4, 'INVALID_CREDENTIALS');
    const bob = await w.member(BOB);
    expect(bob).toMatchObject({ status: 'suspended', suspendedReason: 'too-many-failed-logins' });
    // The right password no longer lets it in.
    expectError(await w.run(['login', BOB, '--password-stdin'], { input: pw + '\n', actor: BOB, token: null }), 4, 'ACCOUNT_SUSPENDED');
  });

  it('counts only consecutive failures: a successful login resets the count', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectError(await fail(w), 4, 'INVALID_CREDENTIALS');
    expectError(await fail(w), 4, 'INVALID_CREDENTIALS');
    await w.loginAs(BOB, pw);
    expectError(await fail(w), 4, 'INVALID_CREDENTIALS');
    expectError(await fail(w), 4, 'INVALID_CREDENTIALS');
    expect((await w.member(BOB)).status).toBe('active');
  });

  it('unsuspend of a locked-out member issues a temporary password, which works like any other', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    for (let i = 0; i < 3; i++) await fail(w);
    expect((await w.member(BOB)).suspendedReason).toBe('too-many-failed-logins');
    const r = expectOk(await w.run(['member', 'unsuspend', BOB, '--json']));
    const body = r.json();
    const bob = Array.isArray(body) ? body[0] : body;
    expect(bob.email).toBe(BOB);
    expect(bob.status).not.toBe('suspended');
    expect(bob.suspendedReason).toBeNull();
    expect(typeof bob.temporaryPassword, describeRun(r)).toBe('string');
    expectError(await w.run(['login', BOB, '--password-stdin'], { input: bob.temporaryPassword + '\n', actor: BOB, token: null }), 4, 'PASSWORD_CHANGE_REQUIRED');
    expectOk(await w.run(['passwd', BOB, '--password-stdin'], { input: `${bob.temporaryPassword}\nAfterL0ckout!\n`, actor: BOB, token: null }));
    await w.loginAs(BOB, 'AfterL0ckout!');
    expect(pw).not.toBe('AfterL0ckout!');
  });

  it('unsuspend of a member an admin suspended issues no temporary password', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'suspend', BOB]));
    const body = expectOk(await w.run(['member', 'unsuspend', BOB, '--json'])).json();
    const bob = Array.isArray(body) ? body[0] : body;
    expect(bob.status).toBe('active');
    expect(bob.temporaryPassword ?? null).toBeNull();
    await w.loginAs(BOB, pw);
  });
});

describe('time', () => {
  it('ROLLCALL_NOW sets the clock: timestamps are the given instant, in UTC ISO-8601', async () => {
    const w = await World.ready();
    const bob = expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--json'], { now: '2030-03-01T12:34:56.000Z' })).json();
    expect(bob.createdAt).toBe('2030-03-01T12:34:56.000Z');
    expect(T0).toBe('2030-01-07T09:00:00.000Z');
  });

  it('refuses a ROLLCALL_NOW that is not an instant (INVALID_INPUT, exit 2)', async () => {
    const w = await World.ready();
    expectError(await w.run(['member', 'list'], { now: 'yesterday' }), 2, 'INVALID_INPUT');
  });
});
