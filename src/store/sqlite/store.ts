import { accessSync, closeSync, constants, existsSync, lstatSync, openSync, readlinkSync, readSync, statfsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { RollcallError, fail } from '../../core/errors.js';
import type { Store, Tx } from '../../core/store.js';
import { layoutOf, readableAt, type Layout } from '../sql/layout.js';
import { CURRENT_LAYOUT, SqlTx } from '../sql/tx.js';
import { SqliteDriver } from './driver.js';
import { fileOwnerProblem, removeSqliteFile } from './files.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';
import { openMode, readSnapshot } from './read-only.js';

export interface OpenOptions {
  create?: boolean;
}

const BUSY_TIMEOUT_MS = 10_000;
// require, not import: Node's ESM loader would otherwise scan this CommonJS package for exports (start-up).
const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as typeof Database;

const WORKSPACE_HINT = 'check the path given by -w/--workspace or ROLLCALL_WORKSPACE';

/**
 * Why a file cannot be used, as the file system says: SQLite only says "unable to open" or "I/O
 * error". null when nothing is found. A workspace needs its folder too: SQLite keeps -wal and -shm there.
 */
function whyNot(path: string): { why: string; hint: string } | null {
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) return { why: `${dir} is a file, not a folder`, hint: WORKSPACE_HINT };
    if (statfsSync(dir).bavail === 0) return { why: `the disk holding ${dir} is full`, hint: 'free some space on that disk, then run the command again' };
    if (lstatSync(path).isSymbolicLink() && !existsSync(path)) {
      return { why: `it is a symbolic link to ${readlinkSync(path)}, which does not exist`, hint: `point -w/--workspace or ROLLCALL_WORKSPACE at the file itself` };
    }
  } catch {
    // missing or unreadable: access() says which below
  }
  const checks = [[dir, constants.W_OK | constants.X_OK, 'write in'], [path, constants.R_OK, 'read'], [path, constants.W_OK, 'write']] as const;
  for (const [target, mode, verb] of checks) {
    try {
      accessSync(target, mode);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EROFS') return { why: `${dir} is on a read-only file system`, hint: 'a workspace needs a writable folder (SQLite keeps its -wal and -shm files next to it): copy it to one, or remount' };
      if (code === 'EACCES' || code === 'EPERM') return { why: `no permission to ${verb} ${target}`, hint: `check the owner and permissions of ${path} and its folder (SQLite keeps its -wal and -shm files there)` };
      if (code === 'ENOENT' && target === dir) return { why: `the folder ${dir} does not exist`, hint: `create it first, or ${WORKSPACE_HINT}` };
      if (code === 'ENOTDIR') return { why: `${dir} is not a folder`, hint: WORKSPACE_HINT };
    }
  }
  return null;
}

/** WORKSPACE_UNAVAILABLE for a file the system will not let us use, with the reason when it can be found. */
function unusable(location: string, err: unknown, verb = 'use'): RollcallError {
  const found = whyNot(location);
  return new RollcallError('WORKSPACE_UNAVAILABLE', `cannot ${verb} ${location}: ${found?.why ?? (err as Error).message}`, found?.hint ?? WORKSPACE_HINT);
}

