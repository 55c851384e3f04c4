import type { Migration } from '../../sql/layout.js';
import initial from './001_initial.js';
import workspaceId from './002_workspace_id.js';
import loginCodes from './003_login_codes.js';
import compactAudit from './004_compact_audit.js';
import externalId from './005_external_id.js';

/**
 * Schema versions in order; the workspace's version is the last one applied.
 * Kept in step with sqlite/migrations: version N means the same tables and columns on both
 * backends, so that `workspace copy` and `backup` can move rows between them.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'workspace id', sql: workspaceId },
  { version: 3, name: 'login codes', sql: loginCodes, readable: true }, // read only at sign-in, a write
  { version: 4, name: 'compact audit', sql: compactAudit, readable: true },
  { version: 5, name: 'external id', sql: externalId, readable: true }, // a scan leaves the column out before it (Layout)
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
