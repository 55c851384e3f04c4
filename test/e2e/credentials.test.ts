// SPEC §2 and §5 (issue 3): credential policy end to end, with ROLLCALL_NOW for the clocks:
// temporary passwords (30 days, re-issued at will), password policy and history, expiry after
// 90 days, the lockout after 3 consecutive failures, 2FA, and secrets shown only once.
import { describe, expect, it } from 'vitest';
import { PW, World, at, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';
const WRONG = 'Wr0ngPassword!';

function login(w: World, email: string, password: string, now?: string): Promise<Result> {
  return w.run(['login', email, '--password-stdin'], { input: password + '\n', actor: email, token: null, now });
}

function passwd(w: World, email: string, current: string, next: string, now?: string): Promise<Result> {
  return w.run(['passwd', email, '--password-stdin'], { input: `${current}\n${next}\n`, actor: email, token: null, now });
}

/** The first member of a bulk command's JSON (an array), or the object itself. */
function first(body: any): any {
  return Array.isArray(body) ? body[0] : body;
}

/** `member reset-password TARGET --json` as the admin: the new temporary password. */
async function resetPassword(w: World, email: string, now?: string): Promise<string> {
  const r = expectOk(await w.run(['member', 'reset-password', email, '--json'], { now }));
  const tmp = first(r.json()).temporaryPassword;
  expect(typeof tmp === 'string' && tmp.length >= 10, describeRun(r)).toBe(true);
  return tmp;
}

describe.concurrent('temporary passwords', () => {
  it('are valid 30 days: on day 29 login asks for a change (PASSWORD_CHANGE_REQUIRED); on day 31 login and passwd are REGISTRATION_EXPIRED (exit 4)', async () => {
    const w = await World.ready();
    const tmp = await w.invitedMember(BOB, 'Bob');
    expectError(await login(w, BOB, tmp, at('+29d')), 4, 'PASSWORD_CHANGE_REQUIRED');
    expectError(await login(w, BOB, tmp, at('+31d')), 4, 'REGISTRATION_EXPIRED');
    expectError(await passwd(w, BOB, tmp, 'B0bsOwnPassw0rd', at('+31d')), 4, 'REGISTRATION_EXPIRED');
    expect((await w.member(BOB)).status).toBe('invited');
    expectError(await login(w, BOB, 'B0bsOwnPassw0rd', at('+31d')), 4, 'INVALID_CREDENTIALS');
  });

  it('an expired temporary password is replaced by reset-password, whose 30 days count from the reset', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    const tmp = await resetPassword(w, BOB, at('+31d'));
    // 29 days after the reset (60 days after the member was added): still valid.
    expectError(await login(w, BOB, tmp, at('+60d')), 4, 'PASSWORD_CHANGE_REQUIRED');
    expectError(await login(w, BOB, tmp, at('+62d')), 4, 'REGISTRATION_EXPIRED');
    const tmp2 = await resetPassword(w, BOB, at('+62d'));
    expectOk(await passwd(w, BOB, tmp2, 'B0bsOwnPassw0rd', at('+62d')));
    expectOk(await login(w, BOB, 'B0bsOwnPassw0rd', at('+62d')));
    expect((await w.member(BOB)).status).toBe('active');
  });

  it('reset-password can be re-issued as often as needed: each new one works, the previous one no longer does', async () => {
    const w = await World.ready();
    const original = await w.invitedMember(BOB, 'Bob');
    let previous = original;
    for (let i = 1; i <= 3; i++) {
      const now = at(`+${i}h`);
      const tmp = await resetPassword(w, BOB, now);
      expect(tmp).not.toBe(previous);
      expectError(await login(w, BOB, previous, now), 4, 'INVALID_CREDENTIALS');
      expectError(await login(w, BOB, tmp, now), 4, 'PASSWORD_CHANGE_REQUIRED');
      // Use the new one, so that the failed attempt above never adds up to a lockout.
      expectOk(await passwd(w, BOB, tmp, `B0bChosen${i}Pass!`, now));
      previous = `B0bChosen${i}Pass!`;
    }
    expect((await w.member(BOB)).status).toBe('active');
    expectOk(await login(w, BOB, previous, at('+4h')));
  });

  it('two resets in a row: only the newer temporary password works', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    const older = await resetPassword(w, BOB);
    const newer = await resetPassword(w, BOB);
    expect(newer).not.toBe(older);
    expectError(await passwd(w, BOB, older, 'B0bsOwnPassw0rd'), 4, 'INVALID_CREDENTIALS');
    expectOk(await passwd(w, BOB, newer, 'B0bsOwnPassw0rd'));
    expectOk(await login(w, BOB, 'B0bsOwnPassw0rd'));
  });

  it('a reset invalidates the chosen password: it no longer logs in, the temporary one must be changed first', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    await w.loginAs(BOB, pw);
    const tmp = await resetPassword(w, BOB);
    expectError(await login(w, BOB, pw), 4, 'INVALID_CREDENTIALS');
    expectError(await passwd(w, BOB, pw, 'An0therPassw0rd'), 4, 'INVALID_CREDENTIALS');
    expectError(await login(w, BOB, tmp), 4, 'PASSWORD_CHANGE_REQUIRED');
    expectOk(await passwd(w, BOB, tmp, 'An0therPassw0rd'));
    expectOk(await login(w, BOB, 'An0therPassw0rd'));
  });
});

