// The files a SQLite workspace is made of: the database file and, beside it, its journals. Kept apart
// from store.ts (which loads better-sqlite3) so that the CLI can name them without loading SQLite.
import { rmSync } from 'node:fs';

/** What SQLite keeps beside a database file at PATH: PATH-wal, PATH-shm, PATH-journal. */
export const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'] as const;

/** Removes a SQLite file and its journals: only ever one that this process created. */
export function removeSqliteFile(path: string) {
  for (const suffix of ['', ...SQLITE_COMPANIONS]) rmSync(path + suffix, { force: true });
}