/** Maps SQLite's own failures to the workspace error codes; anything else passes through. */
export function mapSqliteError(err: unknown, location: string): unknown {
  const code = (err as { code?: string })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return err;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new RollcallError('WORKSPACE_CORRUPT', `${location} is not a rollcall workspace (not a readable SQLite database)`,
      `${WORKSPACE_HINT}; restore from a backup if the file was damaged`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new RollcallError('BUSY', `${location} is busy: another rollcall is writing and did not finish in ${BUSY_TIMEOUT_MS / 1000} s`, 'try again');
  }
  // The write was rolled back: a full disk leaves the workspace as it was.
  if (code === 'SQLITE_FULL') {
    return new RollcallError('WORKSPACE_UNAVAILABLE', `the disk holding ${location} is full: nothing was changed`, 'free some space on that disk, then run the command again');
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_PERM')) {
    return unusable(location, err);
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
    throw unusable(path, e, 'read');
  }
  if (read < head.length || !head.equals(SQLITE_HEADER)) {
    fail('WORKSPACE_CORRUPT', `${path} is not a rollcall workspace (${read === 0 ? 'the file is empty' : 'not a SQLite database'})`,
      `${WORKSPACE_HINT}; restore from a backup if the file was damaged`);
  }
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly driver: SqliteDriver;
  private depth = 0;

  /** Why this process may only read the workspace, or null. */
  private readOnly: string | null = null;
  /** The workspace's schema version when opened: ours, unless it was read as it is (read-only, older, readable). */
  private version = SCHEMA_VERSION;

  private constructor(readonly db: Database.Database, readonly location: string, private readonly created: boolean) {
    this.driver = new SqliteDriver(db);
  }

  static open(path: string, opts: OpenOptions = {}): SqliteStore {
    if (opts.create) {
      if (existsSync(path)) fail('ALREADY_EXISTS', `a workspace already exists at ${path}`, 'pick another path with -w, or use the existing workspace');
      try {
        closeSync(openSync(path, 'wx', 0o600)); // created private before SQLite ever writes to it
      } catch (e) {
        throw unusable(path, e, 'create');
      }
      try {
        return SqliteStore.openFile(path, true);
      } catch (e) {
        removeSqliteFile(path); // ours, and half-made (a full disk): the retry must not find it
        throw e;
      }
    }
    if (!existsSync(path)) {
      fail('WORKSPACE_NOT_FOUND', `no workspace at ${path}`,
        'create one with: rollcall init --name NAME --domain DOMAIN --admin EMAIL (or point -w/ROLLCALL_WORKSPACE at an existing one)');
    }
    checkHeader(path);
    return SqliteStore.openFile(path, false);
  }

  private static openFile(path: string, fresh: boolean): SqliteStore {
    // A file this user may not write is read without creating a -wal or -shm beside it (read-only.ts).
    const mode = fresh ? { kind: 'write' as const } : openMode(path);
    let db: Database.Database;
    try {
      db = mode.kind === 'snapshot' ? new BetterSqlite3(readSnapshot(path), { readonly: true })
        : new BetterSqlite3(path, { fileMustExist: true, readonly: mode.kind === 'read' });
    } catch (e) {
      throw mapSqliteError(e, path);
    }
    const store = new SqliteStore(db, path, fresh);
    store.readOnly = mode.kind === 'write' ? null : mode.why;
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // Refuse a database that is not ours, or is too new, before anything is written to it.
      if (!fresh) store.checkVersion(false);
      if (!store.readOnly) {
        if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
        // FULL: a command that reports a change has it on disk (the log is synced at each commit).
        // NORMAL syncs only at checkpoints, so a power cut could undo an apply that said it was done;
        // the sync costs one fsync per write command.
        db.pragma('synchronous = FULL');
      }
      db.pragma('cache_size = -32768'); // 32 MiB: a 100,000-row apply otherwise spills pages mid-transaction
      store.migrate(fresh);
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
    this.version = current;
    if (current === SCHEMA_VERSION) return;
    if (this.readOnly) {
      // It cannot be upgraded here: read it as it is, when this program still reads that version.
      if (readableAt(MIGRATIONS, current)) return;
      this.refuseWrite(`it needs upgrading from schema version ${current} to ${SCHEMA_VERSION}`);
    }
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const now = this.schemaVersion() ?? 0; // another process may have migrated while we waited
      for (const m of MIGRATIONS.filter((m) => m.version > now)) {
        this.db.exec(m.sql);
        this.db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(m.version));
      }
      this.db.exec('COMMIT');
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK'); // SQLite has already rolled back after a full disk or an I/O error
      throw e;
    }
    this.version = SCHEMA_VERSION;
  }

  /**
   * The layout for a transaction that has begun. A workspace read at an older version is asked
   * again each time: a writer elsewhere may have upgraded it since.
   */
  private layout(): Layout {
    return this.version >= SCHEMA_VERSION ? CURRENT_LAYOUT : layoutOf(this.schemaVersion() ?? this.version);
  }

  private async transaction<T>(begin: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    // One connection per process: a nested call joins the transaction already open.
    if (this.depth > 0) return fn(new SqlTx(this.driver, this.layout()));
    try {
      this.db.exec(begin);
    } catch (e) {
      throw mapSqliteError(e, this.location);
    }
    this.depth++;
    try {
      const result = await fn(new SqlTx(this.driver, this.layout()));
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

  /** The online backup into a new file at DEST (created private); a backup that fails leaves no file. */
  async backup(dest: string): Promise<void> {
    try {
      closeSync(openSync(dest, 'wx', 0o600)); // never an existing file, nor through a link
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') fail('ALREADY_EXISTS', `${dest} already exists`, 'choose a new file name for the backup');
      fail('WORKSPACE_UNAVAILABLE', `cannot create ${dest}: ${(e as Error).message}`);
    }
    try {
      await this.db.backup(dest);
    } catch (e) {
      removeSqliteFile(dest);
      throw mapSqliteError(e, dest);
    }
  }

  async copyInto(to: Store): Promise<void> {
    const { copyWorkspace } = await import('../copy.js');
    await copyWorkspace(this, to);
  }

  async discard(): Promise<void> {
    await this.close();
    if (this.created) removeSqliteFile(this.location);
  }

  async ownerAccessProblem(): Promise<string | null> {
    if (this.readOnly) return this.readOnly;
    return fileOwnerProblem(this.location);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
