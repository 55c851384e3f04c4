// What the shared SQL needs to know of the schema version it runs on, and what a migration declares.
// A workspace is normally at this program's version (migrated when opened); one this user may not
// write cannot be migrated, and is read at its own version when every migration it lacks is
// `readable` (this program's SQL still reads the tables as they were before it).

/** A schema change, the same version on both backends. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** This program still reads a workspace without it (see Layout). */
  readable?: boolean;
}

/** The version of migration 004, from which audit entries are stored compact (sql/audit.ts). */
export const COMPACT_AUDIT_VERSION = 4;

/** Where a workspace at some version keeps things, as far as the SQL differs. */
export interface Layout {
  /**
   * From version 4: new entries in `audit` (compact) with their batches in `audit_batches`, the
   * older ones in `audit_v1`. Before: every entry in `audit`, in the old format.
   */
  compactAudit: boolean;
  /** From version 5: members and groups have `external_id` (a provisioning client's id, SCIM). */
  externalIds: boolean;
}

/** The version of migration 005, which adds external ids. */
export const EXTERNAL_ID_VERSION = 5;

export const layoutOf = (version: number): Layout => ({ compactAudit: version >= COMPACT_AUDIT_VERSION, externalIds: version >= EXTERNAL_ID_VERSION });

/** Whether this program reads a workspace at `version` as it is: every migration it lacks is readable. */
export function readableAt(migrations: readonly Migration[], version: number): boolean {
  return migrations.every((m) => m.version <= version || m.readable === true);
}
