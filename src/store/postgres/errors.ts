// How the PostgreSQL store reads a failure: which are races to retry, which mean the server or the
// connection cannot serve the workspace now (WORKSPACE_UNAVAILABLE), and why, in words for a person.

// Races a retry can win: serialization_failure, deadlock_detected, lock_not_available.
export const RETRYABLE = new Set(['40001', '40P01', '55P03']);
// The server or the connection went away, or it will not take writes (a hot standby).
const CONNECTION_LOST = /^(08|57P0[1-3]$)/;
const NODE_NET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
// Class 53, insufficient resources (disk_full, out_of_memory, too_many_connections…), and
// query_canceled (statement_timeout, or a cancel by someone on the server): the server's limits,
// not rollcall's bugs. Either way the transaction was rolled back.
const SERVER_LIMIT = /^(53...|57014)$/;
// insufficient_privilege: the role may not create or use rollcall's tables there.
const NOT_ALLOWED = '42501';

const CONNECTION_HINT = 'check the host, port, database and credentials in the workspace URL (or PGHOST, PGPORT, PGUSER, PGPASSWORD, ~/.pgpass)';

export function errCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: Array<{ code?: unknown }> };
  if (typeof e?.code === 'string') return e.code;
  // Node 20 tries every address of a name and reports them together.
  const inner = e?.errors?.find((x) => typeof x?.code === 'string')?.code;
  return typeof inner === 'string' ? inner : undefined;
}

/**
 * Whether a failure means the workspace cannot be used now (WORKSPACE_UNAVAILABLE). 25006 in a
 * write: the server is a read-only standby; in a read it is a write the caller put in a read
 * transaction, a bug to report as it is.
 */
export function isUnavailable(err: unknown, reading: boolean): boolean {
  const code = errCode(err);
  return (!!code && (NODE_NET_ERRORS.has(code) || CONNECTION_LOST.test(code) || SERVER_LIMIT.test(code) || code === NOT_ALLOWED || (code === '25006' && !reading)))
    || /Connection terminated|Client was closed|not queryable/i.test(String((err as Error)?.message));
}

/** Why the server cannot serve the workspace, and what to do about it. */
export function whyUnavailable(err: unknown, connectTimeoutMs: number): { why: string; hint: string } {
  const code = errCode(err);
  const message = String((err as Error)?.message ?? err);
  const server = (why: string, hint: string) => ({ why: `${why}; nothing was changed`, hint });
  if (code === '53100') return server('the server is out of disk space', 'free disk space on the database server (or ask its administrator), then run the command again');
  if (code === '53300') return server('the server has too many connections', 'try again later, or ask the database administrator to raise max_connections');
  if (code?.startsWith('53')) return server(`the server is out of resources (${message})`, 'ask the database administrator, then run the command again');
  if (code === '57014' && /statement timeout/i.test(message)) {
    return server("a statement ran longer than the server's statement_timeout and was cancelled",
      'raise statement_timeout for this role or database (ALTER ROLE … SET statement_timeout), or ask the database administrator');
  }
  if (code === '57014') return server(`the server cancelled a statement (${message})`, 'someone cancelled it on the server; run the command again');
  if (code === NOT_ALLOWED) {
    return server(`the server refused: ${message}`,
      "use a role that may create and use tables in the workspace's schema, or ask the database administrator to GRANT it (?schema= picks another schema)");
  }
  let why: string;
  if (code === 'ECONNREFUSED') why = 'connection refused (is the server running, on that port?)';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') why = 'host not found';
  else if (code === 'ETIMEDOUT' || /timeout/i.test(message)) why = `no answer within ${connectTimeoutMs / 1000} s`;
  else if (code === '28P01' || code === '28000') why = `the server refused the login: ${message}`;
  else if (code === '3D000') why = message; // database "x" does not exist
  else if (/SASL|password must be a string/i.test(message)) why = 'the server wants a password, and none was given (URL, PGPASSWORD or ~/.pgpass)';
  else if (code === '25006') why = 'the server is read-only (a standby?): point the workspace at the primary';
  else why = message;
  return { why, hint: CONNECTION_HINT };
}
