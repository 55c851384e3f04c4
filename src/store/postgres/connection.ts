// A PostgreSQL store's one connection: made from the workspace URL, set up for the workspace
// (its schema, the lock wait), replaced when lost, and what is said when it cannot be used.
import pg from 'pg';
import { RollcallError, fail } from '../../core/errors.js';
import { PG_TYPES, PgDriver } from './driver.js';
import { whyUnavailable } from './errors.js';
import { pgpassPassword, type Target } from './target.js';

/** A quoted SQL identifier. */
export const ident = (name: string) => '"' + name.replace(/"/g, '""') + '"';

/** A client for the target, not yet connected. */
function newClient(target: Target): pg.Client {
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
  return client;
}

export class PgConnection {
  client: pg.Client;
  driver: PgDriver;
  /** Set when the connection dies, or a transaction finds the server unusable: the next transaction connects again. */
  lost: Error | null = null;

  constructor(private readonly target: Target, private readonly busyTimeoutMs: number) {
    this.client = newClient(target);
    this.driver = new PgDriver(this.client);
  }

  /** Connects the client and sets the session up; WORKSPACE_UNAVAILABLE when it cannot connect. */
  async connect(): Promise<void> {
    const client = this.client;
    // Without a listener an idle disconnect would crash the process; a client replaced since is no news.
    client.on('error', (e) => { if (this.client === client) this.lost = e; });
    try {
      await client.connect();
    } catch (e) {
      // pg leaves the socket open when it gives up mid-login (no password to send): the server
      // would hold that backend until authentication_timeout (60 s), blocking e.g. DROP DATABASE.
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      throw this.unavailable(e);
    }
    try {
      // lock_timeout: a writer stuck behind another for this long gives up (BUSY) rather than hang.
      await client.query(`SET search_path TO ${ident(this.target.schema)}; SET lock_timeout = '${this.busyTimeoutMs}ms'`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
  }

  /**
   * A new connection in place of one that was lost (a server restart, a failover, an idle
   * connection cut), before a transaction begins: a process that outlives its connection (serve
   * scim) fails the transaction that found it gone, and the next one connects again. The schema
   * was checked when the store opened; a server that comes back with another workspace is not
   * looked for.
   */
  async reconnect(): Promise<void> {
    if (!this.lost) return;
    const old = this.client;
    this.client = newClient(this.target);
    this.driver = new PgDriver(this.client);
    this.lost = null;
    old.end().catch(() => undefined);
    await this.connect().catch((e: unknown) => {
      this.lost = e as Error; // still down: the next transaction tries again
      throw e;
    });
  }

  private get hostPort(): string {
    const { host, port } = this.client;
    return host?.startsWith('/') ? `${host} (port ${port})` : `${host?.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** WORKSPACE_UNAVAILABLE naming host and port, never the password. */
  unavailable(err: unknown): RollcallError {
    let { why, hint } = whyUnavailable(err, this.target.connectTimeoutMs);
    const password = this.client.password;
    if (typeof password === 'string' && password) why = why.split(password).join('***'); // belt and braces
    return new RollcallError('WORKSPACE_UNAVAILABLE', `cannot use the PostgreSQL workspace at ${this.hostPort}: ${why}`, hint);
  }

  async end(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
