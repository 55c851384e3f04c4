// The workspace's tables in copy order: every table, parents before children.
import type { TableName } from '../../core/store.js';

export const ALL_TABLES = [
  'meta', 'domains', 'orgs', 'roles', 'members', 'credentials', 'password_history', 'sessions', 'tokens', 'invites',
  'workgroups', 'group_members', 'purged', 'audit', 'chain_head', 'login_codes',
] as const satisfies readonly TableName[];

// Fails to compile when the port names a table this list forgets.
type Missing = Exclude<TableName, (typeof ALL_TABLES)[number]>;
const complete: Missing extends never ? true : never = true;
void complete;
