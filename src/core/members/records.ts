// The records a new member starts with, built in one place for every entry point (member add,
// invitations, roster apply, init): the member itself, and its credentials.
import { newTemporaryPassword, sha256 } from '../credentials.js';
import { newId } from '../ids.js';
import type { Credentials, Member } from '../model.js';

/** The role a member gets when none is named. */
export const DEFAULT_ROLE = 'viewer';

/** What a new member is given; everything else starts empty. Values are already checked. */
export interface NewMemberFields {
  email: string;
  name: string;
  role: string;
  title?: string | null;
  orgId?: string | null;
  orgIds?: string[];
  scope?: string[];
  startDate?: string | null;
  twoFactor?: boolean;
  /** Registered: has chosen its own password (only the first admin, at init). */
  registered?: boolean;
  suspendedReason?: string | null;
  /** The provisioning client's id (SCIM externalId). */
  externalId?: string | null;
}

/** A new member record, created at `at`: not registered, not suspended unless a reason is given. */
export function newMember(f: NewMemberFields, at: string): Member {
  return {
    id: newId('m'), email: f.email, name: f.name, title: f.title ?? null, orgId: f.orgId ?? null, orgIds: f.orgIds ?? [],
    role: f.role, scope: f.scope ?? [], registered: !!f.registered, suspendedAt: f.suspendedReason ? at : null,
    suspendedReason: f.suspendedReason ?? null, deletedAt: null, removedBy: null, removedBatch: null,
    startDate: f.startDate ?? null, twoFactor: !!f.twoFactor, externalId: f.externalId ?? null, createdAt: at, updatedAt: at,
  };
}

/** Credentials with no way in yet: the member waits for an invitation or a reset. */
export function noCredentials(memberId: string): Credentials {
  return { memberId, passwordHash: null, passwordSetAt: null, tempHash: null, tempIssuedAt: null, failedLogins: 0 };
}

/** Credentials holding a password the member chose (scrypt hash). */
export function chosenPassword(memberId: string, hash: string, at: string): Credentials {
  return { memberId, passwordHash: hash, passwordSetAt: at, tempHash: null, tempIssuedAt: null, failedLogins: 0 };
}

/**
 * A new temporary password, shown once, and the credentials that hold only its hash. Any earlier
 * password stops working: a temporary password is for a new, forgotten or leaked one. `keepSetAt`
 * carries over when the member last chose a password (a lifted lockout, a recovery).
 */
export function issueTemporaryPassword(memberId: string, at: string, keepSetAt?: Credentials | null): { credentials: Credentials; temporaryPassword: string } {
  const temporaryPassword = newTemporaryPassword();
  const credentials = { ...noCredentials(memberId), tempHash: sha256(temporaryPassword), tempIssuedAt: at, passwordSetAt: keepSetAt?.passwordSetAt ?? null };
  return { temporaryPassword, credentials };
}
