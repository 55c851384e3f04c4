// Black-box harness for the end-to-end tests: runs the built CLI (bin/rollcall's bundle) as a
// user or a CI job would, against a throwaway workspace. Modelled on ../shared/conformance/lib.mjs.
//
// Backends: ROLLCALL_TEST_BACKEND=pg runs every World on PostgreSQL (ROLLCALL_TEST_PG is a server
// URL without a database, e.g. postgres://postgres@127.0.0.1:5432; each World gets a fresh
// database); anything else uses a SQLite file in a temp dir.
//
// In process or as a process: by default a run calls `main(argv, io)` of the built bundle
// (dist/rollcall.cjs, the very file bin/rollcall loads) inside the test worker, with its own
// environment, streams and working directory, so a run costs milliseconds instead of a Node
// start-up. Runs in one worker are serialised (a SQLite writer waiting on a lock would block the
// event loop its peer needs). Tests about processes (signals, races between writers, exit on a
// closed pipe, a terminal) pass `spawn: true` or construct `new World({ spawn: true })`, and
// ROLLCALL_TEST_SPAWN=1 spawns bin/rollcall for every run, as CI's smoke pass does.
//
// Speed: `init()` without arguments copies a workspace initialised once per test file (a file copy,
// or CREATE DATABASE … TEMPLATE on PostgreSQL) instead of running `rollcall init` again, so a test
// can afford its own World. `init([...flags])` or `init([], { real: true })` runs the real command.
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { afterAll, expect, inject } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** bin/rollcall: the global setup's snapshot of the freshly built CLI, else the checkout's own. */
export const BIN = inject('rollcallBin') || join(ROOT, 'bin', 'rollcall');
/** Every run spawns bin/rollcall (ROLLCALL_TEST_SPAWN=1), instead of calling the bundle in-process. */
export const SPAWN_ALL = process.env.ROLLCALL_TEST_SPAWN === '1';
export const T0 = '2030-01-07T09:00:00.000Z';
export const ADMIN = 'alice@acme.example';
export const PW = 'Adm1nPassw0rd!';

export const BACKEND: 'pg' | 'sqlite' = process.env.ROLLCALL_TEST_BACKEND === 'pg' ? 'pg' : 'sqlite';
export const PG_SERVER = (process.env.ROLLCALL_TEST_PG || 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An instant relative to T0 (or `from`): '+8d', '+12h', '-1d', '+30m', '+90s'. */
export function at(offset: string, from = T0): string {
  const m = /^([+-])(\d+)([dhms])$/.exec(offset);
  if (!m) throw new Error(`bad offset ${offset}`);
  const unit = { d: DAY, h: HOUR, m: 60_000, s: 1000 }[m[3] as 'd' | 'h' | 'm' | 's'];
  return new Date(Date.parse(from) + (m[1] === '-' ? -1 : 1) * Number(m[2]) * unit).toISOString();
}

// ---------------------------------------------------------------- results

export interface ErrorBody {
  code: string;
  message: string;
  hint: string | null;
}

export interface Result {
  args: string[];
  code: number;
  out: string;
  err: string;
  /** stdout parsed as JSON (throws with the run's output when it is not JSON). */
  json<T = any>(): T;
  /** The error code from `error[CODE]` or a JSON error line on stderr, else null. */
  errCode(): string | null;
  /** The JSON error object from stderr (for --json runs), else null. */
  error(): ErrorBody | null;
}

export function describeRun(r: Result): string {
  const cut = (s: string) => (s.length > 800 ? s.slice(0, 800) + '…' : s);
  return `rollcall ${r.args.map((a) => (/\s/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ')} → exit ${r.code}\n  stdout: ${cut(r.out)}\n  stderr: ${cut(r.err)}`;
}

export function makeResult(args: string[], code: number, out: string, err: string): Result {
  const r: Result = {
    args, code, out, err,
    json() {
      try {
        return JSON.parse(out);
      } catch {
        throw new Error(`stdout is not JSON:\n${describeRun(r)}`);
      }
    },
    error() {
      for (const line of err.split('\n').reverse()) {
        if (!line.trim()) continue;
        try {
          const e = JSON.parse(line).error;
          if (e && typeof e === 'object') return e as ErrorBody;
        } catch { /* not JSON */ }
      }
      return null;
    },
    errCode() {
      const e = r.error();
      if (e) return e.code;
      const m = /error\[([A-Z_]+)\]/.exec(err);
      return m ? m[1] : null;
    },
  };
  return r;
}

/** The run succeeded (exit 0); returns it for chaining. */
export function expectOk(r: Result): Result {
  expect(r.code, describeRun(r)).toBe(0);
  return r;
}

/** The run failed with this exit status and error code, and printed nothing on stdout. */
export function expectError(r: Result, exit: number, code?: string | null): Result {
  expect({ exit: r.code, code: r.errCode() }, describeRun(r)).toEqual({ exit, code: code === undefined ? r.errCode() : code });
  expect(r.out, `nothing on stdout for an error\n${describeRun(r)}`).toBe('');
  return r;
}

/** A stack trace line on stderr: "    at fn (file.js:12:34)" or "    at file.mjs:1:2". */
export const STACK = /^\s+at .+:\d+:\d+\)?$/m;

