// `rollcall serve scim` as an identity provider meets it: the real bin/rollcall, spawned on a loopback
// port the kernel picks (--port 0; the URL read from its first line), driven with fetch.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { BIN, type World } from './world.js';

export interface ScimServer {
  url: string;
  proc: ChildProcess;
  /** The access log and any other stderr lines so far. */
  stderr: string[];
  /** The exit code once it has exited (null: a signal ended it). */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export async function startServer(w: World, extra: string[] = []): Promise<ScimServer> {
  w.ensureDb();
  const proc = spawn(process.execPath, [BIN, 'serve', 'scim', '--port', '0', ...extra], { env: w.envFor({ token: null }), cwd: w.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  let partial = '';
  proc.stderr!.on('data', (c: Buffer) => {
    const lines = (partial + c.toString('utf8')).split('\n');
    partial = lines.pop()!;
    stderr.push(...lines);
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start in 30 s: ${out}\n${stderr.join('\n')}`)), 30_000);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /Listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    exited.then((code) => reject(new Error(`the server exited (${code}) before listening: ${out}\n${stderr.join('\n')}`)));
  });
  return {
    url, proc, stderr, exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** One request as a provider sends it: SCIM JSON, a bearer token unless `token` is null. */
export async function scim(server: ScimServer, method: string, path: string, opts: { token?: string | null; body?: unknown; raw?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/scim+json' };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined || opts.raw !== undefined) headers['Content-Type'] = 'application/scim+json';
  const res = await fetch(server.url + path, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/**
 * A POST whose body arrives in two parts, `pause` apart: a request in flight for as long as the
 * caller likes. `midway` runs between the parts (e.g. sends SIGTERM).
 */
export function slowPost(server: ScimServer, path: string, token: string, body: unknown, midway: () => Promise<void>): Promise<{ status: number; body: any }> {
  const text = JSON.stringify(body);
  const url = new URL(server.url + path);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: {
      Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json', 'Content-Length': Buffer.byteLength(text),
    } }, (res) => {
      let out = '';
      res.on('data', (c) => { out += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body: out ? JSON.parse(out) : null }));
    });
    req.on('error', reject);
    req.write(text.slice(0, 10));
    req.flushHeaders();
    midway().then(() => req.end(text.slice(10)), reject);
  });
}

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export function user(email: string, extra: Record<string, unknown> = {}) {
  return { schemas: [USER], userName: email, name: { givenName: email.split('@')[0], familyName: 'Test' }, active: true, ...extra };
}

export function patch(...Operations: unknown[]) {
  return { schemas: [PATCH_OP], Operations };
}
