import { rmSync } from 'node:fs';
import pg from 'pg';
import { RollcallError, fail } from '../../core/errors.js';
import type { Store, Tx } from '../../core/store.js';
import { SqlTx } from '../sql/tx.js';
import { PG_TYPES, PgDriver } from './driver.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';
import { parseTarget, pgpassPassword, type Target } from './target.js';
import { shellQuote } from '../../core/shell.js';

export interface OpenOptions {
  create?: boolean;
  /** How long a writer waits for others before BUSY; tests shorten it. */
  busyTimeoutMs?: number;
}

// As long as the SQLite store waits for a busy file: past it a writer gets BUSY, not a hang.
const BUSY_TIMEOUT_MS = 10_000;
const MAX_WRITE_TRIES = 8;
// Races a retry can win: serialization_failure, deadlock_detected, lock_not_available.
const RETRYABLE = new Set(['40001', '40P01', '55P03']);
// The server or the connection went away, or it will not take writes (a hot standby).
const CONNECTION_LOST = /^(08|57P0[1-3]$)/;
const NODE_NET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

// READ ONLY REPEATABLE READ: one snapshot for every statement of a read, as a SQLite read has,
// so that multi-statement reads (audit verify, backups) see one consistent state.
const BEGIN_READ = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';
// Writers: READ COMMITTED, and lock the chain head row first. That serialises them (each then
// reads the newest audit tail and rule state), works on engines whose advisory locks are stubs,
// and never forks the chain as REPEATABLE READ would (a stale tail). One round trip for all three.
const BEGIN_WRITE = 'BEGIN ISOLATION LEVEL READ COMMITTED; SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE';

