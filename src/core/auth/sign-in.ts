// Signing in (SPEC §2, §5, §14): login and its sessions, password changes, and the lockout after
// failed attempts. Who is acting once signed in is actor.ts; the second step of two-step sign-in,
// two-step.ts.
import { DAY } from '../clock.js';
import { PASSWORD_HISTORY, PASSWORD_MAX_AGE_DAYS, TEMP_PASSWORD_DAYS, checkPasswordPolicy, hashPassword, sameHash, sha256, verifyPassword } from '../credentials.js';
import { normalizeEmail } from '../email.js';
import { RollcallError } from '../errors.js';
import type { Credentials, Member } from '../model.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { Workspace } from '../workspace.js';
import { statusRefusal } from './actor.js';
import { countFailure, newSession, type Outcome, type SignedIn } from './attempts.js';
import { chosenPassword } from '../members/records.js';
import { shellQuote } from '../shell.js';
import { recordUnsent, secondStepRequired, sendCode } from './two-step.js';

export { newSession, type SignedIn } from './attempts.js';

// ---------------------------------------------------------------- login and lockout

const invalidCredentials = () => new RollcallError('INVALID_CREDENTIALS', 'the email or password is wrong');

/**
 * Checks a password against the member's chosen or temporary password, counting failures: the third
 * in a row suspends the member (attempts.ts). A suspended member is refused whatever the password
 * (SPEC §14). Returns which password matched; the failure count is saved even though the caller then fails.
 */
async function checkSecret(s: UnitOfWork, m: Member | null, password: string): Promise<Outcome<Checked>> {
  const creds = m ? await s.tx.getCredentials(m.id) : null;
  const usable = !!m && !m.deletedAt && !!creds;
  const chosen = await verifyPassword(password, usable ? creds!.passwordHash : null);
  const temporary = !chosen && usable && sameHash(sha256(password), creds!.tempHash);
  if (!usable) return { error: invalidCredentials() };
  if (m!.suspendedAt) {
    // One answer whether or not the password is right, after the same work, and the attempt counts:
    // otherwise a suspended or locked-out account is an oracle for unlimited guessing.
    await countFailure(s, m!, creds!);
    return { error: (await statusRefusal(s.tx, m!, s.now))! };
  }
  if (!chosen && !temporary) {
    await countFailure(s, m!, creds!);
    return { error: invalidCredentials() };
  }
  return { ok: { member: m!, creds: creds!, temporary } };
}

type Checked = { member: Member; creds: Credentials; temporary: boolean };

/**
 * What login and passwd share: the secret (counting failures), the member's status, and a temporary
 * password's 30 days. Errors are returned, not thrown, so the failure count is still committed.
 */
async function signInCheck(s: UnitOfWork, email: string, secret: string): Promise<Outcome<Checked>> {
  const checked = await checkSecret(s, await s.tx.getMemberByEmail(normalizeEmail(email)), secret);
  if ('error' in checked) return checked;
  const { member, creds, temporary } = checked.ok;
  const refusal = await statusRefusal(s.tx, member, s.now);
  if (refusal) return { error: refusal };
  if (temporary && Date.parse(creds.tempIssuedAt!) + TEMP_PASSWORD_DAYS * DAY < s.now.getTime()) {
    return { error: new RollcallError('REGISTRATION_EXPIRED', `the temporary password of ${member.email} expired after ${TEMP_PASSWORD_DAYS} days`, 'ask an admin for a new one: rollcall member reset-password ' + shellQuote(member.email)) };
  }
  return checked;
}

export interface LoginOptions {
  /** ROLLCALL_LOGIN_BASE_URL: the mailed code comes with a link to this page, carrying it. */
  loginBaseUrl?: string;
}

/**
 * The password; for a member with two-step sign-in, then a code by mail and SECOND_FACTOR_REQUIRED
 * (the code is entered with completeTwoStep). The code is mailed inside the transaction: mail that
 * cannot leave (MAIL_UNAVAILABLE) rolls it back, so the code before stays, and nothing counts.
 */
export async function login(ws: Workspace, email: string, password: string, opts: LoginOptions = {}): Promise<SignedIn> {
  let mailing: Member | null = null;
  const outcome = await ws.write(null, async (s): Promise<Outcome<SignedIn>> => {
    const checked = await signInCheck(s, email, password);
    if ('error' in checked) return checked;
    const { member, creds, temporary } = checked.ok;
    if (temporary) {
      return { error: new RollcallError('PASSWORD_CHANGE_REQUIRED', `${member.email} signed in with a temporary password and must choose its own first`, `rollcall passwd ${shellQuote(member.email)}`) };
    }
    if (creds.passwordSetAt && Date.parse(creds.passwordSetAt) + PASSWORD_MAX_AGE_DAYS * DAY < s.now.getTime()) {
      return { error: new RollcallError('PASSWORD_EXPIRED', `the password of ${member.email} is older than ${PASSWORD_MAX_AGE_DAYS} days`, `change it: rollcall passwd ${shellQuote(member.email)}`) };
    }
    if (member.twoFactor) {
      mailing = member;
      // The failure count stands until the code comes back: a wrong code counts like a wrong password.
      return { error: secondStepRequired(await sendCode(s, member, opts.loginBaseUrl)) };
    }
    if (creds.failedLogins) await s.tx.saveCredentials([{ ...creds, failedLogins: 0 }]);
    return { ok: await newSession(s, member) };
  }).catch(async (e: unknown) => {
    if (mailing && e instanceof RollcallError && e.code === 'MAIL_UNAVAILABLE') await recordUnsent(ws, mailing, e);
    throw e;
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.ok;
}

export async function logout(ws: Workspace, sessionToken: string): Promise<void> {
  await ws.write(null, (s) => s.tx.deleteSession(sha256(sessionToken)));
}

// ---------------------------------------------------------------- passwd

/** Changes a password by the current one (chosen or temporary); works without a session. */
export async function changePassword(ws: Workspace, email: string, current: string, next: string): Promise<Member> {
  const outcome = await ws.write(null, async (s): Promise<Outcome<Member>> => {
    const checked = await signInCheck(s, email, current);
    if ('error' in checked) return checked;
    const { member } = checked.ok;
    try {
      checkPasswordPolicy(next);
    } catch (e) {
      return { error: e as RollcallError };
    }
    // The current password counts as used (§5), a temporary one too: it is not in the history.
    if (next === current) return { error: new RollcallError('PASSWORD_REUSED', `the new password is the current one of ${member.email}`, 'choose a password not used before') };
    const recent = await s.tx.passwordHistory(member.id, PASSWORD_HISTORY);
    for (const old of recent) {
      if (await verifyPassword(next, old)) {
        return { error: new RollcallError('PASSWORD_REUSED', `the new password is one of the last ${PASSWORD_HISTORY} used by ${member.email}`, 'choose a password not used before') };
      }
    }
    const hash = await hashPassword(next);
    await s.tx.saveCredentials([chosenPassword(member.id, hash, s.nowIso)]);
    await s.tx.addPasswordHistory(member.id, hash, s.nowIso);
    const after = member.registered ? member : { ...member, registered: true, updatedAt: s.nowIso };
    if (after !== member) await s.tx.updateMembers([after]);
    s.record({ action: 'member.passwd', target: member.email, targetId: member.id, actor: member.email });
    return { ok: after };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.ok;
}