// ---------------------------------------------------------------- backends

let dbSeq = 0;
function pgName(): string {
  return `rct_${process.pid}_${++dbSeq}_${randomBytes(3).toString('hex')}`;
}

function psql(url: string, query: string) {
  return spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', query], { encoding: 'utf8', maxBuffer: 1 << 30 });
}

/**
 * PostgreSQL 15+ copies a template's files (FILE_COPY) in 0.16 s where its default (WAL_LOG, every
 * block through the WAL) takes 0.23 s, for every World of the PostgreSQL pass; older servers know
 * no strategy, and are asked without one.
 */
let fileCopy = true;

/** CREATE DATABASE on the test server; a template may be briefly busy while a CLI disconnects. */
function pgCreate(name: string, template?: string) {
  for (let attempt = 0; ; attempt++) {
    const r = psql(`${PG_SERVER}/postgres`, `create database ${name}${template ? ` template ${template}${fileCopy ? ' strategy file_copy' : ''}` : ''}`);
    if (r.status === 0) return;
    if (fileCopy && template && /strategy/i.test(r.stderr)) {
      fileCopy = false;
      continue;
    }
    if (attempt >= 20 || !/being accessed by other users/.test(r.stderr)) {
      throw new Error(`create database ${name} failed (is a server running at ROLLCALL_TEST_PG?): ${r.stderr}`);
    }
    spawnSync('sleep', ['0.1']);
  }
}

// Temp dirs are removed when the test file is done (ROLLCALL_TEST_KEEP=1 keeps them for a post-mortem).
// Registered at import time, so it runs after each file that uses the harness.
const createdDirs: string[] = [];
afterAll(() => {
  if (process.env.ROLLCALL_TEST_KEEP === '1') return;
  for (const d of createdDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  template = null;
});

interface Template {
  ws: string;
  db: string | null; // the PostgreSQL database name
  token: string;
}
let template: Promise<Template> | null = null;

/** A workspace initialised once per test file (per worker process): what init() copies. */
function getTemplate(): Promise<Template> {
  template ??= (async () => {
    const w = new World();
    await w.init([], { real: true });
    return { ws: w.ws, db: w.dbName, token: w.token! };
  })();
  // A failed template is not cached: the next test tries again rather than failing the same way.
  template.catch(() => { template = null; });
  return template;
}

// ---------------------------------------------------------------- the world

export interface RunOptions {
  input?: string;
  /** Extra environment; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Whose config dir (stored sessions) to use: 'admin' by default. */
  actor?: string;
  /** ROLLCALL_TOKEN: undefined means the admin's token for actor 'admin', none otherwise; null means none. */
  token?: string | null;
  /** ROLLCALL_NOW for this run only. */
  now?: string;
  /** Spawn bin/rollcall for this run even when the World runs in-process. */
  spawn?: boolean;
  /** Spawn it as this user id, in the group of the same id (needs root): tests about file permissions. */
  uid?: number;
}

// ---------------------------------------------------------------- in-process runs

type Main = (argv: string[], io: unknown) => Promise<number>;
let bundledMain: Main | null = null;
let inProcessQueue: Promise<unknown> = Promise.resolve();

/** Runs the bundle's main() with this environment, input and cwd; one run at a time per worker. */
function runInProcess(args: string[], env: Record<string, string>, input: string | Buffer, cwd: string): Promise<Result> {
  bundledMain ??= (createRequire(import.meta.url)(join(dirname(BIN), '..', 'dist', 'rollcall.cjs')) as { main: Main }).main;
  const main = bundledMain;
  const run = inProcessQueue.then(async () => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sink = (into: Buffer[]) => ({
      isTTY: false,
      write(chunk: string | Uint8Array) {
        into.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
        return true;
      },
    });
    const stdin = Readable.from(input.length ? [Buffer.from(input)] : []);
    const code = await main(args, { stdout: sink(out), stderr: sink(err), stdin, env, cwd });
    return makeResult(args, code, Buffer.concat(out).toString('utf8'), Buffer.concat(err).toString('utf8'));
  });
  inProcessQueue = run.catch(() => {});
  return run;
}

