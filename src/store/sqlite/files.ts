// The files a SQLite workspace is made of: the database file and, beside it, its journals. Kept apart
// from store.ts (which loads better-sqlite3) so that the CLI can name them without loading SQLite.
import { rmSync, statSync } from 'node:fs';

/** What SQLite keeps beside a database file at PATH: PATH-wal, PATH-shm, PATH-journal. */
export const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'] as const;

/** Removes a SQLite file and its journals: only ever one that this process created. */
export function removeSqliteFile(path: string) {
  for (const suffix of ['', ...SQLITE_COMPANIONS]) rmSync(path + suffix, { force: true });
}

/**
 * Why this process is not the owner of the workspace file at PATH, or null: the user owning the file
 * (or root) has direct access. Where there are no Unix user ids (Windows), opening it for writing is
 * the test, and that has already passed.
 */
export function fileOwnerProblem(path: string): string | null {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0) return null;
  const owner = statSync(path).uid;
  return owner === uid ? null : `${path} belongs to another user (uid ${owner}; this process runs as uid ${uid})`;
}
