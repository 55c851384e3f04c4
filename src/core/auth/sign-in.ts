// Who is acting (SPEC §2) and how credentials are kept (SPEC §5): workspace creation, login,
// sessions, API tokens, password changes and the lockout after failed attempts.
import { addMs, DAY, HOUR } from '../clock.js';
import { LOCKOUT_AFTER, PASSWORD_HISTORY, PASSWORD_MAX_AGE_DAYS, SESSION_HOURS, TEMP_PASSWORD_DAYS, checkPasswordPolicy, hashPassword, newSecret, sameHash, sha256, verifyPassword, } from '../credentials.js';
import { normalizeEmail } from '../email.js';
import { RollcallError, fail } from '../errors.js';
import { LOCKOUT_REASON } from '../members/suspend.js';
import type { Credentials, Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { Workspace } from '../workspace.js';
import { auditSnapshot, statusOf } from '../members/views.js';
import { chosenPassword } from '../members/records.js';
import { shellQuote } from '../shell.js';

export interface SignedIn {
  member: Member;
  sessionToken: string;
  expiresAt: string;
}

export async function newSession(s: UnitOfWork, member: Member): Promise<SignedIn> {
  const sessionToken = newSecret('rs_', 24);
  const expiresAt = addMs(s.nowIso, SESSION_HOURS * HOUR);
  await s.tx.insertSession({ hash: sha256(sessionToken), memberId: member.id, createdAt: s.nowIso, expiresAt });
  return { member, sessionToken, expiresAt };
}

// ---------------------------------------------------------------- login and lockout

type Outcome<T> = { ok: T } | { error: RollcallError };

/** A member may start a session (or change a password) only in these states. */
function refuseByStatus(m: Member, now: Date): RollcallError | null {
  const status = statusOf(m, now);
  if (status === 'suspended') return new RollcallError('ACCOUNT_SUSPENDED', `account is not enabled: ${m.email} is suspended`, 'ask an admin to run: rollcall member unsuspend ' + shellQuote(m.email));
  if (status === 'pending') return new RollcallError('ACCOUNT_PENDING', `${m.email} starts on ${m.startDate} and cannot sign in before then`);
  return null;
}

const invalidCredentials = () => new RollcallError('INVALID_CREDENTIALS', 'the email or password is wrong');

/**
 * Checks a password against the member's chosen or temporary password, counting failures: the third
 * in a row suspends the member (even a group owner, even the last admin: security comes first).
 * Returns which password matched; the failure count is saved even though the caller then fails.
 */
async function checkSecret(s: UnitOfWork, m: Member | null, password: string): Promise<Outcome<Checked>> {
  const creds = m ? await s.tx.getCredentials(m.id) : null;
  const usable = !!m && !m.deletedAt && !!creds;
  const chosen = await verifyPassword(password, usable ? creds!.passwordHash : null);
  const temporary = !chosen && usable && sameHash(sha256(password), creds!.tempHash);
  if (!usable) return { error: invalidCredentials() };
  if (!chosen && !temporary) {
    const failed = creds!.failedLogins + 1;
    await s.tx.saveCredentials([{ ...creds!, failedLogins: failed }]);
    if (failed >= LOCKOUT_AFTER && !m!.suspendedAt) {
      const locked = { ...m!, suspendedAt: s.nowIso, suspendedReason: LOCKOUT_REASON, updatedAt: s.nowIso };
      await s.tx.updateMembers([locked]);
      const tree = new OrgTree(await s.orgs());
      s.record({ action: 'member.lockout', target: m!.email, targetId: m!.id, before: auditSnapshot(m!, tree), after: auditSnapshot(locked, tree), reason: LOCKOUT_REASON, actor: null });
    }
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
  const refusal = refuseByStatus(member, s.now);
  if (refusal) return { error: refusal };
  if (temporary && Date.parse(creds.tempIssuedAt!) + TEMP_PASSWORD_DAYS * DAY < s.now.getTime()) {
    return { error: new RollcallError('REGISTRATION_EXPIRED', `the temporary password of ${member.email} expired after ${TEMP_PASSWORD_DAYS} days`, 'ask an admin for a new one: rollcall member reset-password ' + shellQuote(member.email)) };
  }
  return checked;
}

export async function login(ws: Workspace, email: string, password: string): Promise<SignedIn> {
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
    if (creds.failedLogins) await s.tx.saveCredentials([{ ...creds, failedLogins: 0 }]);
    return { ok: await newSession(s, member) };
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

// ---------------------------------------------------------------- who is acting

/** The acting member behind an API token (ROLLCALL_TOKEN) or a stored session. */
export async function authenticate(ws: Workspace, creds: { token?: string | null; session?: string | null }): Promise<Member> {
  return ws.read(null, async (s) => {
    let member: Member | null = null;
    if (creds.token) {
      const t = await s.tx.getTokenByHash(sha256(creds.token.trim()));
      if (!t || t.revokedAt) fail('NOT_AUTHENTICATED', 'the API token in ROLLCALL_TOKEN is not valid: unknown or revoked', 'create one with: rollcall token create --name NAME');
      if (t.expiresAt && Date.parse(t.expiresAt) <= s.now.getTime()) fail('TOKEN_EXPIRED', `the API token "${t.name}" expired at ${t.expiresAt}`, 'create a new one with: rollcall token create --name NAME');
      member = await s.tx.getMember(t.memberId);
    } else if (creds.session) {
      const session = await s.tx.getSession(sha256(creds.session));
      if (!session || Date.parse(session.expiresAt) <= s.now.getTime()) {
        fail('NOT_AUTHENTICATED', 'the session has ended', 'sign in again: rollcall login EMAIL');
      }
      member = await s.tx.getMember(session.memberId);
    } else {
      fail('NOT_AUTHENTICATED', 'not signed in to this workspace', 'rollcall login EMAIL, or set ROLLCALL_TOKEN to an API token');
    }
    if (!member || member.deletedAt) fail('NOT_AUTHENTICATED', 'the member behind these credentials has been removed', 'rollcall login EMAIL');
    const refusal = refuseByStatus(member, s.now);
    if (refusal) throw refusal;
    return member;
  });
}
