// `rollcall __complete WORD… CURRENT`: what the completion scripts (bash, zsh, fish) call, with the
// words typed after `rollcall`, the last one being completed (possibly empty). Prints one candidate
// a line, `VALUE<TAB>DESCRIPTION`, and `:files` as the last line when the shell should complete file
// names instead. Reads the command tree from the program itself, so new commands and options
// complete without a change here; values come from this table (by command, then by name), from an
// option's own choices, and from the workspace (live.ts). Never an error, never a word on stderr.
import type { Command, Option } from 'commander';
import { PERMISSIONS } from '../../../core/access/permissions.js';
import { STATUSES } from '../../../core/model.js';
import { SETTING_KEYS } from '../../../core/settings.js';
import { exportFormatNames, rosterFormatNames } from '../../../core/roster/formats/index.js';
import type { GlobalOptions } from '../../context.js';
import { readContexts } from '../../contexts.js';
import type { IO } from '../../io.js';
import { HELP_TOPICS } from '../../help-topics.js';
import { liveValues, type Candidate, type LiveKind } from './live.js';

type Kind = LiveKind | 'email+role' | 'context' | 'files' | readonly string[];

const GROUP_ROLES = ['admin', 'member'];

/** By `command path` + slot (`--option` or `<argument>`), then by `noun` + slot, then by slot alone. */
const KINDS: Record<string, Kind | null> = {
  'member add <email>': null, 'invite issue <email>': null, 'init --admin': null,
  'member restore <targets>': 'email:deleted', 'member purge <targets>': 'email:deleted', 'member unsuspend <targets>': 'email:suspended',
  'member restore --by': 'email', 'member update --2fa': ['on', 'off'],
  'group <name>': 'group', 'group create <name>': null, 'group update --name': null,
  'group set-role <role>': GROUP_ROLES, 'group add-member --role': GROUP_ROLES,
  'role <name>': 'role', 'role create <name>': null, 'role set <targets-and-role>': 'email+role',
  'org rename <new-name>': null,
  'token revoke <id-or-name>': 'token', 'invite accept <token>': null,
  'context <name>': 'context', 'context add <name>': null,
  'workspace set <key>': SETTING_KEYS, 'workspace copy <dest>': 'files', 'mail test <address>': 'email',
  'apply --format': rosterFormatNames(), 'export --format': exportFormatNames(), 'org tree --format': ['text', 'dot', 'mermaid'],
  'roster validate --format': rosterFormatNames(), '--plan-format': ['text', 'json', 'markdown'],
  'can <permission>': PERMISSIONS, 'completion <shell>': ['bash', 'zsh', 'fish'],
  '<email>': 'email', '<target>': 'email', '<targets>': 'email', '<path>': 'org', '<new-parent>': 'org', '<role>': 'role',
  '<file>': 'files', '<dest>': 'files', '<old>': 'files', '<new>': 'files',
  '--actor': 'email', '--target': 'email', '--by': 'email', '--to': 'email', '--admin': 'email',
  '--org': 'org', '--add-org': 'org', '--remove-org': 'org', '--scope': 'org',
  '--role': 'role', '--batch': 'batch', '--status': STATUSES, '--kind': ['internal', 'external'],
  '--context': 'context', '--workspace': 'files', '--output': 'files', '--secrets-out': 'files', '--plan-out': 'files',
  '--plan': 'files', '--heads': 'files', '--from-file': 'files', '--summary-md': 'files',
  'apply --encoding': ['utf-8', 'utf-16le', 'utf-16be', 'shift_jis', 'windows-1252'],
  'export --encoding': ['utf-8', 'utf-8-bom', 'shift_jis'], '--jq': null,
};

function kindOf(path: string[], slot: string, option?: Option): Kind | null {
  for (const key of [`${path.join(' ')} ${slot}`, `${path[0]} ${slot}`]) if (key in KINDS) return KINDS[key];
  if (option?.argChoices) return option.argChoices;
  return KINDS[slot] ?? null;
}

const takesValue = (o: Option) => o.required || o.optional;

