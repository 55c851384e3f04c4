// Everything that asks a person (SPEC §10): values a command is missing, secrets, confirmations,
// the lists a person chooses from, and the spinner. Only at a terminal; elsewhere a missing value is
// USAGE naming its flag, so that a script never hangs. @inquirer/prompts and ora load only when used.
import { listRoles } from '../core/access/role-commands.js';
import { scopeArity } from '../core/access/permissions.js';
import { fail } from '../core/errors.js';
import { transferCandidates } from '../core/groups.js';
import type { Member } from '../core/model.js';
import { listOrgs } from '../core/orgs/chart.js';
import type { Workspace } from '../core/workspace.js';
import { interactive, stdinLines, type IO } from './io.js';
import { clean } from './render.js';

export interface Choice {
  value: string;
  name?: string;
  description?: string;
}

export interface Placement {
  role?: string;
  scope?: string[];
  org?: string;
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

export class Prompts {
  constructor(private readonly io: IO, private readonly opts: { yes?: boolean; json?: boolean }) {}

  /** Standard input and output are a terminal, and this is not CI. */
  get interactive(): boolean {
    return interactive(this.io);
  }

  /** Where prompts read and write: the injected streams, so tests can drive them. */
  private get context() {
    return { input: this.io.stdin, output: this.io.stdout as NodeJS.WritableStream };
  }

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
    const answer = await input({ message: label(what), default: opts.default, required: true, validate: validator(opts.check, (v) => v.trim()) }, this.context);
    return answer.trim();
  }

  /** One of a list: from its flag, else chosen at a terminal; USAGE naming the flag otherwise. */
  async choose(value: string | undefined, flag: string, what: string, choices: Choice[], fallback?: string): Promise<string> {
    if (value !== undefined) return value;
    if (!this.interactive && fallback !== undefined) return fallback;
    this.needTerminal(flag, what);
    if (!choices.length) fail('USAGE', `missing ${flag} (${what}), and there is nothing to choose from`);
    const { select } = await import('@inquirer/prompts');
    return select({ message: label(what), choices, default: fallback, pageSize: 12 }, this.context);
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
    const value = await password({ message: label(what), mask: '*', validate: validator(opts.check) }, this.context);
    if (opts.confirm) {
      const again = await password({ message: `Repeat the ${what}:`, mask: '*' }, this.context);
      if (again !== value) fail('INVALID_INPUT', `the two ${what}s differ`);
    }
    return value;
  }

  /**
   * Irreversible or mass-destructive work: --yes, or a confirmation at a terminal that first shows
   * `preview` (if any) and lists what will be lost (on stderr: stdout stays results only). Neither is
   * shown when nobody is asked: with --yes, or refused for want of it.
   */
  async confirm(question: string, what: string, lost: readonly string[] = [], preview?: () => void): Promise<void> {
    if (this.opts.yes) return;
    if (!this.interactive) fail('USAGE', `${what} needs --yes when not run at a terminal`);
    preview?.();
    if (lost.length) {
      const shown = lost.slice(0, 20).map((line) => `  - ${clean(line)}`);
      if (lost.length > 20) shown.push(`  … and ${lost.length - 20} more`);
      this.io.stderr.write(`This will remove:\n${shown.join('\n')}\n`);
    }
    const { confirm } = await import('@inquirer/prompts');
    if (!(await confirm({ message: question, default: false }, this.context))) fail('USAGE', 'cancelled: nothing was changed');
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

  /**
   * A role from the list, a scope when that role needs one, and a primary org from the tree: asked
   * only for what the flags left out, and only at a terminal (else the defaults stand). Read as the
   * acting member, so a prompt never offers what that member may not see.
   */
  async placement(ws: Workspace, actor: Member, given: Placement): Promise<Placement> {
    if (!this.interactive) return given;
    const { roles, orgs } = await ws.read(actor, async (s) => ({ roles: await listRoles(s), orgs: await listOrgs(s) }));
    const role = await this.choose(given.role, '--role', 'role', roles.map((r) => ({ value: r.name, description: r.permissions.join(', ') })), 'viewer');
    let scope = given.scope;
    if (!scope?.length && scopeArity(role).min > 0 && orgs.length) {
      scope = [await this.choose(undefined, '--scope', `org the ${role} role applies to`, orgs.map((o) => ({ value: o.path })))];
    }
    let org = given.org;
    if (org === undefined && orgs.length) {
      org = (await this.choose(undefined, '--org', 'primary org', [{ value: '', name: '(none)' }, ...orgs.map((o) => ({ value: o.path }))], '')) || undefined;
    }
    return { role, scope, org };
  }

  /** The group's new owner: from --to, else chosen at a terminal among its active admins other than the owner. */
  async newOwner(ws: Workspace, actor: Member, group: string, given: string | undefined, override: boolean): Promise<string> {
    if (given !== undefined) return given;
    if (override || !this.interactive) return this.ask(undefined, '--to', 'the new owner');
    const candidates = (await ws.read(actor, (s) => transferCandidates(s, group))).map((email) => ({ value: email }));
    return this.choose(undefined, '--to', 'new owner (an active group admin)', candidates);
  }
}
