// member reset-password: a new temporary password, printed once; the old password stops working.
import { orgsOf, requirePermission } from '../access/grants.js';
import { issueTemporaryPassword } from './records.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { resolveTargets, notDeleted } from './targets.js';
import { viewsOf } from './views.js';
import type { Unsuspended } from './suspend.js';

export async function resetPasswords(s: UnitOfWork, targets: readonly string[]): Promise<Unsuspended[]> {
  const members = await resolveTargets(s, targets);
  await requirePermission(s, 'members.unlock', members.map(orgsOf));
  notDeleted(members, 'reset the password of');
  const out: Unsuspended[] = [];
  const views = await viewsOf(s, members);
  for (const [i, m] of members.entries()) {
    // The old password stops working: a reset is for a forgotten or leaked one.
    const { credentials, temporaryPassword } = issueTemporaryPassword(m.id, s.nowIso);
    await s.tx.saveCredentials([credentials]);
    s.record({ action: 'member.reset-password', target: m.email, targetId: m.id });
    out.push({ ...views[i], temporaryPassword });
  }
  return out;
}
