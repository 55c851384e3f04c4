// rollcall recover (SPEC §14, like kanidm's recover-account): the way back in for a locked-out admin.
// It needs no session, only direct access to the workspace as its owner, which is already the power
// to do anything to it; so it is no new way in, only a safe one: audited, and only for admins.
import { normalizeEmail } from '../email.js';
import { fail } from '../errors.js';
import { OrgTree } from '../orgs/tree.js';
import type { Workspace } from '../workspace.js';
import { issueTemporaryPassword } from './records.js';
import type { Unsuspended } from './suspend.js';
import { auditSnapshot, viewsOf } from './views.js';

/** Who the audit log names as the actor of a recovery: whoever had the workspace in hand. */
export const LOCAL_ACTOR = '(local)';

/** A recovered admin, and whether its two-step sign-in was turned off. */
export interface Recovered {
  member: Unsuspended;
  twoFactorTurnedOff: boolean;
}

/**
 * Lifts the admin's suspension, turns two-step sign-in off and issues a temporary password (shown
 * once); the old password stops working.
 */
export async function recoverAdmin(ws: Workspace, email: string): Promise<Recovered> {
  const denied = await ws.store.ownerAccessProblem();
  if (denied) {
    fail('PERMISSION_DENIED', `recover needs direct access to the workspace, as its owner: ${denied}`,
      "run it as the user owning the workspace file, or connect as a database role owning the workspace's tables");
  }
  return ws.write(null, async (s) => {
    const m = await s.tx.getMemberByEmail(normalizeEmail(email));
    if (!m) fail('NOT_FOUND', `no member ${email}`);
    if (m.deletedAt) fail('INVALID_STATE', `${m.email} has been removed`, 'restore it first: rollcall member restore EMAIL, as an admin');
    if (m.role !== 'admin') {
      fail('INVALID_STATE', `${m.email} does not hold the admin role: recover is for the admins of the workspace`, 'an admin can unsuspend any member or reset its password');
    }
    // Two-step sign-in goes too, as kanidm's recover-account replaces every credential: the mail
    // its codes need is a common reason an admin is locked out, and a code nobody receives would
    // keep the recovered admin out.
    const after = { ...m, suspendedAt: null, suspendedReason: null, twoFactor: false, updatedAt: s.nowIso };
    if (m.suspendedAt || m.twoFactor) await s.tx.updateMembers([after]);
    const { credentials, temporaryPassword } = issueTemporaryPassword(m.id, s.nowIso, await s.tx.getCredentials(m.id));
    await s.tx.saveCredentials([credentials]);
    const tree = new OrgTree(await s.orgs());
    s.record({ action: 'member.recover', target: m.email, targetId: m.id, before: auditSnapshot(m, tree), after: auditSnapshot(after, tree), actor: LOCAL_ACTOR });
    const [view] = await viewsOf(s, [after]);
    return { member: { ...view, temporaryPassword }, twoFactorTurnedOff: m.twoFactor };
  });
}
