// The program: global options, commands by noun, and the one place errors become exit statuses.
import { Command, CommanderError } from 'commander';
import { EXIT_CODES, RollcallError } from '../core/errors.js';
import { registerApply } from './commands/apply.js';
import { registerAudit } from './commands/audit.js';
import { registerAuth } from './commands/auth.js';
import { registerBackup } from './commands/backup.js';
import { registerCan } from './commands/can.js';
import { registerCompletion } from './commands/completion.js';
import { registerContext } from './commands/context.js';
import { registerDomain } from './commands/domain.js';
import { registerExport } from './commands/export.js';
import { registerGroup } from './commands/group.js';
import { registerHelp } from './commands/help.js';
import { registerInit } from './commands/init.js';
import { registerInvite } from './commands/invite.js';
import { registerMail } from './commands/mail.js';
import { registerMember } from './commands/member.js';
import { registerOrg } from './commands/org.js';
import { registerRecover } from './commands/recover.js';
import { registerRole } from './commands/role.js';
import { registerRoster } from './commands/roster.js';
import { registerServe } from './commands/serve.js';
import { registerToken } from './commands/token.js';
import { registerWorkspace } from './commands/workspace.js';
import { inTermsOfFlags } from './flags.js';
import { HELP_TOPICS } from './help-topics.js';
import type { GlobalOptions } from './context.js';
import { processIO, type IO } from './io.js';
import { clean } from './render.js';
import { toJson } from './json.js';

export const VERSION = '0.1.0';

type Register = (program: Command, io: IO) => void;

/** Each top-level command and what registers it, in the order of `rollcall --help` within each group. */
export const REGISTERS: Record<string, Register> = {
  init: registerInit, login: registerAuth, logout: registerAuth, whoami: registerAuth, passwd: registerAuth, token: registerToken,
  workspace: registerWorkspace, domain: registerDomain, mail: registerMail, backup: registerBackup, audit: registerAudit, member: registerMember,
  invite: registerInvite, org: registerOrg, role: registerRole, group: registerGroup, can: registerCan, apply: registerApply, export: registerExport,
  roster: registerRoster, recover: registerRecover, serve: registerServe, context: registerContext, completion: registerCompletion, help: registerHelp,
};

/** Options of the program that take a value: the word after them is not a command. */
const VALUE_OPTIONS = new Set(['-w', '--workspace', '--context', '--jq']);

/**
 * The top-level command argv names, when only it need be built: registering every command cost
 * ~8 ms of each start-up. `help` and `completion` walk the whole tree, so they (and anything not
 * understood) get all of it.
 */
export function commandOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return undefined;
    if (VALUE_OPTIONS.has(arg) || /^-[a-zA-Z]*w$/.test(arg)) i++;
    else if (!arg.startsWith('-')) return Object.hasOwn(REGISTERS, arg) && arg !== 'help' && arg !== 'completion' ? arg : undefined;
  }
  return undefined;
}

