import initial from './001_initial.js';
import workspaceId from './002_workspace_id.js';
import loginCodes from './003_login_codes.js';
import externalId from './005_external_id.js';

/** Schema versions in order; the workspace's version is that of the last migration applied. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'workspace id', sql: workspaceId },
  { version: 3, name: 'login codes', sql: loginCodes },
  // 4 is the compact audit format's (in review at the time); a workspace records the last version applied.
  { version: 5, name: 'external id', sql: externalId },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