/** A word as the shell passes it while it is being typed: quotes and backslashes taken off. */
function unquote(word: string): string {
  if (word.startsWith("'")) return word.slice(1).replace(/'$/, '');
  if (word.startsWith('"')) return word.slice(1).replace(/"$/, '').replace(/\\(["\\$`])/g, '$1');
  return word.replace(/\\(.)/g, '$1');
}

/** The options a command takes, its own and its ancestors' (the global ones), visible in help. */
function optionsOf(cmd: Command): Option[] {
  const out: Option[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) out.push(...c.options.filter((o) => !o.hidden));
  return out;
}

function findOption(cmd: Command, word: string): Option | undefined {
  return optionsOf(cmd).find((o) => o.long === word || o.short === word);
}

const visible = (cmd: Command) => cmd.commands.filter((c) => !(c as unknown as { _hidden: boolean })._hidden);

interface Position {
  cmd: Command;
  path: string[];
  positionals: string[];
  /** The option whose value is being typed. */
  pending?: Option;
  globals: GlobalOptions;
}

/** Where the cursor is: which command, which of its arguments, or which option's value. */
function locate(program: Command, before: string[]): Position {
  const at: Position = { cmd: program, path: [], positionals: [], globals: {} };
  for (const raw of before) {
    const word = unquote(raw);
    if (at.pending) {
      if (at.pending.long === '--workspace') at.globals.workspace = word;
      if (at.pending.long === '--context') at.globals.context = word;
      at.pending = undefined;
      continue;
    }
    if (word.startsWith('-') && word !== '-' && word !== '--') {
      const [name, value] = word.split(/=(.*)/s);
      const option = findOption(at.cmd, name);
      if (option && takesValue(option) && value === undefined) at.pending = option;
      if (option?.long === '--workspace' && value !== undefined) at.globals.workspace = value;
      if (option?.long === '--context' && value !== undefined) at.globals.context = value;
      continue;
    }
    const sub = at.positionals.length ? undefined : at.cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) {
      at.cmd = sub;
      at.path.push(sub.name());
    } else {
      at.positionals.push(word);
    }
  }
  return at;
}

async function valuesOf(io: IO, kind: Kind | null, at: Position): Promise<Candidate[] | 'files'> {
  if (kind === null) return [];
  if (typeof kind !== 'string') return kind.map((v) => [v]);
  if (kind === 'files') return 'files';
  if (kind === 'context') {
    try {
      return Object.entries(readContexts(io).contexts).map(([name, c]) => [name, c.workspace.replace(/(\/\/[^:/@]*):[^@/]*@/, '$1@')]);
    } catch {
      return [];
    }
  }
  if (kind === 'email+role') return [...(await liveValues(io, at.globals, 'email')), ...(at.positionals.length ? await liveValues(io, at.globals, 'role') : [])];
  return liveValues(io, at.globals, kind);
}

/** `rollcall help …`: commands, then their verbs; topics first. */
function helpWords(program: Command, positionals: string[]): Candidate[] {
  let cmd = program;
  for (const word of positionals) {
    const next = cmd.commands.find((c) => c.name() === word);
    if (!next) return [];
    cmd = next;
  }
  const commands = visible(cmd).filter((c) => c.name() !== 'help').map((c): Candidate => [c.name(), c.summary() || c.description()]);
  return positionals.length ? commands : [...Object.entries(HELP_TOPICS), ...commands];
}

async function candidates(program: Command, io: IO, words: string[]): Promise<Candidate[] | 'files'> {
  const current = unquote(words.at(-1) ?? '');
  const at = locate(program, words.slice(0, -1));
  if (at.pending) return valuesOf(io, kindOf(at.path, at.pending.long ?? at.pending.short ?? '', at.pending), at);
  const eq = /^(--[^=]+)=/.exec(current);
  if (eq) {
    const option = findOption(at.cmd, eq[1]);
    if (!option || !takesValue(option)) return [];
    const values = await valuesOf(io, kindOf(at.path, eq[1], option), at);
    return values === 'files' ? values : values.map(([v, d]) => [`${eq[1]}=${v}`, d]);
  }
  if (current.startsWith('-')) {
    const options = optionsOf(at.cmd).filter((o) => at.cmd === program || o.long !== '--version').map((o): Candidate => [o.long ?? o.short ?? '', o.description]);
    return [...options, ['--help', 'display help for the command']];
  }
  if (at.path[0] === 'help') return helpWords(program, at.positionals);
  const subs = visible(at.cmd);
  if (subs.length && !at.positionals.length) return subs.map((c) => [c.name(), c.summary() || c.description()]);
  const args = at.cmd.registeredArguments;
  const arg = args[Math.min(at.positionals.length, args.length - 1)];
  if (!arg || (at.positionals.length >= args.length && !arg.variadic)) return [];
  return valuesOf(io, kindOf(at.path, `<${arg.name()}>`), at);
}

/** One line of a candidate: no tab or newline inside the value or the description. */
const line = ([value, description]: Candidate) => {
  const flat = (s: string) => s.replace(/[\t\r\n\u0000-\u001f\u007f]+/g, ' ').trim();
  return description ? `${flat(value)}\t${flat(description)}` : flat(value);
};

export async function complete(program: Command, words: string[], io: IO): Promise<number> {
  try {
    const found = await candidates(program, io, words.length ? words : ['']);
    if (found === 'files') return void io.stdout.write(':files\n'), 0;
    const current = unquote(words.at(-1) ?? '').toLowerCase();
    const seen = new Set<string>();
    const out = found.filter(([v]) => v && v.toLowerCase().startsWith(current) && !seen.has(v) && seen.add(v));
    if (out.length) io.stdout.write(out.map(line).join('\n') + '\n');
  } catch {
    // a completion that fails offers nothing
  }
  return 0;
}
