// The audit log as members see it (SPEC §9): listing and verifying, for those who hold audit.view.
import { requirePermission } from '../access/grants.js';
import type { AuditFilter } from '../store.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { listAudit, verifyChain, type VerifyResult } from './chain.js';

export interface AuditListItem {
  at: string;
  actor: string | null;
  action: string;
  target: string;
  reason: string | null;
  batch: string;
}

export async function auditList(s: UnitOfWork, filter: AuditFilter): Promise<AuditListItem[]> {
  await requirePermission(s, 'audit.view');
  return (await listAudit(s.tx, filter)).map((e) => ({ at: e.at, actor: e.actor, action: e.action, target: e.target, reason: e.reason, batch: e.batch }));
}

export async function auditVerify(s: UnitOfWork): Promise<VerifyResult> {
  await requirePermission(s, 'audit.view');
  return verifyChain(s.tx);
}
