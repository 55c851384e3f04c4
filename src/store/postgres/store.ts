import pg from 'pg';
import { RollcallError, fail } from '../../core/errors.js';
import type { Store, Tx } from '../../core/store.js';
import { ALL_TABLES } from '../sql/tables.js';
import { layoutOf, readableAt, type Layout } from '../sql/layout.js';
import { CURRENT_LAYOUT, SqlTx } from '../sql/tx.js';
import { removeSqliteFile } from '../sqlite/files.js';
import type { PgDriver } from './driver.js';
import { PgConnection, ident } from './connection.js';
import { RETRYABLE, errCode, isUnavailable } from './errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';
import { applyMigrations, lockKey, metaExists, schemaVersion } from './schema.js';
import { tableOwnerProblem } from './ownership.js';
import { parseTarget, type Target } from './target.js';
import { shellQuote } from '../../core/shell.js';

export interface OpenOptions {
  create?: boolean;
  /** How long a writer waits for others before BUSY; tests shorten it. */
  busyTimeoutMs?: number;
}

// As long as the SQLite store waits for a busy file: past it a writer gets BUSY, not a hang.
const BUSY_TIMEOUT_MS = 10_000;
const MAX_WRITE_TRIES = 8;

// READ ONLY REPEATABLE READ: one snapshot for every statement of a read, as a SQLite read has,
// so that multi-statement reads (audit verify, backups) see one consistent state.
const BEGIN_READ = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
// Writers: READ COMMITTED, and lock the chain head row first. That serialises them (each then
// reads the newest audit tail and rule state), works on engines whose advisory locks are stubs,
// and never forks the chain as REPEATABLE READ would (a stale tail). One round trip for all three.
const BEGIN_WRITE = 'BEGIN ISOLATION LEVEL READ COMMITTED; SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE';

/**
 * Failures of a writer's first statement, which waits for the chain head row: cancelled there
 * (statement_timeout), it was waiting for another writer, a race like lock_timeout.
 */
