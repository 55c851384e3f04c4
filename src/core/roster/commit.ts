// Committing a plan: every rule of §3–§7 checked on the result, then one batch of writes (SPEC §8).
import { actorOf, orgsOf, orgsOfChange, requirePermission } from '../access/grants.js';
import { DEFAULT_ROLE, issueTemporaryPassword } from '../members/records.js';
import { fail } from '../errors.js';
import { auditChanges } from '../members/views.js';
import { commitRemoval } from '../members/remove.js';
import { OrgTree } from '../orgs/tree.js';
import { emailFree, externalAllowed, keepsAnActiveAdmin, notGroupOwners, seatsFor } from '../members/rules.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { mayTurnOnTwoStep } from '../mail/settings.js';
import type { Plan } from './plan.js';

export interface Secret {
  email: string;
  temporaryPassword: string;
}

/** Checks who may do this and every invariant on the result; writes nothing. */
async function checkPlan(s: UnitOfWork, plan: Plan) {
  const actor = actorOf(s);
  const changes = plan.updates.filter(({ before }) => !before.deletedAt);
  const restores = plan.updates.filter(({ before }) => before.deletedAt);
  if (plan.orgsToCreate.length) await requirePermission(s, 'orgs.manage');
  if (plan.adds.length) await requirePermission(s, 'members.manage', plan.adds.map(orgsOf));
  if (changes.length) await requirePermission(s, 'members.manage', changes.map(({ before, after }) => orgsOfChange(before, after)));
  if (restores.length) await requirePermission(s, 'members.restore', restores.map(({ after }) => orgsOf(after)));
  if (plan.removals.length) await requirePermission(s, 'members.delete', plan.removals.map(({ before }) => orgsOf(before)));
  if (plan.updates.some(({ before, after }) => before.suspendedAt && !after.suspendedAt)) await requirePermission(s, 'members.unlock', plan.updates.map(({ after }) => orgsOf(after)));
  const roleChanges = plan.updates.filter(({ before, after }) => before.role !== after.role || before.scope.join() !== after.scope.join());
  if (roleChanges.length || plan.adds.some((m) => m.role !== DEFAULT_ROLE)) await requirePermission(s, 'roles.manage');
  if (roleChanges.some(({ after }) => after.id === actor.id)) fail('PERMISSION_DENIED', `${actor.email} cannot change its own role or scope`, 'leave your own row as it is, or ask another admin');

  for (const { before, after } of plan.updates) if (after.email !== before.email) await emailFree(s, after.email, after.id);
  await externalAllowed(s, [...plan.adds.map((m) => m.email), ...plan.updates.filter(({ before, after }) => before.email !== after.email || before.deletedAt).map(({ after }) => after.email)]);
  await seatsFor(s, plan.adds.length + restores.length - plan.removals.length);
  const newlySuspended = plan.updates.filter(({ before, after }) => after.suspendedAt && !before.suspendedAt).map(({ after }) => after);
  await notGroupOwners(s, [...plan.removals.map(({ before }) => before), ...newlySuspended], 'remove or suspend');
  await keepsAnActiveAdmin(s, [...plan.updates.map(({ after }) => after), ...plan.removals.map(({ after }) => after)], 'apply a roster that removes, suspends or demotes');
  if (plan.adds.some((m) => m.twoFactor) || plan.updates.some(({ before, after }) => after.twoFactor && !before.twoFactor)) await mayTurnOnTwoStep(s);
}

/** Writes the plan. New members get temporary passwords only when `withSecrets` (for --secrets-out). */
export async function commitPlan(s: UnitOfWork, plan: Plan, withSecrets: boolean): Promise<Secret[]> {
  await checkPlan(s, plan);
  if (plan.orgsToCreate.length) {
    await s.tx.insertOrgs(plan.orgsToCreate);
    s.invalidateOrgs();
    const tree = new OrgTree(await s.orgs());
    for (const o of plan.orgsToCreate) s.record({ action: 'org.add', target: tree.pathOf(o.id)!, targetId: o.id });
  }
  const secrets: Secret[] = [];
  if (plan.adds.length) {
    await s.tx.insertMembers(plan.adds);
    if (withSecrets) {
      const creds = plan.adds.map((m) => {
        const { credentials, temporaryPassword } = issueTemporaryPassword(m.id, s.nowIso);
        secrets.push({ email: m.email, temporaryPassword });
        return credentials;
      });
      await s.tx.saveCredentials(creds);
    }
    await auditChanges(s, 'member.add', [], plan.adds);
  }
  const changes = plan.updates.filter(({ before }) => !before.deletedAt);
  const restores = plan.updates.filter(({ before }) => before.deletedAt);
  if (plan.updates.length) await s.tx.updateMembers(plan.updates.map(({ after }) => after));
  if (changes.length) await auditChanges(s, 'member.update', changes.map((u) => u.before), changes.map((u) => u.after));
  if (restores.length) await auditChanges(s, 'member.restore', restores.map((u) => u.before), restores.map((u) => u.after));
  if (plan.removals.length) await commitRemoval(s, plan.removals.map((r) => r.before), plan.removals.map((r) => r.after), 'roster --prune');
  return secrets;
}
