import initial from './001_initial.js';
import workspaceId from './002_workspace_id.js';
import loginCodes from './003_login_codes.js';

/** Schema versions in order; the workspace's version is the number of migrations applied. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'workspace id', sql: workspaceId },
  { version: 3, name: 'login codes', sql: loginCodes },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