/** The program; with `only`, just that top-level command of it (see commandOf). */
export function buildProgram(io: IO, only?: string): Command {
  const program = new Command('rollcall')
    .description("Manage a workspace's member directory: members, roles, orgs, groups, rosters and audit")
    .version(VERSION, '-V, --version')
    .option('-w, --workspace <path>', 'workspace file or postgres:// URL (default $ROLLCALL_WORKSPACE; the order: rollcall help environment)')
    .option('--context <name>', 'the workspace of a named context (rollcall context list); default $ROLLCALL_CONTEXT, else the current one')
    .option('--json', 'print JSON on stdout (errors as JSON on stderr)')
    .option('--jq <expr>', "filter the JSON output through jq (built in): strings printed raw, other values as compact JSON, one a line; after --fields")
    .option('-y, --yes', 'confirm irreversible or mass-destructive operations')
    .option('--no-color', 'no colour, even at a terminal')
    .showSuggestionAfterError(true)
    // Command lists show names and arguments; each command's own --help lists its options.
    .configureHelp({ subcommandTerm: (cmd) => [cmd.name(), ...cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`))].join(' ') })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {}, // printed by report() in the spec's error[CODE] shape
    });
  for (const register of new Set(only && REGISTERS[only] ? [REGISTERS[only]] : Object.values(REGISTERS))) register(program, io);
  knowWhereErrorsHappen(program);
  program.hook('preAction', (_root, command) => {
    const o = command.optsWithGlobals<GlobalOptions>();
    if (o.workspace && o.context) throw new RollcallError('USAGE', '--workspace and --context both name the workspace: give one of them', 'see rollcall help environment');
    const path = pathOf(command);
    if (o.jq !== undefined && NO_JSON_OUTPUT[path]) throw new RollcallError('USAGE', `--jq filters the JSON a command prints, and ${path} prints none: ${NO_JSON_OUTPUT[path]}`, `see rollcall ${path} --help`);
  });
  program.addHelpText('after', `\nHelp topics: ${Object.keys(HELP_TOPICS).map((t) => `rollcall help ${t}`).join(', ')}`);
  for (const cmd of program.commands) {
    cmd.helpGroup(HELP_GROUPS[cmd.name()] ?? 'Other:');
    // A noun lists its verbs in `rollcall --help`, so the whole surface is one screen.
    const verbs = cmd.commands.map((c) => c.name()).filter((n) => n !== 'help');
    if (verbs.length) cmd.summary(`${cmd.description()}: ${verbs.join(', ')}`);
  }
  return program;
}

/** A command-line error, with the command it happened in: its hint names that command's own --help. */
type Located = CommanderError & { command?: Command };

/**
 * Every command throws its own parse errors, tagged with itself; and a noun's `help NOSUCH`
 * (commander would print the whole help, then an error) is one USAGE error.
 */
function knowWhereErrorsHappen(cmd: Command) {
  cmd.exitOverride((err: Located) => {
    err.command ??= cmd;
    throw err;
  });
  if (cmd.parent && cmd.commands.length) {
    const help = cmd.help.bind(cmd);
    cmd.help = ((context?: { error?: boolean }) => {
      const [word, wanted] = cmd.args;
      if (context?.error && word === 'help' && wanted) {
        throw new RollcallError('USAGE', `no command named "${pathOf(cmd)} ${wanted}"`, `see rollcall ${pathOf(cmd)} --help`);
      }
      return help(context as { error: boolean });
    }) as Command['help'];
  }
  for (const sub of cmd.commands) knowWhereErrorsHappen(sub);
}

/** "member add": the command words from the program down to cmd. */
function pathOf(cmd: Command): string {
  const words: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

/** Commands that print no JSON for --jq to filter, and what they print instead. */
const NO_JSON_OUTPUT: Record<string, string> = {
  export: 'it writes a roster (--format json writes JSON: pipe that to jq)',
  completion: 'it writes a shell script',
};

/** `rollcall --help` groups the commands by what they are about. */
const HELP_GROUPS: Record<string, string> = {
  init: 'Getting started:', login: 'Getting started:', logout: 'Getting started:', whoami: 'Getting started:', passwd: 'Getting started:',
  member: 'People:', invite: 'People:', can: 'People:', token: 'People:',
  org: 'Structure:', role: 'Structure:', group: 'Structure:',
  apply: 'Roster files:', export: 'Roster files:', roster: 'Roster files:',
  workspace: 'Workspace:', domain: 'Workspace:', mail: 'Workspace:', backup: 'Workspace:', audit: 'Workspace:',
  context: 'Workspace:', serve: 'Workspace:', completion: 'Other:', help: 'Other:',
};

function report(io: IO, json: boolean, err: RollcallError) {
  if (json) {
    io.stderr.write(toJson({ error: { code: err.code, message: err.message, hint: err.hint ?? null, ...err.details } }, false) + '\n');
    return;
  }
  // Messages may span lines (a roster's problems); each line is escaped on its own.
  io.stderr.write(`error[${err.code}]: ${err.message.split('\n').map(clean).join('\n')}\n`);
  if (err.hint) io.stderr.write(`hint: ${clean(err.hint)}\n`);
}

/** Runs rollcall with argv (without node and script); returns the exit status. Never throws. */
export async function main(argv: string[], io: IO = processIO()): Promise<number> {
  process.umask(0o077); // every file rollcall creates holds member data or secrets
  const json = argv.includes('--json');
  const program = buildProgram(io, commandOf(argv));
  if (argv[0] === '__complete') { // the shell completion scripts' entry: never an error, never stderr
    const { complete } = await import('./commands/completion/complete.js');
    return complete(program, argv.slice(1), io);
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return io.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      if (e.code === 'commander.help') return EXIT_CODES.USAGE; // a noun without a verb: its help, on stderr
      // Commander appends "(Did you mean X?)": that goes in the hint, with where to read more.
      const [message, suggestion] = e.message.replace(/^error: /, '').split(/\n\(Did you mean (.+)\?\)/);
      report(io, json, new RollcallError('USAGE', message.trim(), `${suggestion ? `did you mean ${suggestion}? ` : ''}see rollcall ${[pathOf((e as Located).command ?? program), '--help'].filter(Boolean).join(' ')}`));
      return EXIT_CODES.USAGE;
    }
    if (e instanceof RollcallError) {
      report(io, json, inTermsOfFlags(e, argv));
      return e.exitCode;
    }
    if ((e as Error)?.name === 'ExitPromptError') { // Ctrl-C or Ctrl-D at a prompt
      report(io, json, new RollcallError('USAGE', 'cancelled at the prompt: nothing was changed'));
      return EXIT_CODES.USAGE;
    }
    // ROLLCALL_DEBUG=1: the stack trace follows the error, line by line as Node prints it (escaped,
    // like every message), never packed into the hint; with --json the error stays one line, first.
    const stack = io.env.ROLLCALL_DEBUG === '1' ? (e as Error)?.stack : undefined;
    report(io, json, new RollcallError('INTERNAL', `this is a bug in rollcall: ${(e as Error)?.message ?? String(e)}`,
      stack ? 'report it, with the stack trace below' : 'run again with ROLLCALL_DEBUG=1 for details, and report it'));
    if (stack) io.stderr.write(stack.split('\n').map(clean).join('\n') + '\n');
    return EXIT_CODES.INTERNAL;
  }
}
