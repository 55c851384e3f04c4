// Per-invocation context: which workspace, who is acting, the clock, the renderer and the IO.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { RollcallError, fail } from '../core/errors.js';
import { fixedClock, systemClock, type Clock } from '../core/clock.js';
import type { Member } from '../core/model.js';
import type { CopyDestination } from '../core/workspace-copy.js';
import { openWorkspace, type Workspace } from '../core/workspace.js';
import { isPostgresUrl, openStore } from '../store/open.js';
import { SQLITE_COMPANIONS, removeSqliteFile } from '../store/sqlite/files.js';
import type { Store } from '../core/store.js';
import type { ActorProof } from '../core/auth/actor.js';
import type { MailAccess } from '../core/mail/port.js';
import { SmtpMailer } from '../mail/smtp.js';
import { headsRecorder } from './audit-heads.js';
import { chooseWorkspace, type WorkspaceChoice } from './contexts.js';
import type { IO } from './io.js';
import { checkOutputPath, type OutputFile } from './output-file.js';
import { Prompts } from './prompts.js';
import { Renderer } from './render.js';
import { loadSession } from './sessions.js';

export interface GlobalOptions {
  workspace?: string;
  /** --context NAME: a named workspace (src/cli/contexts.ts). */
  context?: string;
  json?: boolean;
  yes?: boolean;
  color?: boolean;
  /** A command's own output options (lists.ts: withOutput), checked before it runs. */
  fields?: string;
  csv?: boolean;
  jq?: string;
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

/** The path with every symbolic link resolved, or as given when it does not exist (yet). */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export class Cli {
  readonly render: Renderer;
  readonly prompt: Prompts;
  readonly clock: Clock;
  private store: Store | null = null;
  private workspace: Workspace | null = null;
  private choice: WorkspaceChoice | null = null;

  readonly opts: GlobalOptions;

  constructor(readonly io: IO, given: GlobalOptions) {
    this.opts = given.jq !== undefined ? { ...given, json: true } : given; // --jq filters the JSON output
    const opts = this.opts;
    this.clock = io.env.ROLLCALL_NOW ? fixedClock(io.env.ROLLCALL_NOW) : systemClock;
    const fields = opts.fields?.split(',').map((f) => f.trim()).filter(Boolean);
    this.render = new Renderer(io, !!opts.json, opts.color === false, this.clock.now(), { fields: fields && [...new Set(fields)], csv: opts.csv, jq: opts.jq });
    this.prompt = new Prompts(io, opts);
  }

  /** Whether a write of this command has committed (a --jq failure after it says the change stands). */
  get committed(): boolean {
    return this.workspace?.committed ?? false;
  }

  get interactive(): boolean {
    return this.prompt.interactive;
  }

  /** Which workspace, and why: -w or --context, $ROLLCALL_WORKSPACE, $ROLLCALL_CONTEXT, the current context, ./rollcall.db. */
  get workspaceChoice(): WorkspaceChoice {
    return (this.choice ??= chooseWorkspace(this.io, this.opts));
  }

  /** The workspace acted on: a postgres:// URL, or a file path made absolute. */
  get workspaceName(): string {
    return this.absoluteWorkspace(this.workspaceChoice.workspace);
  }

  /** Whether a workspace string names a PostgreSQL database rather than a file. */
  isPostgresUrl(raw: string): boolean {
    return isPostgresUrl(raw);
  }

  /** A workspace string as a context keeps it: a URL as given, a file path made absolute. */
  absoluteWorkspace(raw: string): string {
    return isPostgresUrl(raw) ? raw : resolve(this.io.cwd, raw);
  }

  /** The workspace acted on, safe to print: a URL without its password. */
  get displayWorkspace(): string {
    return isPostgresUrl(this.workspaceName) ? redactUrl(this.workspaceName) : this.workspaceName;
  }

  /** The key sessions are stored under: the real file path, or the URL without its password. */
  get sessionKey(): string {
    const name = this.workspaceName;
    return isPostgresUrl(name) ? redactUrl(name) : realPath(name);
  }

  /** Whether the workspace is a PostgreSQL database rather than a file. */
  get onPostgres(): boolean {
    return isPostgresUrl(this.workspaceName);
  }

  /**
   * A new SQLite workspace file the command writes (`backup`, `workspace copy`), checked now, before
   * any work, as every output file is (src/cli/output-file.ts); its journals count as part of it.
   * Never the workspace acted on, even with --force.
   */
  workspaceFileOut(name: string, opts: { force?: boolean }): OutputFile {
    if (!this.onPostgres && realPath(resolve(this.io.cwd, name)) === realPath(this.workspaceName)) {
      fail('INVALID_INPUT', `${name} is the workspace itself`, 'write the copy to another file');
    }
    return checkOutputPath(this.io, name, { force: opts.force, companions: SQLITE_COMPANIONS });
  }

  /**
   * Another workspace than the one acted on (`workspace copy`'s destination), for `into(copy)`: a
   * postgres:// URL, created empty when opened (a database is never dropped: it is its owner's), or
   * a file path relative to the working directory, checked now, before any work; the copy is made
   * in a temp file beside it and moved into place once it verifies, so a failed copy leaves nothing.
   */
  otherWorkspace(name: string, opts: { force?: boolean } = {}): { where: string; into<T>(copy: (dest: CopyDestination) => Promise<T>): Promise<T> } {
    if (isPostgresUrl(name)) {
      const open = () => openStore(name, { create: true }).catch((e: unknown) => {
        // The store's hint is init's (use that workspace): a copy wants a new name instead.
        if (!(e instanceof RollcallError) || e.code !== 'ALREADY_EXISTS') throw e;
        throw new RollcallError(e.code, e.message, 'copy into a new database, or a new schema of it with ?schema=NAME: a database is never replaced, even with --force');
      });
      return { where: redactUrl(name), into: (copy) => copy({ open, discard: async () => {} }) };
    }
    const file = this.workspaceFileOut(name, opts);
    return {
      where: file.path,
      into: (copy) => file.produce((temp) => copy({ open: () => openStore(temp, { create: true }), discard: async () => removeSqliteFile(temp) })),
    };
  }

  async open(opts: { create?: boolean } = {}): Promise<Workspace> {
    if (!this.workspace) {
      const recordHeads = headsRecorder(this.io, (line) => this.render.note(line)); // ROLLCALL_AUDIT_HEADS
      this.store = recordHeads(await openStore(this.workspaceName, opts));
      this.workspace = openWorkspace(this.store, this.clock, this.mail);
    }
    return this.workspace;
  }

  /** How this run sends mail: SMTP, where ROLLCALL_SMTP_URL and ROLLCALL_MAIL_FROM win over the workspace's settings. */
  get mail(): MailAccess {
    const env = this.io.env;
    return {
      mailer: new SmtpMailer({ passwordFile: env.ROLLCALL_SMTP_PASSWORD_FILE }),
      overrides: { smtpUrl: env.ROLLCALL_SMTP_URL, mailFrom: env.ROLLCALL_MAIL_FROM },
    };
  }

  /** The workspace and the member acting on it: ROLLCALL_TOKEN first, else the stored session. */
  async signedIn(): Promise<{ ws: Workspace; actor: Member; proof: ActorProof }> {
    const ws = await this.open();
    const token = this.io.env.ROLLCALL_TOKEN?.trim();
    const session = token ? null : loadSession(this.io, this.sessionKey)?.token;
    const proof = { token, session };
    const actor = await ws.signIn(proof);
    return { ws, actor, proof };
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