describe.concurrent('password history', () => {
  it('refuses any of the last 3 passwords, the current one included (PASSWORD_REUSED, exit 1); the 4th-oldest is accepted again', async () => {
    const w = await World.ready();
    const p0 = await w.activeMember(BOB, 'Bob'); // the first chosen password
    const [p1, p2, p3] = ['Passw0rdOne!', 'Passw0rdTwo!', 'Passw0rdThree!'];
    let minute = 0;
    const change = (cur: string, next: string) => passwd(w, BOB, cur, next, at(`+${++minute}m`));
    expectOk(await change(p0, p1));
    expectOk(await change(p1, p2));
    // The last three: p2 (current), p1, p0.
    for (const old of [p2, p1, p0]) expectError(await change(p2, old), 1, 'PASSWORD_REUSED');
    expectOk(await change(p2, p3));
    // Now p3, p2, p1: p0 is the 4th-oldest and may come back; p1 may not.
    expectError(await change(p3, p1), 1, 'PASSWORD_REUSED');
    expectOk(await change(p3, p0));
    expectOk(await login(w, BOB, p0, at('+1h')));
    // A refusal never counted as a failed attempt: the current password was right every time.
    expect((await w.member(BOB)).status).toBe('active');
  });

  it('a refused reuse changes nothing: the current password still works', async () => {
    const w = await World.ready();
    const p0 = await w.activeMember(BOB, 'Bob');
    expectOk(await passwd(w, BOB, p0, 'Passw0rdOne!'));
    expectError(await passwd(w, BOB, 'Passw0rdOne!', p0), 1, 'PASSWORD_REUSED');
    expectOk(await login(w, BOB, 'Passw0rdOne!'));
    expectError(await login(w, BOB, p0), 4, 'INVALID_CREDENTIALS');
  });

  it('the history survives a reset: the password the reset invalidated cannot be chosen again (PASSWORD_REUSED)', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    const tmp = await resetPassword(w, BOB);
    expectError(await passwd(w, BOB, tmp, pw), 1, 'PASSWORD_REUSED');
    expectOk(await passwd(w, BOB, tmp, 'Br4ndNewPass!'));
  });
});

describe.concurrent('password expiry', () => {
  it('a password expires after 90 days (PASSWORD_EXPIRED, exit 4 at login); passwd still works, and then login works', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectOk(await login(w, BOB, pw, at('+89d')));
    const r = expectError(await login(w, BOB, pw, at('+91d')), 4, 'PASSWORD_EXPIRED');
    expect(r.err).toMatch(/passwd/);
    expectError(await w.as(BOB, ['whoami'], { now: at('+91d') }), 4, 'NOT_AUTHENTICATED'); // the day-89 session has ended too
    expectOk(await passwd(w, BOB, pw, 'FreshPassw0rd!', at('+91d')));
    expectOk(await login(w, BOB, 'FreshPassw0rd!', at('+91d')));
    expect(expectOk(await w.as(BOB, ['whoami', '--json'], { now: at('+91d') })).json().email).toBe(BOB);
  });

  it('the 90 days count from the last change', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectOk(await passwd(w, BOB, pw, 'FreshPassw0rd!', at('+60d')));
    expectOk(await login(w, BOB, 'FreshPassw0rd!', at('+149d')));
    expectError(await login(w, BOB, 'FreshPassw0rd!', at('+151d')), 4, 'PASSWORD_EXPIRED');
  });

  it('an expired password does not count as a failed attempt: three logins with it lock nobody out', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    for (let i = 0; i < 3; i++) expectError(await login(w, BOB, pw, at('+91d')), 4, 'PASSWORD_EXPIRED');
    expect((await w.member(BOB)).status).toBe('active');
    expectOk(await passwd(w, BOB, pw, 'FreshPassw0rd!', at('+91d')));
  });
});

