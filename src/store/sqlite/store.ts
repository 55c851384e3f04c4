import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { RollcallError, fail } from '../../core/errors.js';
import type { Store, Tx } from '../../core/store.js';
import { SqlTx } from '../sql/tx.js';
import { SqliteDriver } from './driver.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';
import { openMode, readSnapshot } from './read-only.js';

export interface OpenOptions {
  create?: boolean;
}

const BUSY_TIMEOUT_MS = 10_000;
// require, not import: Node's ESM loader would otherwise scan this CommonJS package for exports (start-up).
const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as typeof Database;

/** Maps SQLite's own failures to the workspace error codes; anything else passes through. */
export function mapSqliteError(err: unknown, location: string): unknown {
  const code = (err as { code?: string })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return err;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new RollcallError('WORKSPACE_CORRUPT', `${location} is not a rollcall workspace (not a readable SQLite database)`,
      'check the path given by -w/--workspace or ROLLCALL_WORKSPACE; restore from a backup if the file was damaged');
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new RollcallError('BUSY', `${location} is busy: another rollcall is writing and did not finish in ${BUSY_TIMEOUT_MS / 1000} s`, 'try again');
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_PERM')) {
    return new RollcallError('WORKSPACE_UNAVAILABLE', `cannot use ${location}: ${(err as Error).message}`);
  }
  return err;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * A file that does not start as a SQLite database is refused before SQLite opens it: SQLite would
 * take an empty file for a new database and write to it.
 */
function checkHeader(path: string) {
  const head = Buffer.alloc(SQLITE_HEADER.length);
  let read = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      read = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    fail('WORKSPACE_UNAVAILABLE', `cannot read ${path}: ${(e as Error).message}`);
  }
  if (read < head.length || !head.equals(SQLITE_HEADER)) {
    fail('WORKSPACE_CORRUPT', `${path} is not a rollcall workspace (${read === 0 ? 'the file is empty' : 'not a SQLite database'})`,
      'check the path given by -w/--workspace or ROLLCALL_WORKSPACE; restore from a backup if the file was damaged');
  }
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly driver: SqliteDriver;
  private depth = 0;

  /** Why this process may only read the workspace, or null. */
  private readOnly: string | null = null;

  private constructor(readonly db: Database.Database, readonly location: string) {
    this.driver = new SqliteDriver(db);
  }

  static open(path: string, opts: OpenOptions = {}): SqliteStore {
    if (opts.create) {
      if (existsSync(path)) fail('ALREADY_EXISTS', `a workspace already exists at ${path}`, 'pick another path with -w, or use the existing workspace');
      try {
        closeSync(openSync(path, 'wx', 0o600)); // created private before SQLite ever writes to it
      } catch (e) {
        fail('WORKSPACE_UNAVAILABLE', `cannot create ${path}: ${(e as Error).message}`);
      }
    } else if (!existsSync(path)) {
      fail('WORKSPACE_NOT_FOUND', `no workspace at ${path}`,
        'create one with: rollcall init --name NAME --domain DOMAIN --admin EMAIL (or point -w/ROLLCALL_WORKSPACE at an existing one)');
    } else {
      checkHeader(path);
    }
    // A file this user may not write is read without creating a -wal or -shm beside it (read-only.ts).
    const mode = opts.create ? { kind: 'write' as const } : openMode(path);
    let db: Database.Database;
    try {
      db = mode.kind === 'snapshot' ? new BetterSqlite3(readSnapshot(path), { readonly: true })
        : new BetterSqlite3(path, { fileMustExist: true, readonly: mode.kind === 'read' });
    } catch (e) {
      throw mapSqliteError(e, path);
    }
    const store = new SqliteStore(db, path);
    store.readOnly = mode.kind === 'write' ? null : mode.why;
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // Refuse a database that is not ours, or is too new, before anything is written to it.
      if (!opts.create) store.checkVersion(false);
      if (!store.readOnly) {
        if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('cache_size = -32768'); // 32 MiB: a 100,000-row apply otherwise spills pages mid-transaction
      store.migrate(!!opts.create);
    } catch (e) {
      db.close();
      throw mapSqliteError(e, path);
    }
    return store;
  }

  private schemaVersion(): number | null {
    const hasMeta = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
    if (!hasMeta) return null;
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    return row ? Number(row.value) : null;
  }

  /** The schema version: WORKSPACE_CORRUPT when the database is not a workspace, WORKSPACE_TOO_NEW past ours. */
  private checkVersion(fresh: boolean): number {
    const version = this.schemaVersion();
    if (version === null && !fresh) {
      fail('WORKSPACE_CORRUPT', `${this.location} is a SQLite database but not a rollcall workspace`, 'check the path given by -w/--workspace or ROLLCALL_WORKSPACE');
    }
    const current = version ?? 0;
    if (current > SCHEMA_VERSION) {
      fail('WORKSPACE_TOO_NEW', `${this.location} has schema version ${current}; this rollcall knows up to ${SCHEMA_VERSION}`, 'upgrade rollcall to use this workspace');
    }
    return current;
  }

  private migrate(fresh: boolean) {
    const current = this.checkVersion(fresh);
    if (current === SCHEMA_VERSION) return;
    if (this.readOnly) this.refuseWrite(`it needs upgrading from schema version ${current} to ${SCHEMA_VERSION}`);
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const now = this.schemaVersion() ?? 0; // another process may have migrated while we waited
      for (const m of MIGRATIONS.filter((m) => m.version > now)) {
        this.db.exec(m.sql);
        this.db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(m.version));
      }
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  private async transaction<T>(begin: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    // One connection per process: a nested call joins the transaction already open.
    if (this.depth > 0) return fn(new SqlTx(this.driver));
    try {
      this.db.exec(begin);
    } catch (e) {
      throw mapSqliteError(e, this.location);
    }
    this.depth++;
    try {
      const result = await fn(new SqlTx(this.driver));
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw mapSqliteError(e, this.location);
    } finally {
      this.depth--;
    }
  }

  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN', fn);
  }

  async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.readOnly) this.refuseWrite('this command changes it');
    return this.transaction('BEGIN IMMEDIATE', fn);
  }

  private refuseWrite(what: string): never {
    fail('WORKSPACE_UNAVAILABLE', `cannot write ${this.location}: ${what}, and ${this.readOnly}`,
      'run it as a user who may write the workspace file and its folder (commands that only read work as they are)');
  }

  async backup(dest: string): Promise<void> {
    if (existsSync(dest)) fail('ALREADY_EXISTS', `${dest} already exists`, 'choose a new file name for the backup');
    closeSync(openSync(dest, 'wx', 0o600));
    try {
      await this.db.backup(dest);
    } catch (e) {
      throw mapSqliteError(e, dest);
    }
  }

  async copyInto(to: Store): Promise<void> {
    const { copyWorkspace } = await import('../copy.js');
    await copyWorkspace(this, to);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
