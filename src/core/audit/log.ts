// The audit log as members see it (SPEC §9, §14): listing, the current head, and verifying (against
// recorded heads too), for those who hold audit.view.
import { requirePermission } from '../access/grants.js';
import { OrgTree } from '../orgs/tree.js';
import type { AuditFilter } from '../store.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { readHead, verifyAnchored, type AnchoredVerifyResult, type AuditHead } from './anchor.js';
import { listAudit } from './chain.js';

export interface AuditListItem {
  at: string;
  actor: string | null;
  action: string;
  target: string;
  reason: string | null;
  batch: string;
}

/**
 * The target as the log spells it: a group name or an org path is matched in any case, as every
 * command matches them (both are unique case-insensitively), so the current spelling is looked up.
 * Anything else (an email, normalised by the caller; a role; a name since renamed) is taken as given.
 */
async function recordedTarget(s: UnitOfWork, target: string): Promise<string> {
  const wanted = target.normalize('NFC').trim().toLowerCase();
  const group = (await s.tx.listGroups()).find((g) => g.name.toLowerCase() === wanted);
  if (group) return group.name;
  const tree = new OrgTree(await s.orgs());
  const org = tree.find(target);
  return org ? tree.pathOf(org.id)! : target;
}

export async function auditList(s: UnitOfWork, filter: AuditFilter): Promise<AuditListItem[]> {
  await requirePermission(s, 'audit.view');
  if (filter.target !== undefined) filter = { ...filter, target: await recordedTarget(s, filter.target) };
  return (await listAudit(s.tx, filter)).map((e) => ({ at: e.at, actor: e.actor, action: e.action, target: e.target, reason: e.reason, batch: e.batch }));
}

/** The current head, to record outside the workspace and check later with auditVerify. */
export async function auditHead(s: UnitOfWork): Promise<AuditHead> {
  await requirePermission(s, 'audit.view');
  return readHead(s.tx);
}

/** The chain check; with `heads` (recorded earlier), also that the chain still holds each of them. */
export async function auditVerify(s: UnitOfWork, heads?: readonly AuditHead[]): Promise<AnchoredVerifyResult> {
  await requirePermission(s, 'audit.view');
  return verifyAnchored(s.tx, heads);
}
