import type { Store } from '../core/store.js';

export function isPostgresUrl(workspace: string): boolean {
  return /^postgres(ql)?:\/\//i.test(workspace);
}

/**
 * Opens the workspace named by a file path or a postgres:// URL. The PostgreSQL driver is imported
 * only for such URLs: it costs start-up time that a file workspace should not pay.
 */
export async function openStore(workspace: string, opts: { create?: boolean } = {}): Promise<Store> {
  if (isPostgresUrl(workspace)) {
    const { PostgresStore } = await import('./postgres/store.js');
    return PostgresStore.open(workspace, opts);
  }
  const { SqliteStore } = await import('./sqlite/store.js');
  return SqliteStore.open(workspace, opts);
}