describe.concurrent('password policy', () => {
  async function withTemp() {
    const w = await World.ready();
    const tmp = await w.invitedMember(BOB, 'Bob');
    const change = (next: string) => w.run(['passwd', BOB, '--password-stdin', '--json'], { input: `${tmp}\n${next}\n`, actor: BOB, token: null });
    return { w, tmp, change };
  }

  it('PASSWORD_POLICY (exit 1) says the password is too short', async () => {
    const { change } = await withTemp();
    const e = expectError(await change('Ab1!xyz'), 1, 'PASSWORD_POLICY').error()!;
    expect(e.message).toMatch(/too short/i);
  });

  it('PASSWORD_POLICY (exit 1) says a character is not allowed (space, other symbols, non-ASCII)', async () => {
    const { change } = await withTemp();
    for (const bad of ['Abcdefgh1 x', 'Abcdefgh1-', 'Abcdéfgh12', 'Abcdefgh1_']) {
      const e = expectError(await change(bad), 1, 'PASSWORD_POLICY').error()!;
      expect(e.message, bad).toMatch(/not allowed/i);
      expect(e.message).not.toContain(bad);
    }
  });

  it('PASSWORD_POLICY (exit 1) says only one kind of character is used', async () => {
    const { change } = await withTemp();
    for (const bad of ['abcdefghijkl', 'ABCDEFGHIJKL', '123456789012', '@$!%*#?&@$!%']) {
      const e = expectError(await change(bad), 1, 'PASSWORD_POLICY').error()!;
      expect(e.message, bad).toMatch(/one kind/i);
    }
  });

  it('the three rules give three different messages, and a refused password changes nothing', async () => {
    const { w, tmp, change } = await withTemp();
    const messages = new Set<string>();
    for (const bad of ['Ab1!xyz', 'Abcdefgh1 x', 'abcdefghijkl']) messages.add(expectError(await change(bad), 1, 'PASSWORD_POLICY').error()!.message);
    expect(messages.size).toBe(3);
    expect((await w.member(BOB)).status).toBe('invited');
    // The temporary password still works, and no refusal counted towards a lockout.
    expectOk(await change('abcdefgh12'));
    expect((await w.member(BOB)).status).toBe('active');
    expect(tmp).not.toBe('abcdefgh12');
  });

  it('accepts exactly 10 characters of two kinds, and every allowed symbol', async () => {
    const { w, change } = await withTemp();
    expectOk(await change('@$!%*#?&a1'));
    expect((await w.member(BOB)).status).toBe('active');
  });
});