const ident = (name: string) => '"' + name.replace(/"/g, '""') + '"';

/** A stable advisory-lock key per schema, so that migrations of different workspaces do not wait on each other. */
function lockKey(schema: string): number {
  let h = 0x5eed;
  for (const ch of 'rollcall:' + schema) h = (Math.imul(h, 31) + ch.codePointAt(0)!) | 0;
  return h;
}

function errCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: Array<{ code?: unknown }> };
  if (typeof e?.code === 'string') return e.code;
  // Node 20 tries every address of a name and reports them together.
  const inner = e?.errors?.find((x) => typeof x?.code === 'string')?.code;
  return typeof inner === 'string' ? inner : undefined;
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly location: string;
  private readonly driver: PgDriver;
  private depth = 0;
  private mode: 'read' | 'write' = 'read';
  private closed = false;
  /** Set when the connection dies between statements; the next statement fails and is reported with it. */
  private lost: Error | null = null;

  private constructor(private readonly client: pg.Client, private readonly target: Target, private readonly busyTimeoutMs: number) {
    this.location = target.location;
    this.driver = new PgDriver(client);
  }

  static async open(url: string, opts: OpenOptions = {}): Promise<PostgresStore> {
    const target = parseTarget(url);
    let client: pg.Client;
    try {
      client = new pg.Client({
        connectionString: target.connectionString,
        connectionTimeoutMillis: target.connectTimeoutMs,
        types: PG_TYPES,
        fallback_application_name: 'rollcall',
      } as pg.ClientConfig);
    } catch (e) {
      // pg's own parse errors carry no URL (pg-connection-string redacts it), but say it our way.
      fail('INVALID_INPUT', `the workspace URL is not usable: ${(e as Error).message}`, 'postgres://USER@HOST:PORT/DATABASE[?schema=NAME&sslmode=require]');
    }
    // Neither the URL nor PGPASSWORD gave a password: ask ~/.pgpass, when the server asks for one.
    if (client.password == null) (client as { password?: unknown }).password = () => pgpassPassword(client);
    const store = new PostgresStore(client, target, Math.max(1, Math.round(opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS)));
    client.on('error', (e) => { store.lost = e; }); // without a listener an idle disconnect would crash the process
    try {
      await client.connect();
    } catch (e) {
      // pg leaves the socket open when it gives up mid-login (no password to send): the server
      // would hold that backend until authentication_timeout (60 s), blocking e.g. DROP DATABASE.
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      throw store.unavailable(e);
    }
    try {
      // lock_timeout: a writer stuck behind another for this long gives up (BUSY) rather than hang.
      await client.query(`SET search_path TO ${ident(target.schema)}; SET lock_timeout = '${store.busyTimeoutMs}ms'`);
      if (opts.create) await store.create();
      else await store.migrate();
    } catch (e) {
      await store.close();
      throw store.mapError(e);
    }
    return store;
  }

  private get hostPort(): string {
    const { host, port } = this.client;
    return host?.startsWith('/') ? `${host} (port ${port})` : `${host?.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** WORKSPACE_UNAVAILABLE naming host and port, never the password. */
  private unavailable(err: unknown): RollcallError {
    const code = errCode(err);
    const message = String((err as Error)?.message ?? err);
    let why: string;
    if (code === 'ECONNREFUSED') why = 'connection refused (is the server running, on that port?)';
    else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') why = 'host not found';
    else if (code === 'ETIMEDOUT' || /timeout/i.test(message)) why = `no answer within ${this.target.connectTimeoutMs / 1000} s`;
    else if (code === '28P01' || code === '28000') why = `the server refused the login: ${message}`;
    else if (code === '3D000') why = message; // database "x" does not exist
    else if (/SASL|password must be a string/i.test(message)) why = 'the server wants a password, and none was given (URL, PGPASSWORD or ~/.pgpass)';
    else if (code === '25006') why = 'the server is read-only (a standby?): point the workspace at the primary';
    else why = message;
    const password = this.client.password;
    if (typeof password === 'string' && password) why = why.split(password).join('***'); // belt and braces
    return new RollcallError('WORKSPACE_UNAVAILABLE', `cannot use the PostgreSQL workspace at ${this.hostPort}: ${why}`,
      'check the host, port, database and credentials in the workspace URL (or PGHOST, PGPORT, PGUSER, PGPASSWORD, ~/.pgpass)');
  }

  /** Connection-level failures become WORKSPACE_UNAVAILABLE; everything else passes through as it is. */
  private mapError(err: unknown, reading = false): unknown {
    if (err instanceof RollcallError) return err;
    const code = errCode(err);
    // 25006 in a write: the server is a read-only standby. In a read, it is a write the caller put
    // in a read transaction: a bug to report as it is.
    if (this.lost || (code && (NODE_NET_ERRORS.has(code) || CONNECTION_LOST.test(code) || (code === '25006' && !reading)))
      || /Connection terminated|Client was closed|not queryable/i.test(String((err as Error)?.message))) {
      return this.unavailable(err);
    }
    return err;
  }

  private async metaExists(): Promise<boolean> {
    const r = await this.client.query(
      "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'meta'", [this.target.schema]);
    return r.rows.length > 0;
  }

  private async schemaVersion(): Promise<number | null> {
    if (!(await this.metaExists())) return null;
    const r = await this.client.query("SELECT value FROM meta WHERE key = 'schema_version'");
    return r.rows.length ? Number(r.rows[0].value) : null;
  }

  private async create() {
    const exists = () => fail('ALREADY_EXISTS', `rollcall's tables already exist in schema "${this.target.schema}" of ${this.location}`,
      'use the existing workspace, or pick another database or ?schema=NAME');
    if (await this.metaExists()) exists();
    await this.inTransaction(async () => {
      await this.client.query('SELECT pg_advisory_xact_lock($1)', [lockKey(this.target.schema)]);
      if (await this.metaExists()) exists(); // another init won the race
      const schema = await this.client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [this.target.schema]);
      // Only when missing: CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database.
      if (!schema.rows.length) await this.client.query(`CREATE SCHEMA ${ident(this.target.schema)}`);
      await this.applyMigrations(0);
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
    await this.inTransaction(async () => {
      // Migrations only: every process opening an old workspace tries, one at a time.
      await this.client.query('SELECT pg_advisory_xact_lock($1)', [lockKey(this.target.schema)]);
      await this.applyMigrations((await this.schemaVersion()) ?? 0); // another may have migrated while we waited
    });
  }

  private async applyMigrations(from: number) {
    for (const m of MIGRATIONS.filter((m) => m.version > from)) {
      await this.client.query(m.sql); // several statements: the simple protocol runs them in order
      await this.client.query("INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(m.version)]);
    }
  }

  /** BEGIN … COMMIT around fn, ROLLBACK on any failure. */
  private async inTransaction<T>(fn: () => Promise<T>, begin = 'BEGIN'): Promise<T> {
    try {
      // Inside the try: BEGIN_WRITE is two statements, and a failed lock leaves a transaction to end.
      await this.client.query(begin);
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
      return await this.inTransaction(() => fn(new SqlTx(this.driver)), mode === 'read' ? BEGIN_READ : BEGIN_WRITE);
    } finally {
      this.depth--;
    }
  }

  async read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.depth > 0) return fn(new SqlTx(this.driver)); // one connection per process: join the open transaction
    try {
      return await this.run('read', fn);
    } catch (e) {
      throw this.mapError(e, true);
    }
  }

  async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.depth > 0) {
      // A read-only snapshot cannot take writes; this is a caller's bug, say so plainly.
      if (this.mode === 'read') throw new Error('store.write() called inside store.read(): open the write transaction outermost');
      return fn(new SqlTx(this.driver));
    }
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run('write', fn);
      } catch (e) {
        const code = errCode(e);
        if (e instanceof RollcallError || !code || !RETRYABLE.has(code)) throw this.mapError(e);
        // Lost a race: run the whole transaction again (fn re-reads everything), unless it keeps losing.
        if (attempt >= MAX_WRITE_TRIES || Date.now() - started >= this.busyTimeoutMs) {
          const seconds = Math.round((Date.now() - started) / 1000);
          throw new RollcallError('BUSY', code === '55P03'
            ? `${this.location} is busy: another rollcall has been writing for over ${seconds} s`
            : `${this.location} is busy: other writers kept this change from committing (${attempt} tries in ${seconds} s)`, 'try again');
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
      for (const f of [dest, `${dest}-wal`, `${dest}-shm`]) rmSync(f, { force: true });
      throw e;
    }
  }

  async copyInto(to: Store): Promise<void> {
    const { copyWorkspace } = await import('../copy.js');
    await copyWorkspace(this, to);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.end().catch(() => undefined);
  }
}
