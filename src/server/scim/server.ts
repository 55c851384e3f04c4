// `rollcall serve scim`: the SCIM 2.0 server (issue 25) over one workspace, on node:http (node:https
// with --tls-cert/--tls-key). Every request is answered through routes.ts; this file is the server's
// life: listening, reading bodies, one access-log line per request on stderr (never a token or a
// body), /healthz, and a graceful stop (no new connections; requests in flight finish, then close).
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../core/clock.js';
import { RollcallError } from '../../core/errors.js';
import type { Store } from '../../core/store.js';
import type { ProvisioningOptions } from '../../core/scim/users.js';
import { scimRefusal } from '../../core/scim/refusal.js';
import { errorResponse } from './errors.js';
import { route, type Context, type Response } from './routes.js';
import { serialised } from './serial-store.js';

export interface ScimServerOptions extends ProvisioningOptions {
  store: Store;
  clock: Clock;
  host: string;
  port: number;
  /** Where the SCIM endpoints live: `/scim/v2`. */
  basePath: string;
  tls?: { cert: Buffer; key: Buffer };
  /** One access-log line (JSON); the CLI writes it to stderr. */
  log(line: string): void;
}

export interface RunningServer {
  /** `http://127.0.0.1:8080/scim/v2`, with the port chosen when 0 was asked for. */
  readonly url: string;
  /** Stops accepting, lets the requests in flight finish, closes every connection. */
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;
/** How long a stop waits for requests in flight before it closes their connections anyway. */
const STOP_GRACE_MS = 30_000;

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new RollcallError('INVALID_INPUT', `the body is over ${MAX_BODY} bytes`, undefined, undefined, { scimType: 'tooMany' }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return reject(scimRefusal('invalidSyntax', 'the request has no body: it carries a SCIM resource or PatchOp as JSON'));
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(scimRefusal('invalidSyntax', `the body is not JSON: ${(e as Error).message}`));
      }
    });
  });
}

export async function startScimServer(o: ScimServerOptions): Promise<RunningServer> {
  const store = serialised(o.store);
  const base = '/' + o.basePath.split('/').filter(Boolean).join('/');
  let closing = false;
  let inFlight = 0;
  let drained: (() => void) | null = null;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    inFlight++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cx: Context = { store, clock: o.clock, options: { createOrgs: o.createOrgs } };
    let answer: Response;
    let code: string | undefined;
    try {
      if (url.pathname === '/healthz') {
        await store.read((tx) => tx.auditHead()); // the workspace answers
        answer = { status: 200, body: { status: 'ok', queued: store.queued } };
      } else if (url.pathname !== base && !url.pathname.startsWith(base + '/')) {
        throw new RollcallError('NOT_FOUND', `no endpoint ${url.pathname}`, `the SCIM endpoints are under ${base}`);
      } else {
        const proto = o.tls ? 'https' : String(req.headers['x-forwarded-proto'] ?? 'http').split(',')[0].trim();
        const host = req.headers.host ?? `${o.host}:${o.port}`;
        answer = await route(cx, {
          method: (req.method ?? 'GET').toUpperCase(), path: url.pathname.slice(base.length), query: url.searchParams,
          authorization: req.headers.authorization, body: () => readBody(req), base: `${proto}://${host}${base}`,
        });
      }
    } catch (e) {
      const err = errorResponse(e);
      code = err.code;
      if (err.status === 500) o.log(JSON.stringify({ at: new Date().toISOString(), bug: (e as Error)?.stack ?? String(e) }));
      answer = { status: err.status, body: err.body, headers: err.headers };
    }
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const headers: Record<string, string | number> = { ...answer.headers };
    if (text) Object.assign(headers, { 'Content-Type': 'application/scim+json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    if (closing) headers.Connection = 'close';
    if (!req.complete) req.resume(); // an unread body (a refusal before reading it) must not hold the connection
    res.writeHead(answer.status, headers).end(text);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    o.log(JSON.stringify({
      at: new Date().toISOString(), method: req.method, path: url.pathname, status: answer.status, ms: Math.round(ms * 10) / 10,
      actor: cx.actor ?? null, ...(code ? { error: code } : {}),
    }));
    if (--inFlight === 0 && drained) drained();
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e) => {
      if (--inFlight === 0 && drained) drained();
      res.destroy(e as Error);
    });
  };
  const server: Server = o.tls ? createHttps({ cert: o.tls.cert, key: o.tls.key }, listener) : createHttp(listener);
  server.keepAliveTimeout = 65_000; // longer than the usual load balancer's idle timeout (60 s)

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new RollcallError('INVALID_INPUT', `cannot listen on ${o.host}:${o.port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message}`,
      e.code === 'EADDRINUSE' ? 'choose another with --port, or 0 for any free port' : undefined)));
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `${o.tls ? 'https' : 'http'}://${host}:${port}${base === '/' ? '' : base}`,
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const timer = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
        await new Promise<void>((resolve) => { drained = resolve; });
        clearTimeout(timer);
      }
      server.closeIdleConnections();
      await closed;
    },
  };
}
