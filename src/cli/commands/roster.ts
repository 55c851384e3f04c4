// rollcall roster validate|diff: rosters checked and compared offline (SPEC §14), with no workspace
// and no sign-in, as `terraform validate` runs: a pull request from a fork, with no secrets, can run
// them. Neither opens a workspace (./rollcall.db is never created). The roster modules are imported
// only when a command runs.
import { boundHeapGrowth } from '../heap.js';
import type { Command } from 'commander';
import { formatOptionHelp } from '../../core/roster/formats/index.js';
import type { RosterFile } from '../../core/roster/roster-file.js';
import { action, examples } from '../action.js';
import type { Cli } from '../context.js';
import type { IO } from '../io.js';
import { PLAN_FORMATS, planFormatOf, planMarkdown, printPlan } from '../plan-output.js';
import { clean } from '../render.js';
import { inputBytes } from '../input-file.js';
import { rosterName } from '../roster-input.js';

interface ReadFlags {
  format?: string;
  encoding?: string;
}

interface DiffFlags extends ReadFlags {
  detailedExitcode?: boolean;
  planFormat?: string;
}

async function readRoster(cli: Cli, file: string, o: ReadFlags): Promise<RosterFile> {
  const { parseRoster } = await import('../../core/roster/parse.js');
  await boundHeapGrowth();
  return parseRoster(await inputBytes(cli.io, file), rosterName(file), o);
}

const ENCODING_HELP = 'the file\'s encoding (as apply takes it); default: detected';

export function registerRoster(program: Command, io: IO) {
  const roster = program.command('roster').description('check and compare roster files offline: no workspace, no sign-in');

  roster.command('validate')
    .description('check a roster\'s syntax, fields and consistency offline, as apply would before looking at the workspace')
    .argument('<file>', 'roster file, or - for standard input')
    .option('--format <format>', formatOptionHelp('apply'))
    .option('--encoding <name>', ENCODING_HELP)
    .addHelpText('after', `
Checks what needs no workspace: the format, columns and keys, addresses, an address or id given
twice, status values, start dates, names and titles, org path syntax and depth, and the number
of scopes of a built-in role. Whether ids, orgs and custom roles exist, and the rules on the
result (seats, the last admin, owners), are checked by apply. Exit 0 (valid) or 2 (ROSTER_INVALID,
every problem as FILE:LINE: message; with --json also as problems: [{line, message}]).
${examples('rollcall roster validate roster.csv', 'rollcall roster validate users.json --format scim --json')}`)
    .action(action(io, async (cli, file: string, o: ReadFlags) => {
      const { validateRoster } = await import('../../core/roster/validate.js');
      const result = validateRoster(await readRoster(cli, file, o));
      if (cli.opts.json) return cli.render.printJson({ valid: true, ...result });
      for (const n of result.notes) cli.render.note(`note: ${clean(n)}`);
      cli.render.out(`valid: ${result.members} member${result.members === 1 ? '' : 's'}${result.removals ? `, ${result.removals} removal${result.removals === 1 ? '' : 's'}` : ''}`);
    }));

  roster.command('diff')
    .description('what changes from one roster file to another, offline, in the words of a plan')
    .argument('<old>', 'the roster as it was')
    .argument('<new>', 'the roster as it is to be (- for standard input)')
    .option('--format <format>', `${formatOptionHelp('apply')}, for both files`)
    .option('--encoding <name>', `${ENCODING_HELP}, for both files`)
    .option('--plan-format <format>', `how to print the changes: ${PLAN_FORMATS.join(', ')}`)
    .option('--detailed-exitcode', 'exit 0 when the files list the same members alike, 10 when they differ')
    .addHelpText('after', `
Members match by id where both rows have one, else by address. A field counts only where both
files state it (apply leaves a field a file has no column for alone); a member OLD lists and NEW
does not is a removal, which apply makes only when it prunes. Both files are validated first.
${examples('rollcall roster diff <(git show main:roster.csv) roster.csv', 'rollcall roster diff old.yaml new.yaml --json --detailed-exitcode')}`)
    .action(action(io, async (cli, oldFile: string, newFile: string, o: DiffFlags) => {
      const { diffRosters } = await import('../../core/roster/diff.js');
      const { planFormat, rosterFormat } = planFormatOf({ ...o, jq: cli.opts.jq }, !!cli.opts.json);
      const read = { format: rosterFormat, encoding: o.encoding };
      const diff = diffRosters(await readRoster(cli, oldFile, read), await readRoster(cli, newFile, read));
      if (planFormat === 'json') cli.render.printJson(diff);
      else if (planFormat === 'markdown') io.stdout.write(planMarkdown(diff, null, 'Diff'));
      else printPlan(cli.render, diff, undefined, 'Diff');
      if (o.detailedExitcode && diff.changes.length) cli.io.exitCode = 10;
    }));
}
