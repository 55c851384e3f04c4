// The program: global options, commands by noun, and the one place errors become exit statuses.
import { Command, CommanderError } from 'commander';
import { EXIT_CODES, RollcallError } from '../core/errors.js';
import { registerApply } from './commands/apply.js';
import { registerAuth } from './commands/auth.js';
import { registerCan } from './commands/can.js';
import { registerCompletion } from './commands/completion.js';
import { registerGroup } from './commands/group.js';
import { registerInvite } from './commands/invite.js';
import { registerMember } from './commands/member.js';
import { registerOrg } from './commands/org.js';
import { registerRole } from './commands/role.js';
import { registerWorkspace } from './commands/workspace.js';
import { processIO, type IO } from './io.js';
import { clean } from './render.js';

export const VERSION = '0.1.0';

export function buildProgram(io: IO): Command {
  const program = new Command('rollcall')
    .description("Manage a workspace's member directory: members, roles, orgs, groups, rosters and audit")
    .version(VERSION, '-V, --version')
    .option('-w, --workspace <path>', 'workspace file or postgres:// URL (default $ROLLCALL_WORKSPACE, else ./rollcall.db)')
    .option('--json', 'print JSON on stdout (errors as JSON on stderr)')
    .option('-y, --yes', 'confirm irreversible or mass-destructive operations')
    .option('--no-color', 'no colour, even at a terminal')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {}, // printed by report() in the spec's error[CODE] shape
    });
  registerAuth(program, io);
  registerWorkspace(program, io);
  registerMember(program, io);
  registerInvite(program, io);
  registerOrg(program, io);
  registerRole(program, io);
  registerGroup(program, io);
  registerCan(program, io);
  registerApply(program, io);
  registerCompletion(program, io);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride();
  }
  return program;
}

function report(io: IO, json: boolean, err: RollcallError) {
  if (json) {
    io.stderr.write(JSON.stringify({ error: { code: err.code, message: err.message, hint: err.hint ?? null } }) + '\n');
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
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return io.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      report(io, json, new RollcallError('USAGE', e.message.replace(/^error: /, ''), 'see rollcall --help'));
      return EXIT_CODES.USAGE;
    }
    if (e instanceof RollcallError) {
      report(io, json, e);
      return e.exitCode;
    }
    const debug = io.env.ROLLCALL_DEBUG === '1';
    report(io, json, new RollcallError('INTERNAL', `this is a bug in rollcall: ${(e as Error)?.message ?? String(e)}`,
      debug ? (e as Error)?.stack : 'run again with ROLLCALL_DEBUG=1 for details, and report it'));
    return EXIT_CODES.INTERNAL;
  }
}