export class World {
  readonly dir: string;
  /** The workspace: a SQLite file path, or a postgres:// URL. */
  ws: string;
  /** The PostgreSQL database name (pg backend), else null. */
  readonly dbName: string | null;
  private dbCreated = false;
  /** ROLLCALL_NOW for every run. */
  now = T0;
  /** The admin's API token once initialised: runs as 'admin' use it unless told otherwise. */
  token: string | null = null;

  /** Spawn bin/rollcall for every run of this World (process-level tests). */
  readonly spawn: boolean;

  constructor(opts: { spawn?: boolean } = {}) {
    this.spawn = SPAWN_ALL || !!opts.spawn;
    this.dir = mkdtempSync(join(tmpdir(), 'rc-test-'));
    createdDirs.push(this.dir);
    if (BACKEND === 'pg') {
      this.dbName = pgName();
      this.ws = `${PG_SERVER}/${this.dbName}`;
    } else {
      this.dbName = null;
      this.ws = join(this.dir, 'ws.db');
    }
  }

  /** A fresh World with the standard workspace (Acme, acme.example, admin alice with PW and a token). */
  static async ready(opts: { spawn?: boolean } = {}): Promise<World> {
    return new World(opts).init();
  }

  get isPg(): boolean {
    return this.ws.startsWith('postgres');
  }

  /** On PostgreSQL the workspace is an (empty) database that must exist before the CLI connects. */
  ensureDb() {
    if (this.dbName && !this.dbCreated && this.isPg) {
      pgCreate(this.dbName);
      this.dbCreated = true;
    }
  }

  cfg(actor = 'admin'): string {
    return join(this.dir, 'cfg-' + actor.replace(/[^A-Za-z0-9._-]/g, '_'));
  }

