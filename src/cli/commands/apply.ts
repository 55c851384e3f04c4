// rollcall apply: make the workspace match a roster file (SPEC §8, §13). The command reads files and
// renders; planning, the rules and the saved-plan check are the core's. The roster modules (CSV,
// YAML, encodings) are imported only when the command runs: other commands do not pay for them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import type { Plan, ApplyOptions, RemovalLimit } from '../../core/roster/plan.js';
import type { RosterFile } from '../../core/roster/roster-file.js';
import type { Applied } from '../../core/roster/apply.js';
import type { Secret } from '../../core/roster/commit.js';
import type { PlanBasis } from '../../core/roster/saved-plan.js';
import { formatOptionHelp } from '../../core/roster/formats/index.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';
import { inputAgain, inputBytes } from '../input-file.js';
import { boundHeapGrowth } from '../heap.js';
import { checkOutputPath } from '../output-file.js';
import { clean } from '../render.js';
import { PLAN_FORMATS, planFormatOf, planMarkdown, printPlan } from '../plan-output.js';
import { shellQuote } from '../../core/shell.js';

interface ApplyFlags {
  format?: string;
  dryRun?: boolean;
  prune?: boolean;
  allowEmpty?: boolean;
  maxRemovals?: string;
  createOrgs?: boolean;
  role?: string;
  secretsOut?: string;
  planOut?: string;
  plan?: string;
  detailedExitcode?: boolean;
  encoding?: string;
  force?: boolean;
  planFormat?: string;
}

function planJson(plan: Plan, applied: boolean, batch: string | null) {
  return {
    changes: plan.changes, summary: plan.summary, applied, batch,
    orgs: plan.orgPaths, notes: plan.notes,
  };
}

/** `--max-removals N` or `P%` (of the current members, resolved by the core inside the apply). */
function parseMaxRemovals(text: string): RemovalLimit {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = m ? Number(m[1]) : NaN;
  if (m && m[2] && value <= 100) return { percent: value };
  if (m && !m[2] && Number.isSafeInteger(value)) return value;
  return fail('INVALID_INPUT', `--max-removals takes a whole number, or a percentage of the current members up to 100%, like 10 or 5%: got "${text}"`);
}

function secretsCsv(secrets: Secret[]): string {
  return 'email,temporaryPassword\n' + secrets.map((s) => `${s.email},${s.temporaryPassword}\n`).join('');
}

/**
 * The roster a file holds, and how to read it again. Its own function, so that once it returns
 * nothing holds the file's bytes: a file is read again from disk (inputAgain), not kept.
 */
async function readRoster(io: IO, fileArg: string, parse: (bytes: Buffer, file: string) => RosterFile) {
  const file = fileArg === '-' ? '<stdin>' : fileArg;
  const bytes = await inputBytes(io, fileArg);
  const again = inputAgain(io, fileArg, bytes);
  return { roster: parse(bytes, file), reread: () => parse(again(), file) };
}

/** The flags that make a plan (what it reads and how it plans): --plan, which applies a saved one, takes none. */
const PLAN_SHAPING: Record<string, string> = {
  format: '--format', encoding: '--encoding', prune: '--prune', maxRemovals: '--max-removals', allowEmpty: '--allow-empty', createOrgs: '--create-orgs',
  role: '--role', planOut: '--plan-out',
};

