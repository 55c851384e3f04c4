// The audit log as members see it (SPEC §9, §14): listing, the current head, and verifying (against
// recorded heads too), for those who hold audit.view.
import { requirePermission } from '../access/grants.js';
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

export async function auditList(s: UnitOfWork, filter: AuditFilter): Promise<AuditListItem[]> {
  await requirePermission(s, 'audit.view');
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