describe.concurrent('lockout', () => {
  it('3 consecutive failed logins suspend the member with suspendedReason too-many-failed-logins; the right password then gets ACCOUNT_SUSPENDED', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    for (let i = 1; i <= 2; i++) expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expect((await w.member(BOB)).status).toBe('active');
    expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expect(await w.member(BOB)).toMatchObject({ status: 'suspended', suspendedReason: 'too-many-failed-logins' });
    expectError(await login(w, BOB, pw), 4, 'ACCOUNT_SUSPENDED');
  });

  it('3 consecutive failed passwd attempts (wrong current password) lock the member out too', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    for (let i = 1; i <= 3; i++) expectError(await passwd(w, BOB, WRONG, 'An0therPassw0rd'), 4, 'INVALID_CREDENTIALS');
    expect(await w.member(BOB)).toMatchObject({ status: 'suspended', suspendedReason: 'too-many-failed-logins' });
    expectError(await passwd(w, BOB, pw, 'An0therPassw0rd'), 4, 'ACCOUNT_SUSPENDED');
    expectError(await login(w, BOB, pw), 4, 'ACCOUNT_SUSPENDED');
  });

  it('failed logins and failed passwd attempts add up: 2 + 1 consecutive failures lock the member out', async () => {
    const w = await World.ready();
    await w.activeMember(BOB, 'Bob');
    expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expectError(await passwd(w, BOB, WRONG, 'An0therPassw0rd'), 4, 'INVALID_CREDENTIALS');
    expect(await w.member(BOB)).toMatchObject({ status: 'suspended', suspendedReason: 'too-many-failed-logins' });
  });

  it('an invited member with a temporary password is locked out after 3 failures too', async () => {
    const w = await World.ready();
    const tmp = await w.invitedMember(BOB, 'Bob');
    for (let i = 1; i <= 3; i++) expectError(await passwd(w, BOB, WRONG, 'An0therPassw0rd'), 4, 'INVALID_CREDENTIALS');
    expect(await w.member(BOB)).toMatchObject({ status: 'suspended', suspendedReason: 'too-many-failed-logins' });
    expectError(await passwd(w, BOB, tmp, 'An0therPassw0rd'), 4, 'ACCOUNT_SUSPENDED');
  });

  it('a successful login in between resets the count', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expectOk(await login(w, BOB, pw));
    expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expect((await w.member(BOB)).status).toBe('active');
    // The third in a row since the success locks.
    expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expect((await w.member(BOB)).suspendedReason).toBe('too-many-failed-logins');
  });

  it('a successful passwd in between resets the count', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectError(await passwd(w, BOB, WRONG, 'An0therPassw0rd'), 4, 'INVALID_CREDENTIALS');
    expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expectOk(await passwd(w, BOB, pw, 'An0therPassw0rd'));
    expectError(await passwd(w, BOB, WRONG, 'Y3tAnotherPass'), 4, 'INVALID_CREDENTIALS');
    expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expect((await w.member(BOB)).status).toBe('active');
    expectOk(await login(w, BOB, 'An0therPassw0rd'));
  });

  it('locks out a group owner too (it stays the owner), although an admin may not suspend an owner', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob', 'operator');
    await w.loginAs(BOB, pw);
    expectOk(await w.as(BOB, ['group', 'create', 'G']));
    expect(expectOk(await w.run(['group', 'show', 'G', '--json'])).json().owner).toBe(BOB);
    // An admin's suspension is refused for an owner…
    expectError(await w.run(['member', 'suspend', BOB]), 1, 'OWNER_PROTECTED');
    expect((await w.member(BOB)).status).toBe('active');
    // …but the lockout happens all the same: security comes first.
    for (let i = 1; i <= 3; i++) expectError(await login(w, BOB, WRONG), 4, 'INVALID_CREDENTIALS');
    expect(await w.member(BOB)).toMatchObject({ status: 'suspended', suspendedReason: 'too-many-failed-logins' });
    expectError(await login(w, BOB, pw), 4, 'ACCOUNT_SUSPENDED');
    expectError(await w.as(BOB, ['whoami']), 4, 'ACCOUNT_SUSPENDED');
    expect(expectOk(await w.run(['group', 'show', 'G', '--json'])).json().owner).toBe(BOB);
  });

  it('member unsuspend of a locked-out member returns a temporaryPassword in JSON, which works for passwd and then login', async () => {
    const w = await World.ready();
    await w.activeMember(BOB, 'Bob');
    for (let i = 1; i <= 3; i++) await login(w, BOB, WRONG);
    expect((await w.member(BOB)).suspendedReason).toBe('too-many-failed-logins');
    const r = expectOk(await w.run(['member', 'unsuspend', BOB, '--json'], { now: at('+1h') }));
    const bob = first(r.json());
    expect(bob).toMatchObject({ email: BOB, status: 'active', suspendedReason: null });
    expect(typeof bob.temporaryPassword === 'string' && bob.temporaryPassword.length >= 10, describeRun(r)).toBe(true);
    expectError(await login(w, BOB, bob.temporaryPassword, at('+1h')), 4, 'PASSWORD_CHANGE_REQUIRED');
    expectOk(await passwd(w, BOB, bob.temporaryPassword, 'AfterL0ckout!', at('+1h')));
    expectOk(await login(w, BOB, 'AfterL0ckout!', at('+1h')));
    // The failure count started again from zero.
    expectError(await login(w, BOB, WRONG, at('+2h')), 4, 'INVALID_CREDENTIALS');
    expect((await w.member(BOB)).status).toBe('active');
    // The temporary password is not shown again.
    expect(JSON.stringify(await w.member(BOB))).not.toContain(bob.temporaryPassword);
  });

  it('unsuspend of a member an admin suspended gives no temporary password and keeps the old one working', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'suspend', BOB, '--reason', 'holiday']));
    const bob = first(expectOk(await w.run(['member', 'unsuspend', BOB, '--json'])).json());
    expect(bob.temporaryPassword ?? null).toBeNull();
    expectOk(await login(w, BOB, pw));
  });
});

describe.concurrent('two-factor sign-in', () => {
  it('member update --2fa on shows twoFactor true in member show --json; off turns it back (signing in with it: two-step.test.ts)', async () => {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    expect((await w.member(BOB)).twoFactor).toBe(false);
    expectOk(await w.run(['member', 'update', BOB, '--2fa', 'on'], { env: { ROLLCALL_SMTP_URL: 'smtp://mail.acme.example' } }));
    expect((await w.member(BOB)).twoFactor).toBe(true);
    expectOk(await w.run(['member', 'update', BOB, '--2fa', 'off']));
    expect((await w.member(BOB)).twoFactor).toBe(false);
    expectError(await w.run(['member', 'update', BOB, '--2fa', 'maybe']), 2, 'INVALID_INPUT');
  });
});
