import type { Migration } from '../../sql/layout.js';
import initial from './001_initial.js';
import workspaceId from './002_workspace_id.js';
import compactAudit from './004_compact_audit.js';

/** Schema versions in order; the workspace's version is the last one applied. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'workspace id', sql: workspaceId },
  { version: 4, name: 'compact audit', sql: compactAudit, readable: true },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