  /** The environment a run sees: this World's workspace, config dir, clock and token, plus opts.env. */
  envFor(opts: RunOptions = {}): Record<string, string> {
    const actor = opts.actor ?? 'admin';
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('ROLLCALL_')) env[k] = v;
    Object.assign(env, {
      ROLLCALL_WORKSPACE: this.ws,
      ROLLCALL_CONFIG_DIR: this.cfg(actor),
      ROLLCALL_NOW: opts.now ?? this.now,
      NO_COLOR: '1',
      CI: 'true',
    });
    const token = opts.token === undefined ? (actor === 'admin' ? this.token : null) : opts.token;
    if (token) env.ROLLCALL_TOKEN = token;
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  }

  async run(args: string[], opts: RunOptions = {}): Promise<Result> {
    this.ensureDb();
    const env = this.envFor(opts);
    if (!this.spawn && !opts.spawn && opts.uid === undefined) return runInProcess(args, env, opts.input ?? '', this.dir);
    const r = await execa(process.execPath, [BIN, ...args], {
      ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
      env, extendEnv: false, input: opts.input ?? '', cwd: this.dir, reject: false, stripFinalNewline: false,
      timeout: 60_000, maxBuffer: 1 << 28, encoding: 'utf8',
    });
    if (r.timedOut) throw new Error(`rollcall ${args.join(' ')} timed out`);
    return makeResult(args, r.exitCode ?? -1, String(r.stdout ?? ''), String(r.stderr ?? ''));
  }

  /**
   * Makes this World's workspace: a copy of the per-file template (fast), or with flags or
   * `real: true` the real `rollcall init` (name Acme, domain acme.example, admin alice / PW).
   * Either way the admin gets an API token, used by default for runs as 'admin'.
   */
  async init(extra: string[] = [], opts: { real?: boolean } = {}): Promise<this> {
    if (extra.length || opts.real) {
      const r = await this.run(['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', ADMIN, '--admin-name', 'Alice Admin', '--password-stdin', ...extra],
        { input: PW + '\n', token: null });
      expectOk(r);
      const t = await this.run(['token', 'create', '--name', 'test-admin', '--expires-in', '3000d', '--json'], { token: null });
      expectOk(t);
      this.token = t.json().token;
      expect(this.token, describeRun(t)).toMatch(/^rc_/);
      return this;
    }
    const t = await getTemplate();
    this.copyFrom(t.ws, t.db);
    this.token = t.token;
    return this;
  }

  /** Makes this World's workspace a byte copy of another: the file and its WAL, or CREATE DATABASE … TEMPLATE. */
  private copyFrom(ws: string, db: string | null) {
    if (this.isPg) {
      pgCreate(this.dbName!, db!);
      this.dbCreated = true;
    } else {
      copyFileSync(ws, this.ws);
      if (existsSync(ws + '-wal')) copyFileSync(ws + '-wal', this.ws + '-wal');
      chmodSync(this.ws, 0o600);
    }
  }

  /**
   * A new World holding a byte copy of this workspace, somewhere else: the file (and its WAL)
   * copied into another directory, or CREATE DATABASE … TEMPLATE on PostgreSQL. The same
   * workspace, elsewhere; the admin's token works in it too.
   */
  copy(): World {
    const other = new World({ spawn: this.spawn });
    other.copyFrom(this.ws, this.dbName);
    other.now = this.now;
    other.token = this.token;
    return other;
  }

  /** Adds a member (as the admin) and makes it active with a known password, which it returns. */
  async activeMember(email: string, name: string, role = 'viewer', extra: string[] = []): Promise<string> {
    const a = expectOk(await this.run(['member', 'add', email, '--name', name, '--role', role, ...extra, '--json']));
    const tmp: unknown = a.json().temporaryPassword;
    expect(typeof tmp === 'string' && tmp.length >= 10, `no temporaryPassword in member add --json\n${describeRun(a)}`).toBe(true);
    const pw = 'Passw0rd' + name.replace(/[^A-Za-z]/g, '').slice(0, 6) + '!';
    expectOk(await this.run(['passwd', email, '--password-stdin'], { input: `${tmp}\n${pw}\n`, actor: email, token: null }));
    return pw;
  }

  /** Adds a member (as the admin) and returns its temporary password. */
  async invitedMember(email: string, name: string, extra: string[] = []): Promise<string> {
    const a = expectOk(await this.run(['member', 'add', email, '--name', name, ...extra, '--json']));
    return a.json().temporaryPassword as string;
  }

  /** Signs `email` in: its session is stored in its own config dir, used by as(email, …). */
  async loginAs(email: string, pw: string): Promise<void> {
    expectOk(await this.run(['login', email, '--password-stdin'], { input: pw + '\n', actor: email, token: null }));
  }

  /** Runs as `email` through its stored session (no token). */
  as(email: string, args: string[], opts: RunOptions = {}): Promise<Result> {
    return this.run(args, { ...opts, actor: email, token: null });
  }

  /** `member show TARGET --json` as the admin. */
  async member(target: string): Promise<any> {
    return expectOk(await this.run(['member', 'show', target, '--json'])).json();
  }

  /** `member list --json` (with filters) as the admin: the emails, sorted. */
  async emails(filters: string[] = []): Promise<string[]> {
    const list = expectOk(await this.run(['member', 'list', ...filters, '--json'])).json() as Array<{ email: string }>;
    return list.map((m) => m.email).sort();
  }

  /** Runs SQL on the workspace's own database (sqlite3 or psql); returns stdout, trimmed. */
  sql(query: string): string {
    const r = this.isPg ? psql(this.ws, query) : spawnSync('sqlite3', [this.ws, query], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`sql failed (${query}): ${r.stderr}`);
    return (r.stdout || '').trim();
  }

  /** Everything stored in the workspace, as text. */
  dump(): string {
    const r = this.isPg
      ? spawnSync('pg_dump', ['--data-only', this.ws], { encoding: 'utf8', maxBuffer: 1 << 30 })
      : spawnSync('sqlite3', [this.ws, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`dump failed: ${r.stderr}`);
    return r.stdout || '';
  }

  /** Writes a file in the World's directory; returns its path. */
  file(name: string, content: string | Buffer): string {
    const p = join(this.dir, name);
    writeFileSync(p, content);
    return p;
  }
}
