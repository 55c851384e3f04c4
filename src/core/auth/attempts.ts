// What every way of signing in shares (SPEC §2, §5, §14): the session a sign-in starts, and the
// count of failed attempts (a wrong password, a wrong sign-in code) whose third in a row locks the
// member out.
import { addMs, HOUR } from '../clock.js';
import { LOCKOUT_AFTER, SESSION_HOURS, newSecret, sha256 } from '../credentials.js';
import type { RollcallError } from '../errors.js';
import { LOCKOUT_REASON } from '../members/suspend.js';
import { auditSnapshot } from '../members/views.js';
import type { Credentials, Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';

export interface SignedIn {
  member: Member;
  sessionToken: string;
  expiresAt: string;
}

/** An attempt's result: errors are returned, not thrown, so that the failure count still commits. */
export type Outcome<T> = { ok: T } | { error: RollcallError };

export async function newSession(s: UnitOfWork, member: Member): Promise<SignedIn> {
  const sessionToken = newSecret('rs_', 24);
  const expiresAt = addMs(s.nowIso, SESSION_HOURS * HOUR);
  await s.tx.insertSession({ hash: sha256(sessionToken), memberId: member.id, createdAt: s.nowIso, expiresAt });
  return { member, sessionToken, expiresAt };
}

/**
 * One more failed attempt: the third in a row suspends the member (even a group owner, even the
 * last admin: security comes first), and its pending sign-in code dies with it.
 */
export async function countFailure(s: UnitOfWork, m: Member, creds: Credentials): Promise<void> {
  const failed = creds.failedLogins + 1;
  await s.tx.saveCredentials([{ ...creds, failedLogins: failed }]);
  if (failed < LOCKOUT_AFTER || m.suspendedAt) return;
  const locked = { ...m, suspendedAt: s.nowIso, suspendedReason: LOCKOUT_REASON, updatedAt: s.nowIso };
  await s.tx.updateMembers([locked]);
  await s.tx.deleteLoginCode(m.id);
  const tree = new OrgTree(await s.orgs());
  s.record({ action: 'member.lockout', target: m.email, targetId: m.id, before: auditSnapshot(m, tree), after: auditSnapshot(locked, tree), reason: LOCKOUT_REASON, actor: null });
}
