// The domain's records, as the core sees them. Ids are opaque text; org references are org ids.

export type Status = 'pending' | 'invited' | 'active' | 'suspended' | 'deleted';
export const STATUSES: readonly Status[] = ['pending', 'invited', 'active', 'suspended', 'deleted'];

export interface Member {
  id: string;
  email: string;
  name: string;
  title: string | null;
  orgId: string | null;
  orgIds: string[]; // additional posts (兼務)
  role: string;
  scope: string[]; // org ids, for scoped roles
  registered: boolean; // has chosen its own password
  suspendedAt: string | null;
  suspendedReason: string | null;
  deletedAt: string | null;
  removedBy: string | null; // email of who removed it
  removedBatch: string | null;
  startDate: string | null; // YYYY-MM-DD
  twoFactor: boolean;
  /** The provisioning client's id for this member (SCIM externalId), or null. */
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Credentials {
  memberId: string;
  passwordHash: string | null; // scrypt, chosen by the member
  passwordSetAt: string | null;
  tempHash: string | null; // SHA-256 of a generated temporary password
  tempIssuedAt: string | null;
  failedLogins: number;
}

export interface Org {
  id: string;
  parentId: string | null;
  name: string;
  createdAt: string;
}

export interface CustomRole {
  name: string;
  permissions: string[];
  createdAt: string;
}

export interface Group {
  id: string;
  name: string;
  description: string | null;
  internalOnly: boolean;
  suspended: boolean;
  ownerId: string;
  /** The provisioning client's id for this group (SCIM externalId), or null. */
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface GroupMembership {
  groupId: string;
  memberId: string;
  role: 'admin' | 'member';
}

export interface SessionRecord {
  hash: string;
  memberId: string;
  createdAt: string;
  expiresAt: string;
}

export interface TokenRecord {
  id: string;
  name: string;
  memberId: string;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface InviteRecord {
  id: string;
  memberId: string;
  hash: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null; // also set when superseded by a re-issue
}

/** A sign-in code waiting to be entered (two-step sign-in): one per member, the newest superseding the last. */
export interface LoginCode {
  memberId: string;
  hash: string; // scrypt, salted: six digits are too few for a fast hash
  createdAt: string;
  expiresAt: string;
}

/**
 * An audit entry as stored (SPEC §9). Entries are written compact: `body` is the JSON text of what
 * has no column (targetId, before, after, reason; nulls left out), and the hash covers the previous
 * hash, the columns and that text (chain.ts, entryHash). Entries written before schema version 4
 * are read as they were stored: `prevHash` is set only on those, and their body is the whole event.
 */
export interface AuditRecord {
  seq: number;
  at: string;
  actor: string | null; // email, or null for the system (automatic purge)
  action: string;
  target: string;
  batch: string;
  body: string;
  /** SHA-256, 64 lowercase hex digits. */
  hash: string;
  /** Old-format entries only (before schema version 4): the previous hash, as stored beside them. */
  prevHash?: string;
}

export interface WorkspaceSettings {
  /** Stored inside the workspace: copies keep it (saved plans name the workspace by it). */
  id: string;
  name: string;
  seatLimit: number;
  allowExternal: boolean;
}

export const RESTORE_WINDOW_DAYS = 7;
