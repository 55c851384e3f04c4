// The public shape of a member (SPEC §10): what --json prints and what the audit log records.
// Never carries a secret.
import { DAY } from '../clock.js';
import { domainOf } from '../email.js';
import { RESTORE_WINDOW_DAYS, type Member, type Status } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { AuditAction } from '../audit/actions.js';

export interface MemberView {
  id: string;
  email: string;
  name: string;
  kind: 'internal' | 'external';
  role: string;
  scope: string[];
  status: Status;
  suspendedReason: string | null;
  org: string | null;
  orgs: string[];
  title: string | null;
  startDate: string | null;
  twoFactor: boolean;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  restorableUntil: string | null;
  removedBy: string | null;
  removedBatch: string | null;
  groups?: Array<{ name: string; role: 'admin' | 'member'; owner: boolean }>;
}

export function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Status is derived: pending while the start date is ahead; invited until the member picks a password. */
export function statusOf(m: Member, now: Date): Status {
  if (m.deletedAt) return 'deleted';
  if (m.suspendedAt) return 'suspended';
  if (m.startDate && m.startDate > today(now)) return 'pending';
  return m.registered ? 'active' : 'invited';
}

export function restorableUntil(m: Member): string | null {
  return m.deletedAt ? new Date(Date.parse(m.deletedAt) + RESTORE_WINDOW_DAYS * DAY).toISOString() : null;
}

export function isActiveAdmin(m: Member, now: Date): boolean {
  return m.role === 'admin' && statusOf(m, now) === 'active';
}

export function kindOf(email: string, domains: readonly string[]): 'internal' | 'external' {
  return domains.includes(domainOf(email)) ? 'internal' : 'external';
}

export function memberView(m: Member, tree: OrgTree, domains: readonly string[], now: Date): MemberView {
  return {
    id: m.id,
    email: m.email,
    name: m.name,
    kind: kindOf(m.email, domains),
    role: m.role,
    scope: m.scope.map((id) => tree.pathOf(id) ?? id),
    status: statusOf(m, now),
    suspendedReason: m.suspendedAt ? m.suspendedReason : null,
    org: tree.pathOf(m.orgId),
    orgs: m.orgIds.map((id) => tree.pathOf(id) ?? id),
    title: m.title,
    startDate: m.startDate,
    twoFactor: m.twoFactor,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    deletedAt: m.deletedAt,
    restorableUntil: restorableUntil(m),
    removedBy: m.removedBy,
    removedBatch: m.removedBatch,
  };
}

/** What the audit log keeps of a member: its public view minus derived and time-varying fields. */
export function auditSnapshot(m: Member, tree: OrgTree): Record<string, unknown> {
  return {
    email: m.email, name: m.name, title: m.title, role: m.role, scope: m.scope.map((id) => tree.pathOf(id) ?? id),
    org: tree.pathOf(m.orgId), orgs: m.orgIds.map((id) => tree.pathOf(id) ?? id), registered: m.registered,
    suspended: m.suspendedAt ? (m.suspendedReason ?? true) : false, deleted: m.deletedAt !== null,
    startDate: m.startDate, twoFactor: m.twoFactor,
    // Only once a provisioning client has given one: older entries and CLI-only members stay as they were.
    ...(m.externalId !== null ? { externalId: m.externalId } : {}),
  };
}

/** Views of members as they are now, with the org tree and domains read once. */
export async function viewsOf(s: UnitOfWork, members: readonly Member[]): Promise<MemberView[]> {
  const tree = new OrgTree(await s.orgs());
  const domains = await s.tx.listDomains();
  return members.map((m) => memberView(m, tree, domains, s.now));
}

export async function auditChanges(s: UnitOfWork, action: AuditAction, before: readonly Member[], after: readonly Member[], reason?: string | null) {
  const tree = new OrgTree(await s.orgs());
  const was = new Map(before.map((m) => [m.id, m]));
  // Made at commit, a member at a time (a 100,000-member apply holds no snapshots meanwhile). The
  // members are frozen so that nothing can change them in between and make the log say otherwise.
  for (const m of [...before, ...after]) Object.freeze(m);
  s.recordEach(
    (function* () {
      for (const m of after) {
        const b = was.get(m.id);
        yield { action, target: m.email, targetId: m.id, before: b ? auditSnapshot(b, tree) : null, after: auditSnapshot(m, tree), reason: reason ?? null };
      }
    })(),
  );
}
