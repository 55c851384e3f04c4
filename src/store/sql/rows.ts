// Row ↔ record mapping shared by both SQL backends: same column names, 0/1 booleans, JSON as TEXT.
import type {
  Credentials, CustomRole, Group, GroupMembership, InviteRecord, Member, Org,
  SessionRecord, TokenRecord,
} from '../../core/model.js';
import { interner } from '../../core/interner.js';
import type { MemberFacts } from '../../core/store.js';

type Row = Record<string, any>;

/** JSON list columns: most hold '[]', which needs no parser (100,000 members are read at once). */
const list = (text: string): string[] => (text === '[]' ? [] : JSON.parse(text));

export const MEMBER_COLUMNS = [
  'id', 'email', 'name', 'title', 'org_id', 'org_ids', 'role', 'scope', 'registered', 'suspended_at',
  'suspended_reason', 'deleted_at', 'removed_by', 'removed_batch', 'start_date', 'two_factor', 'created_at', 'updated_at', 'external_id',
] as const;

/** The columns of MemberFacts (src/core/store.ts), in its order. */
export const MEMBER_FACT_COLUMNS = 'id, email, name, title, org_id, org_ids, role, scope, start_date, suspended_at, deleted_at, two_factor';

/** A row of MEMBER_FACT_COLUMNS as MemberFacts, converted in place: no new array per member. */
export function memberFactsFromArray(r: unknown[]): MemberFacts {
  r[3] ??= null;
  r[4] ||= null;
  r[5] = list(r[5] as string);
  r[7] = list(r[7] as string);
  r[8] ??= null;
  r[9] ??= null;
  r[10] ??= null;
  r[11] = Number(r[11]) === 1;
  return r as MemberFacts;
}

export function memberFromRow(r: Row): Member {
  return {
    id: r.id, email: r.email, name: r.name, title: r.title ?? null, orgId: r.org_id || null,
    orgIds: list(r.org_ids), role: r.role, scope: list(r.scope), registered: Number(r.registered) === 1,
    suspendedAt: r.suspended_at ?? null, suspendedReason: r.suspended_reason ?? null, deletedAt: r.deleted_at ?? null,
    removedBy: r.removed_by ?? null, removedBatch: r.removed_batch ?? null, startDate: r.start_date ?? null,
    twoFactor: Number(r.two_factor) === 1, externalId: r.external_id ?? null, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** A member from its column values in MEMBER_COLUMNS order, as a scan reads them (no row object). */
export function memberFromValues(v: any[]): Member {
  return {
    id: v[0], email: v[1], name: v[2], title: v[3] ?? null, orgId: v[4] || null, orgIds: list(v[5]), role: v[6], scope: list(v[7]),
    registered: Number(v[8]) === 1, suspendedAt: v[9] ?? null, suspendedReason: v[10] ?? null, deletedAt: v[11] ?? null,
    removedBy: v[12] ?? null, removedBatch: v[13] ?? null, startDate: v[14] ?? null, twoFactor: Number(v[15]) === 1,
    createdAt: v[16], updatedAt: v[17], externalId: v[18] ?? null,
  };
}

/** Columns (MEMBER_COLUMNS indexes) whose values repeat from member to member: a title, a role, a removal's time, actor and batch. */
const REPEATING = [3, 4, 6, 9, 10, 11, 12, 13, 14, 16, 17];

/**
 * memberFromValues for a scan, which holds the values a column repeats once: SQLite hands over a new
 * string for every value, and 100,000 members removed by one prune held their removal's time, actor
 * and batch 100,000 times each.
 */
export function memberScanner(): (v: any[]) => Member {
  const shared = interner();
  return (v) => {
    for (const i of REPEATING) if (typeof v[i] === 'string') v[i] = shared(v[i]);
    return memberFromValues(v);
  };
}

/** A JSON list column: most lists are empty, and '[]' needs no serialiser. */
const listText = (items: string[]): string => (items.length ? JSON.stringify(items) : '[]');

/** Column values in MEMBER_COLUMNS order. */
export function memberValues(m: Member): unknown[] {
  return [
    m.id, m.email, m.name, m.title, m.orgId, listText(m.orgIds), m.role, listText(m.scope), m.registered ? 1 : 0,
    m.suspendedAt, m.suspendedReason, m.deletedAt, m.removedBy, m.removedBatch, m.startDate, m.twoFactor ? 1 : 0,
    m.createdAt, m.updatedAt, m.externalId,
  ];
}

export const credentialsFromRow = (r: Row): Credentials => ({
  memberId: r.member_id, passwordHash: r.password_hash ?? null, passwordSetAt: r.password_set_at ?? null,
  tempHash: r.temp_hash ?? null, tempIssuedAt: r.temp_issued_at ?? null, failedLogins: Number(r.failed_logins),
});

export const sessionFromRow = (r: Row): SessionRecord => ({
  hash: r.hash, memberId: r.member_id, createdAt: r.created_at, expiresAt: r.expires_at,
});

export const tokenFromRow = (r: Row): TokenRecord => ({
  id: r.id, name: r.name, memberId: r.member_id, hash: r.hash, createdAt: r.created_at,
  expiresAt: r.expires_at ?? null, revokedAt: r.revoked_at ?? null,
});

export const inviteFromRow = (r: Row): InviteRecord => ({
  id: r.id, memberId: r.member_id, hash: r.hash, createdAt: r.created_at, expiresAt: r.expires_at,
  usedAt: r.used_at ?? null, revokedAt: r.revoked_at ?? null,
});

export const orgFromRow = (r: Row): Org => ({ id: r.id, parentId: r.parent_id || null, name: r.name, createdAt: r.created_at });

export const roleFromRow = (r: Row): CustomRole => ({ name: r.name, permissions: JSON.parse(r.permissions), createdAt: r.created_at });

export const groupFromRow = (r: Row): Group => ({
  id: r.id, name: r.name, description: r.description ?? null, internalOnly: Number(r.internal_only) === 1,
  suspended: Number(r.suspended) === 1, ownerId: r.owner_id, externalId: r.external_id ?? null,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

export const membershipFromRow = (r: Row): GroupMembership => ({ groupId: r.group_id, memberId: r.member_id, role: r.role });
