import initial from './001_initial.js';

/** Schema versions in order; the workspace's version is the number of migrations applied. */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: 'initial', sql: initial },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
