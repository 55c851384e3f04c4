// Per-invocation context: which workspace, who is acting, the clock, the renderer and the IO.
import { realpathSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { authenticate } from '../core/auth/sign-in.js';
import { fixedClock, systemClock, type Clock } from '../core/clock.js';
import type { Member } from '../core/model.js';
import type { CopyDestination } from '../core/workspace-copy.js';
import { openWorkspace, type Workspace } from '../core/workspace.js';
import { isPostgresUrl, openStore } from '../store/open.js';
import type { Store } from '../core/store.js';
import type { IO } from './io.js';
import { Prompts } from './prompts.js';
import { Renderer } from './render.js';
import { loadSession } from './sessions.js';

export interface GlobalOptions {
  workspace?: string;
  json?: boolean;
  yes?: boolean;
  color?: boolean;
}

/** A URL without its password: safe to print, log or use as a session key. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    u.searchParams.delete('password'); // pg accepts ?password= too
    return u.toString().replace(/:@/, '@');
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1@');
  }
}

/** A SQLite workspace and its WAL files, gone: only for one this command created. */
function removeWorkspaceFile(path: string) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

export class Cli {
  readonly render: Renderer;
  readonly prompt: Prompts;
  readonly clock: Clock;
  private store: Store | null = null;
  private workspace: Workspace | null = null;

  constructor(readonly io: IO, readonly opts: GlobalOptions) {
    this.clock = io.env.ROLLCALL_NOW ? fixedClock(io.env.ROLLCALL_NOW) : systemClock;
    this.render = new Renderer(io, !!opts.json, opts.color === false, this.clock.now());
    this.prompt = new Prompts(io, opts);
  }

  get interactive(): boolean {
    return this.prompt.interactive;
  }

  /** -w/--workspace, else $ROLLCALL_WORKSPACE, else ./rollcall.db. */
  get workspaceName(): string {
    const raw = this.opts.workspace || this.io.env.ROLLCALL_WORKSPACE || 'rollcall.db';
    return isPostgresUrl(raw) ? raw : resolve(this.io.cwd, raw);
  }

  /** The key sessions are stored under: the real file path, or the URL without its password. */
  get sessionKey(): string {
    const name = this.workspaceName;
    if (isPostgresUrl(name)) return redactUrl(name);
    try {
      return realpathSync(name);
    } catch {
      return name;
    }
  }

  /** Whether the workspace is a PostgreSQL database rather than a file. */
  get onPostgres(): boolean {
    return isPostgresUrl(this.workspaceName);
  }

  /**
   * Another workspace than the one acted on (`workspace copy`'s destination): a file path relative
   * to the working directory, or a postgres:// URL, created empty when opened. A file that a failed
   * copy created is removed again; a database is never dropped: it is its owner's.
   */
  otherWorkspace(name: string): CopyDestination & { where: string } {
    const pg = isPostgresUrl(name);
    const target = pg ? name : resolve(this.io.cwd, name);
    return {
      where: pg ? redactUrl(name) : target,
      open: () => openStore(target, { create: true }),
      discard: async () => {
        if (!pg) removeWorkspaceFile(target);
      },
    };
  }

  async open(opts: { create?: boolean } = {}): Promise<Workspace> {
    if (!this.workspace) {
      this.store = await openStore(this.workspaceName, opts);
      this.workspace = openWorkspace(this.store, this.clock);
    }
    return this.workspace;
  }

  /** The workspace and the member acting on it: ROLLCALL_TOKEN first, else the stored session. */
  async signedIn(): Promise<{ ws: Workspace; actor: Member }> {
    const ws = await this.open();
    const token = this.io.env.ROLLCALL_TOKEN?.trim();
    const session = token ? null : loadSession(this.io, this.sessionKey)?.token;
    const actor = await authenticate(ws, { token, session });
    return { ws, actor };
  }

  /** Closes and removes the workspace this command created and could not finish (init). */
  async discardCreated() {
    await this.store?.discard();
    this.store = null;
    this.workspace = null;
  }

  async close() {
    await this.store?.close();
    this.store = null;
    this.workspace = null;
  }
}
