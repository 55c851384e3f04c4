// member suspend and unsuspend (SPEC §3): suspension keeps the data; a locked-out member comes back
// with a new temporary password.
import { orgsOf, requirePermission } from '../access/grants.js';
import { issueTemporaryPassword, noCredentials } from './records.js';
import { fail, nameSome } from '../errors.js';
import { keepsAnActiveAdmin, notGroupOwners } from './rules.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { type MemberView, viewsOf, auditChanges } from './views.js';
import { resolveTargets, notDeleted } from './targets.js';

export async function suspendMembers(s: UnitOfWork, targets: readonly string[], reason?: string): Promise<MemberView[]> {
  const members = await resolveTargets(s, targets);
  await requirePermission(s, 'members.manage', members.map(orgsOf));
  notDeleted(members, 'suspend');
  await notGroupOwners(s, members, 'suspend');
  const after = members.map((m) => m.suspendedAt ? m : { ...m, suspendedAt: s.nowIso, suspendedReason: reason?.trim() || 'admin', updatedAt: s.nowIso });
  await keepsAnActiveAdmin(s, after, 'suspend');
  const changed = after.filter((m, i) => m !== members[i]);
  await s.tx.updateMembers(changed);
  await auditChanges(s, 'member.suspend', members, changed, reason);
  return viewsOf(s, after);
}

export const LOCKOUT_REASON = 'too-many-failed-logins';

export interface Unsuspended extends MemberView {
  temporaryPassword?: string;
}

/** Back to the status it would have had; a locked-out member also gets a new temporary password. */
export async function unsuspendMembers(s: UnitOfWork, targets: readonly string[]): Promise<Unsuspended[]> {
  const members = await resolveTargets(s, targets);
  await requirePermission(s, 'members.unlock', members.map(orgsOf));
  notDeleted(members, 'unsuspend');
  const notSuspended = members.filter((m) => !m.suspendedAt).map((m) => m.email);
  if (notSuspended.length) fail('INVALID_STATE', `${nameSome(notSuspended)} ${notSuspended.length > 1 ? 'are' : 'is'} not suspended`);
  const after = members.map((m) => ({ ...m, suspendedAt: null, suspendedReason: null, updatedAt: s.nowIso }));
  await s.tx.updateMembers(after);
  const secrets = new Map<string, string>();
  for (const m of members) {
    const creds = await s.tx.getCredentials(m.id);
    const base = creds ?? noCredentials(m.id);
    if (m.suspendedReason === LOCKOUT_REASON) {
      // The chosen password may be what was guessed at: it stops working.
      const { credentials, temporaryPassword } = issueTemporaryPassword(m.id, s.nowIso, base);
      secrets.set(m.id, temporaryPassword);
      await s.tx.saveCredentials([credentials]);
    } else if (base.failedLogins) {
      await s.tx.saveCredentials([{ ...base, failedLogins: 0 }]);
    }
  }
  await auditChanges(s, 'member.unsuspend', members, after);
  const views = await viewsOf(s, after);
  return views.map((v) => (secrets.has(v.id) ? { ...v, temporaryPassword: secrets.get(v.id)! } : v));
}