const waitingForWriters = new WeakSet<object>();

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly location: string;
  private readonly conn: PgConnection;
  private depth = 0;
  private mode: 'read' | 'write' = 'read';
  private closed = false;
  /** What this process's init made: its tables, and the schema when it had to create that too. */
  private created: 'tables' | 'schema' | null = null;
  /** The workspace's schema version: ours, unless it could not be upgraded and is read as it is. */
  private version = SCHEMA_VERSION;

  private constructor(private readonly target: Target, private readonly busyTimeoutMs: number) {
    this.location = target.location;
    this.conn = new PgConnection(target, busyTimeoutMs);
  }

  private get client(): pg.Client {
    return this.conn.client;
  }

  private get driver(): PgDriver {
    return this.conn.driver;
  }

  static async open(url: string, opts: OpenOptions = {}): Promise<PostgresStore> {
    const target = parseTarget(url);
    const store = new PostgresStore(target, Math.max(1, Math.round(opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS)));
    await store.conn.connect().catch((e: unknown) => { throw store.mapError(e); });
    try {
      if (opts.create) await store.create();
      else await store.migrate();
    } catch (e) {
      await store.close();
      throw store.mapError(e);
    }
    return store;
  }

  /** Server and connection failures become WORKSPACE_UNAVAILABLE, lock waits BUSY; anything else passes through. */
  private mapError(err: unknown, reading = false): unknown {
    if (err instanceof RollcallError) return err;
    if (this.conn.lost || isUnavailable(err, reading)) return this.conn.unavailable(err);
    // Outside a write's retries (a read, opening): a wait for a lock that ran out.
    if (RETRYABLE.has(errCode(err) ?? '')) return this.busy(`another session has held ${this.location} for over ${Math.round(this.busyTimeoutMs / 1000)} s`);
    return err;
  }

  /** A transaction that found the server unusable: the next one connects again (reconnect). */
  private noteLost(err: unknown): unknown {
    if (err instanceof RollcallError && err.code === 'WORKSPACE_UNAVAILABLE') this.conn.lost ??= err;
    return err;
  }

  private busy(why: string): RollcallError {
    return new RollcallError('BUSY', `${this.location} is busy: ${why}`, 'try again');
  }

  private metaExists(): Promise<boolean> {
    return metaExists(this.client, this.target.schema);
  }

  private schemaVersion(): Promise<number | null> {
    return schemaVersion(this.client, this.target.schema);
  }

  private async create() {
    const exists = () => fail('ALREADY_EXISTS', `rollcall's tables already exist in schema "${this.target.schema}" of ${this.location}`,
      'use the existing workspace, or pick another database or ?schema=NAME');
    if (await this.metaExists()) exists();
    this.created = await this.inTransaction(async () => {
      await this.client.query('SELECT pg_advisory_xact_lock($1)', [lockKey(this.target.schema)]);
      if (await this.metaExists()) exists(); // another init won the race
      const schema = await this.client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [this.target.schema]);
      // Only when missing: CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database.
      if (!schema.rows.length) await this.client.query(`CREATE SCHEMA ${ident(this.target.schema)}`);
      await applyMigrations(this.client, 0);
      return schema.rows.length ? 'tables' : 'schema';
    });
  }

  private async migrate() {
    if (!(await this.metaExists())) {
      fail('WORKSPACE_NOT_FOUND', `no rollcall workspace in schema "${this.target.schema}" of ${this.location}`,
        `create one with: rollcall init --name NAME --domain DOMAIN --admin EMAIL -w ${shellQuote(this.location)}`);
    }
    const version = await this.schemaVersion();
    if (version === null || !Number.isInteger(version)) {
      fail('WORKSPACE_CORRUPT', `schema "${this.target.schema}" of ${this.location} has a meta table but no rollcall schema version`,
        'check the database and ?schema= in the workspace URL');
    }
    if (version > SCHEMA_VERSION) {
      fail('WORKSPACE_TOO_NEW', `${this.location} has schema version ${version}; this rollcall knows up to ${SCHEMA_VERSION}`, 'upgrade rollcall to use this workspace');
    }
    if (version === SCHEMA_VERSION) return;
    try {
      await this.inTransaction(async () => {
        // Migrations only: every process opening an old workspace tries, one at a time.
        await this.client.query('SELECT pg_advisory_xact_lock($1)', [lockKey(this.target.schema)]);
        await applyMigrations(this.client, (await this.schemaVersion()) ?? 0); // another may have migrated while we waited
      });
    } catch (e) {
      // A role that may not change the tables, or a read-only standby: read the workspace as it is,
      // when this program still reads that version (its writes fail as they would have anyway).
      if (!['42501', '25006'].includes(errCode(e) ?? '') || !readableAt(MIGRATIONS, version)) throw e;
      this.version = version;
    }
  }

  /** The layout for a transaction that has begun; a workspace read at an older version is asked again (see SqliteStore). */
  private async layout(): Promise<Layout> {
    return this.version >= SCHEMA_VERSION ? CURRENT_LAYOUT : layoutOf((await this.schemaVersion()) ?? this.version);
  }

  /** BEGIN … COMMIT around fn, ROLLBACK on any failure. */
  private async inTransaction<T>(fn: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
    try {
      // Inside the try: BEGIN_WRITE is two statements, and a failed lock leaves a transaction to end.
      await this.client.query(begin).catch((e: unknown) => {
        if (begin === BEGIN_WRITE && e && typeof e === 'object') waitingForWriters.add(e);
        throw e;
      });
      const result = await fn();
      const done = await this.client.query('COMMIT');
      // PostgreSQL answers COMMIT of a transaction that an error aborted with ROLLBACK, not an error:
      // if fn swallowed a failed statement, say so rather than report a success that was not kept.
      if ((done as { command?: string }).command === 'ROLLBACK') {
        throw new Error('the transaction was rolled back: a statement in it failed and the error was caught');
      }
      return result;
    } catch (e) {
      await this.client.query('ROLLBACK').catch(() => undefined); // the connection may be gone; the error below says why
      throw e;
    }
  }

  private async run<T>(mode: 'read' | 'write', fn: (tx: Tx) => Promise<T>): Promise<T> {
    this.depth++;
    this.mode = mode;
    try {
      return await this.inTransaction(async () => fn(new SqlTx(this.driver, await this.layout())), mode === 'read' ? BEGIN_READ : BEGIN_WRITE);
    } finally {
      this.depth--;
    }
  }

  async read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.depth > 0) return fn(new SqlTx(this.driver, await this.layout())); // one connection per process: join the open transaction
    try {
      if (!this.closed) await this.conn.reconnect();
      return await this.run('read', fn);
    } catch (e) {
      throw this.noteLost(this.mapError(e, true));
    }
  }

  async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.depth > 0) {
      // A read-only snapshot cannot take writes; this is a caller's bug, say so plainly.
      if (this.mode === 'read') throw new Error('store.write() called inside store.read(): open the write transaction outermost');
      return fn(new SqlTx(this.driver, await this.layout()));
    }
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        if (!this.closed) await this.conn.reconnect();
        return await this.run('write', fn);
      } catch (e) {
        const code = errCode(e);
        const waited = code === '55P03' || (code === '57014' && waitingForWriters.has(e as object));
        if (e instanceof RollcallError || !code || !(RETRYABLE.has(code) || waited)) throw this.noteLost(this.mapError(e));
        // Lost a race: run the whole transaction again (fn re-reads everything), unless it keeps losing.
        if (attempt >= MAX_WRITE_TRIES || Date.now() - started >= this.busyTimeoutMs) {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          throw this.busy(waited
            ? `another rollcall has been writing for over ${seconds} s`
            : `other writers kept this change from committing (${attempt} tries in ${seconds} s)`);
        }
        // Small random backoff, growing per try, so that the racers spread out.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 10 * 2 ** attempt)));
      }
    }
  }

  /** A SQLite copy of the whole workspace, from one consistent snapshot. */
  async backup(dest: string): Promise<void> {
    const { SqliteStore } = await import('../sqlite/store.js');
    const { copyWorkspace } = await import('../copy.js');
    const out = SqliteStore.open(dest, { create: true }); // ALREADY_EXISTS if dest exists
    try {
      await copyWorkspace(this, out);
      await out.close();
    } catch (e) {
      await out.close().catch(() => undefined);
      // We created it: leave no half-made workspace behind for the next try to trip over.
      removeSqliteFile(dest);
      throw e;
    }
  }

  async copyInto(to: Store): Promise<void> {
    const { copyWorkspace } = await import('../copy.js');
    await copyWorkspace(this, to);
  }

  async discard(): Promise<void> {
    if (this.created && !this.closed) {
      // Only what this process's init made, and nothing else in the database: it is its owner's.
      const schema = ident(this.target.schema);
      await this.inTransaction(async () => {
        await this.client.query(`DROP TABLE IF EXISTS ${ALL_TABLES.map((t) => `${schema}.${ident(t)}`).join(', ')}`);
        if (this.created === 'schema') await this.client.query(`DROP SCHEMA IF EXISTS ${schema}`);
      }).catch(() => undefined); // the failure that made us discard is the one to report
      this.created = null;
    }
    await this.close();
  }

  ownerAccessProblem(): Promise<string | null> {
    return tableOwnerProblem(this.client, this.target.schema);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.conn.end();
  }
}
