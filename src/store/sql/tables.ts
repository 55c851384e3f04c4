// The workspace's tables in copy order: every table, parents before children.
import type { TableName } from '../../core/store.js';

export const ALL_TABLES = [
  'meta', 'domains', 'orgs', 'roles', 'members', 'credentials', 'password_history', 'sessions', 'tokens', 'invites',
  'workgroups', 'group_members', 'purged', 'audit_v1', 'audit', 'audit_batches', 'chain_head', 'login_codes',
] as const satisfies readonly TableName[];

// Fails to compile when the port names a table this list forgets.
type Missing = Exclude<TableName, (typeof ALL_TABLES)[number]>;
const complete: Missing extends never ? true : never = true;
void complete;

// For dumpTable/loadTable (whole-workspace copies only). The sort key of each table's pages: its
// primary key (ties, should a key ever repeat, are counted by the cursor).
export const TABLE_ORDER: Record<TableName, readonly string[]> = {
  meta: ['key'], domains: ['domain'], orgs: ['id'], roles: ['name'], members: ['id'], credentials: ['member_id'],
  password_history: ['member_id', 'n'], sessions: ['hash'], tokens: ['id'], invites: ['id'],
  workgroups: ['id'], group_members: ['group_id', 'member_id'], purged: ['email'], audit_v1: ['seq'], audit: ['seq'],
  audit_batches: ['first_seq'], chain_head: ['id'], login_codes: ['member_id'],
};
// Tables a fresh workspace already has rows in: a copy replaces those rows by key.
export const REPLACED_ON_LOAD: Partial<Record<TableName, readonly string[]>> = { meta: ['key'], chain_head: ['id'] };
export type DumpCursor = { key: unknown[]; seen: number };