export function registerApply(program: Command, io: IO) {
  program.command('apply')
    .description('make the workspace match a roster file: plan, then apply in one transaction')
    .argument('[file]', 'roster file, or - for standard input')
    .option('--format <format>', formatOptionHelp('apply'))
    .option('--dry-run', 'print the plan; change nothing')
    .option('--prune', 'remove (restorably) members the file does not list')
    .option('--max-removals <n|p%>', 'refuse a prune that removes more members than this, or than this percentage of the current members (default: 10)')
    .option('--allow-empty', 'let a roster that lists no members prune (remove) every member')
    .option('--create-orgs', 'create orgs the rows name that do not exist')
    .option('--role <role>', 'role of new members whose row names none (default viewer)')
    .option('--secrets-out <file>', 'write new members\' temporary passwords to this new file (mode 0600)')
    .option('--plan-out <file>', 'save the plan (nothing is applied) for a later apply --plan')
    .option('--force', 'replace the --secrets-out or --plan-out file if it exists')
    .option('--plan <file>', 'apply a saved plan, if the workspace has not changed since')
    .option('--detailed-exitcode', "exit 0 when there is nothing to change, 10 when there are changes (terraform's 2 is rollcall's usage error)")
    .option('--plan-format <format>', `how to print the plan: ${PLAN_FORMATS.join(', ')} (Markdown: for a CI step summary or a pull-request comment; --format markdown says the same)`)
    .option('--encoding <name>', 'the file\'s encoding: utf-8, utf-16le, utf-16be, shift_jis (cp932) or windows-1252 (latin1); default: detected, and refused when it cannot be told')
    .addHelpText('after', examples('rollcall apply roster.yaml --dry-run', 'rollcall apply roster.csv --prune --yes --detailed-exitcode', 'rollcall apply users.csv --format google --secrets-out secrets.csv',
      'rollcall apply roster.csv --dry-run --plan-format markdown >> "$GITHUB_STEP_SUMMARY"'))
    .action(action(io, async (cli, fileArg: string | undefined, o: ApplyFlags) => {
      await boundHeapGrowth();
      const { parseRoster } = await import('../../core/roster/parse.js');
      const { applyRoster, previewRoster } = await import('../../core/roster/apply.js');
      const { readSavedPlan, savedPlanText } = await import('../../core/roster/saved-plan.js');
      const { planFormat, rosterFormat } = planFormatOf({ ...o, jq: cli.opts.jq }, !!cli.opts.json);
      const asText = planFormat === 'text';
      // Output files are checked before anything is read or changed (a dry run checks them too).
      const secretsFile = o.secretsOut ? checkOutputPath(io, o.secretsOut, { force: o.force }) : null;
      const planFile = o.planOut ? checkOutputPath(io, o.planOut, { force: o.force }) : null;
      let roster: RosterFile;
      /** The same roster read again: the apply then lets its rows go as it plans them. */
      let reread: () => RosterFile;
      let options: ApplyOptions;
      let expected: PlanBasis | null = null;
      if (o.plan) {
        if (fileArg) fail('USAGE', 'give a roster file or --plan, not both');
        // A saved plan carries its roster and options: a flag that would change them is not silently dropped.
        const shaping = Object.entries(PLAN_SHAPING).filter(([key]) => (o as Record<string, unknown>)[key] !== undefined && (key !== 'format' || rosterFormat !== undefined));
        if (shaping.length) {
          fail('USAGE', `${shaping.map(([, flag]) => flag).join(', ')} ${shaping.length > 1 ? 'shape' : 'shapes'} a plan, and --plan applies one already made`, 'make the plan again with them (rollcall apply FILE … --plan-out PLAN), or leave them out');
        }
        let text: string;
        try {
          text = readFileSync(resolve(io.cwd, o.plan), 'utf8');
        } catch (e) {
          fail('INVALID_INPUT', `cannot read the saved plan ${o.plan}: ${(e as Error).message}`);
        }
        ({ roster, options, basis: expected } = readSavedPlan(text, o.plan));
        reread = () => readSavedPlan(text, o.plan!).roster;
      } else {
        if (!fileArg) fail('USAGE', 'name a roster file (or - for standard input), or --plan FILE');
        const maxRemovals = parseMaxRemovals(o.maxRemovals ?? '10');
        ({ roster, reread } = await readRoster(io, fileArg, (bytes, file) => parseRoster(bytes, file, { format: rosterFormat, encoding: o.encoding })));
        options = { prune: !!o.prune, maxRemovals, createOrgs: !!o.createOrgs, defaultRole: o.role, ...(o.allowEmpty ? { allowEmpty: true } : {}) };
      }
      const { ws, actor } = await cli.signedIn();
      const finish = async (plan: Plan, applied: boolean, dryRun = false) => {
        if (planFormat === 'json') await cli.render.printJsonStreamed(planJson(plan, applied, applied && plan.changes.length ? ws.batch : null));
        if (planFormat === 'markdown') io.stdout.write(planMarkdown(plan, applied ? `Applied. Batch: ${ws.batch}` : !dryRun ? null : o.planOut ? 'Plan saved: nothing was changed.' : 'Dry run: nothing was changed.'));
        if (o.detailedExitcode && plan.changes.length) cli.io.exitCode = 10;
      };

      if (o.dryRun || o.planOut) {
        const { plan, basis } = await previewRoster(ws, actor, roster, options);
        planFile?.write(savedPlanText(basis, roster, options, plan.summary));
        if (asText) printPlan(cli.render, plan);
        if (planFormat !== 'json') {
          cli.render.note(o.planOut ? `Plan saved to ${clean(o.planOut)}: apply it with rollcall apply --plan ${clean(shellQuote(o.planOut))}` : 'Dry run: nothing was changed.');
        }
        return finish(plan, false, true);
      }

      // Removals are confirmed at a terminal (on a plan read first) and need --yes elsewhere.
      if ((options.prune || roster.rows.some((r) => r.remove)) && !cli.opts.yes) {
        const preview = await previewRoster(ws, actor, roster, options);
        if (preview.plan.summary.remove > 0) {
          const removals = preview.plan.changes.filter((c) => c.action === 'remove').map((c) => `${c.email} (restorable for 7 days)`);
          // The plan is shown only to a person about to answer, and on stderr: it is not the result
          // (that is printed once applied), and a refusal for want of --yes leaves stdout empty.
          await cli.prompt.confirm(`Apply, removing ${removals.length} member${removals.length === 1 ? '' : 's'}?`, 'a roster apply that removes members', removals,
            () => { if (!cli.opts.json) printPlan(cli.render, preview.plan, (line) => cli.render.note(line)); });
          expected = preview.basis;
        }
      }

      const stop = roster.rows.length >= 2000 ? await cli.prompt.spinner(`Applying ${roster.rows.length} rows…`) : () => {};
      let result: Applied;
      try {
        // The passwords are written (not yet in place) before the apply commits: if they cannot be, nothing is applied.
        const keepSecrets = secretsFile ? (secrets: Secret[]) => secretsFile.stage(secretsCsv(secrets)) : undefined;
        result = await applyRoster(ws, actor, { roster, options, expected, keepSecrets, reread });
      } catch (e) {
        secretsFile?.discard();
        throw e;
      } finally {
        stop();
      }
      const { plan, secrets } = result;
      secretsFile?.commit({ keepOnFailure: true }); // applied: the passwords must survive whatever happens
      if (planFormat !== 'json') {
        if (asText) printPlan(cli.render, plan);
        if (plan.changes.length) {
          if (asText) cli.render.out(`Applied.`);
          if (plan.summary.add && !o.secretsOut) cli.render.note(`${plan.summary.add} new member(s) have no password yet: give them a way in with rollcall member reset-password or rollcall invite issue`);
          if (o.secretsOut && secrets.length) cli.render.note(`Temporary passwords for ${secrets.length} new member(s) are in ${o.secretsOut} (mode 0600)`);
          if (asText) cli.render.out(`Batch: ${ws.batch}`);
        }
      }
      await finish(plan, plan.changes.length > 0);
    }));
}
