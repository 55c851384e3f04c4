// Where a postgres:// workspace lives: the URL taken apart (our ?schema=, libpq's sslmode and
// connect_timeout, the password kept out of every message), and ~/.pgpass for what it leaves out.
import { createRequire } from 'node:module';
import { fail } from '../../core/errors.js';

const DEFAULT_CONNECT_TIMEOUT_S = 10;

export interface Target {
  /** What pg connects with: the URL without our own `schema` parameter. */
  connectionString: string;
  schema: string;
  /** The URL without any password: safe for messages and session keys. */
  location: string;
  connectTimeoutMs: number;
}

/** `new URL` refuses `user@/db` (no host: PG* variables or the default fill it in); parse it as pg does. */
function parseUrl(url: string): URL | null {
  for (const candidate of [url, url.replace('@/', '@__rollcall_nohost__/')]) {
    try {
      return new URL(candidate);
    } catch {
      // try the next form
    }
  }
  return null;
}

function unparse(u: URL): string {
  return u.toString().replace('@__rollcall_nohost__/', '@/');
}

export function parseTarget(url: string, env: NodeJS.ProcessEnv = process.env): Target {
  const u = parseUrl(url);
  if (!u) fail('INVALID_INPUT', 'the workspace is not a valid postgres:// URL', 'postgres://USER@HOST:PORT/DATABASE[?schema=NAME&sslmode=require]');
  const schema = u.searchParams.get('schema') || 'public';
  const timeout = Number(u.searchParams.get('connect_timeout') || env.PGCONNECT_TIMEOUT || DEFAULT_CONNECT_TIMEOUT_S);
  const shown = new URL(u);
  shown.password = '';
  shown.searchParams.delete('password');
  const forPg = new URL(u);
  forPg.searchParams.delete('schema');
  // pg reads sslmode=require as verify-full (and warns about that on stderr); users write libpq
  // URLs, so ask pg for libpq's meaning. PGSSLMODE gets the same treatment through the URL.
  if (!forPg.searchParams.has('sslmode') && env.PGSSLMODE) forPg.searchParams.set('sslmode', env.PGSSLMODE);
  if (forPg.searchParams.has('sslmode') && !forPg.searchParams.has('uselibpqcompat')) forPg.searchParams.set('uselibpqcompat', 'true');
  return {
    connectionString: unparse(forPg),
    schema,
    location: unparse(shown),
    // libpq: 0 means wait forever, and anything below 2 s is raised to 2 s.
    connectTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? Math.max(2, timeout) * 1000 : timeout === 0 ? 0 : DEFAULT_CONNECT_TIMEOUT_S * 1000,
  };
}

/** ~/.pgpass (or PGPASSFILE) for what the URL and PGPASSWORD leave out, through pg's own pgpass module. */
export function pgpassPassword(params: { host?: string; port?: number; database?: string; user?: string }): Promise<string | undefined> {
  // pg would do this itself, but prints a deprecation warning on stderr when it does.
  const pgpass = createRequire(createRequire(import.meta.url).resolve('pg'))('pgpass') as
    (info: object, cb: (pass: string | undefined) => void) => void;
  return new Promise((resolve) => pgpass({ host: params.host, port: params.port, database: params.database, user: params.user }, resolve));
}
