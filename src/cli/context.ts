// Per-invocation context: which workspace, who is acting, the clock, the renderer and the IO.
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { authenticate } from '../core/auth/sign-in.js';
import { fixedClock, systemClock, type Clock } from '../core/clock.js';
import { fail } from '../core/errors.js';
import type { Member } from '../core/model.js';
import type { Workspace } from '../core/workspace.js';
import { openWorkspace } from '../core/workspace.js';
import { isPostgresUrl, openStore } from '../store/open.js';
import type { Store } from '../core/store.js';
import { interactive, stdinLines, type IO } from './io.js';
import { Renderer, clean } from './render.js';
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

/** A prompt's message: "email address" → "Email address:". */
function label(what: string): string {
  return `${what[0].toUpperCase()}${what.slice(1)}:`;
}

/** A prompt validator from a check that throws the command's own error: its message is shown, and the question asked again. */
function validator(check: ((v: string) => unknown) | undefined, prepare: (v: string) => string = (v) => v) {
  return (v: string): true | string => {
    try {
      check?.(prepare(v));
      return true;
    } catch (e) {
      return (e as Error).message;
    }
  };
}

export class Cli {
  readonly render: Renderer;
  readonly clock: Clock;
  private store: Store | null = null;
  private workspace: Workspace | null = null;

  constructor(readonly io: IO, readonly opts: GlobalOptions) {
    this.clock = io.env.ROLLCALL_NOW ? fixedClock(io.env.ROLLCALL_NOW) : systemClock;
    this.render = new Renderer(io, !!opts.json, opts.color === false, this.clock.now());
  }

  get interactive(): boolean {
    return interactive(this.io);
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

  /** Where prompts read and write: the injected streams, so tests can drive them. */
  private get promptContext() {
    return { input: this.io.stdin, output: this.io.stdout as NodeJS.WritableStream };
  }

  /** Prompts only at a terminal; elsewhere a missing value is USAGE naming the flag (SPEC §10). */
  private needTerminal(flag: string, what: string): void {
    if (!this.interactive) fail('USAGE', `missing ${flag} (${what})`, 'give it on the command line; at a terminal rollcall asks for it');
  }

  /**
   * A value from its flag or argument, else at a terminal from a prompt, checked as it is typed
   * (`check` throws the same error the command would).
   */
  async ask(value: string | undefined, flag: string, what: string, opts: { check?: (v: string) => unknown; default?: string } = {}): Promise<string> {
    if (value !== undefined) return value;
    this.needTerminal(flag, what);
    const { input } = await import('@inquirer/prompts');
    const answer = await input({ message: label(what), default: opts.default, required: true, validate: validator(opts.check, (v) => v.trim()) }, this.promptContext);
    return answer.trim();
  }

  /** One of a list: from its flag, else chosen at a terminal; USAGE naming the flag otherwise. */
  async choose(value: string | undefined, flag: string, what: string, choices: Array<{ value: string; name?: string; description?: string }>, fallback?: string): Promise<string> {
    if (value !== undefined) return value;
    if (!this.interactive && fallback !== undefined) return fallback;
    this.needTerminal(flag, what);
    if (!choices.length) fail('USAGE', `missing ${flag} (${what}), and there is nothing to choose from`);
    const { select } = await import('@inquirer/prompts');
    return select({ message: label(what), choices, default: fallback, pageSize: 12 }, this.promptContext);
  }

  /**
   * A secret from standard input (one line per secret, in order) or, at a terminal, a hidden prompt.
   * Without either, USAGE: a script must never hang waiting for input.
   */
  async secret(what: string, fromStdin: boolean, index = 0, opts: { confirm?: boolean; check?: (v: string) => unknown } = {}): Promise<string> {
    if (fromStdin) {
      const lines = await stdinLines(this.io);
      const value = lines[index];
      if (value === undefined || value === '') fail('USAGE', `standard input has no ${what} (line ${index + 1})`);
      return value;
    }
    if (!this.interactive) fail('USAGE', `no ${what}: pass --password-stdin and write it on standard input`);
    const { password } = await import('@inquirer/prompts');
    const value = await password({ message: label(what), mask: '*', validate: validator(opts.check) }, this.promptContext);
    if (opts.confirm) {
      const again = await password({ message: `Repeat the ${what}:`, mask: '*' }, this.promptContext);
      if (again !== value) fail('INVALID_INPUT', `the two ${what}s differ`);
    }
    return value;
  }

  /**
   * Irreversible or mass-destructive work: --yes, or a confirmation at a terminal that first lists
   * what will be lost (on stderr: stdout stays results only).
   */
  async confirm(question: string, what: string, lost: readonly string[] = []): Promise<void> {
    if (this.opts.yes) return;
    if (!this.interactive) fail('USAGE', `${what} needs --yes when not run at a terminal`);
    if (lost.length) {
      const shown = lost.slice(0, 20).map((line) => `  - ${clean(line)}`);
      if (lost.length > 20) shown.push(`  … and ${lost.length - 20} more`);
      this.io.stderr.write(`This will remove:\n${shown.join('\n')}\n`);
    }
    const { confirm } = await import('@inquirer/prompts');
    if (!(await confirm({ message: question, default: false }, this.promptContext))) fail('USAGE', 'cancelled: nothing was changed');
  }

  /**
   * A spinner on stderr for long work, only at a terminal: stdout stays results only, and scripts
   * never see it. Returns a stop function.
   */
  async spinner(text: string): Promise<(final?: string) => void> {
    if (!this.io.stderr.isTTY || this.opts.json) return () => {};
    const { default: ora } = await import('ora');
    const s = ora({ text, stream: this.io.stderr as NodeJS.WritableStream }).start();
    return (final) => (final ? s.succeed(final) : s.stop());
  }

  async close() {
    await this.store?.close();
    this.store = null;
    this.workspace = null;
  }
}
