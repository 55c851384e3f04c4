// A roster plan (or a roster diff, in the plan's words) as text, JSON or Markdown: apply and roster
// print it. Markdown is for a CI job's step summary ($GITHUB_STEP_SUMMARY) or a pull-request comment.
import type { Renderer } from './render.js';
import { clean } from './render.js';
import { fail } from '../core/errors.js';
import type { ChangeAction, PlannedChange, Summary } from '../core/roster/plan-types.js';

/** What is printed of a plan: a roster diff has no orgs or notes. */
export interface PlanShown {
  changes: PlannedChange[];
  summary: Summary;
  orgPaths?: string[];
  notes?: string[];
}

export const PLAN_FORMATS = ['text', 'json', 'markdown'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

const show = (v: unknown) => (v === null || v === '' || (Array.isArray(v) && !v.length) ? '(none)' : Array.isArray(v) ? v.join(';') : String(v));

/** `Plan: A to add, …` or `No changes.`; a diff counts no restores. */
export function summaryLine(plan: PlanShown, noun = 'Plan'): string {
  const { add, change, remove, restore } = plan.summary;
  if (!plan.changes.length) return 'No changes.';
  return noun === 'Plan' ? `Plan: ${add} to add, ${change} to change, ${remove} to remove, ${restore} to restore.` : `${noun}: ${add} to add, ${change} to change, ${remove} to remove.`;
}

/**
 * Each field of a change: an add shows what the new member gets; a change or restore, from → to.
 * `esc` is applied to each name and value, not to the separators (printPlan's cleaning).
 */
function fieldLines(c: PlannedChange, esc: (text: string) => string = (text) => text): string[] {
  const fields = c.fields ?? {};
  const add = c.action === 'add';
  return Object.keys(fields).map((name) => {
    const { from, to } = fields[name];
    return add ? `${esc(name)}: ${esc(show(to))}` : `${esc(name)}: ${esc(show(from))} → ${esc(show(to))}`;
  });
}

/**
 * clean() for the common case first: text of printable ASCII alone has nothing to escape, and one
 * pass over its char codes costs far less than clean's two regex replaces (a 100,000-row plan
 * prints 600,000 such lines).
 */
function cleaned(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return clean(text);
  }
  return text;
}

/**
 * The plan as text through `write` (stdout, or stderr for a preview before a question), handed over
 * 64 KiB at a time: a 100,000-row plan is 600,000 lines, and each write a system call. clean() escapes
 * one character at a time, so a line is cleaned piece by piece (the field names need none).
 */
export function printPlan(render: Renderer, plan: PlanShown, write: (text: string) => void = (text) => render.out(text), noun = 'Plan') {
  let text = '';
  const out = (line: string) => {
    text += line + '\n';
    if (text.length >= 65536) flush();
  };
  const flush = () => {
    if (text) write(text.slice(0, -1));
    text = '';
  };
  const p = render.paint;
  for (const path of plan.orgPaths ?? []) out(p.green(`  + org     ${clean(path)}`));
  const marks = { add: p.green('  + add     '), change: p.yellow('  ~ change  '), remove: p.red('  - remove  '), restore: p.cyan('  ↺ restore ') };
  for (const c of plan.changes) {
    out(marks[c.action] + cleaned(c.email));
    for (const line of fieldLines(c, cleaned)) out(`        ${line}`);
  }
  flush();
  for (const n of plan.notes ?? []) render.note(`note: ${clean(n)}`);
  write(summaryLine(plan, noun));
}

/**
 * Text for a Markdown table cell: control characters escaped as in text output, then whatever
 * Markdown or HTML would read as markup (`|` ends a cell, a backtick opens code, `<` a tag).
 */
export function markdownText(text: string): string {
  return clean(text)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/[\\`|*_[\]~#!]/g, (c) => `\\${c}`);
}

const ORDER: ChangeAction[] = ['add', 'change', 'remove', 'restore'];
/** GitHub's comments take 65,536 characters: a plan longer than this many rows is cut, saying how much. */
const MAX_ROWS = 500;

/** The plan as Markdown: the summary line first, then adds, changes, removes and restores with their fields. */
export function planMarkdown(plan: PlanShown, status: string | null, noun = 'Plan'): string {
  const lines = [`**${summaryLine(plan, noun)}**`, ''];
  if (status) lines.push(status, '');
  if (plan.orgPaths?.length) lines.push(`Orgs to create: ${plan.orgPaths.map(markdownText).join(', ')}`, '');
  const changes = ORDER.flatMap((action) => plan.changes.filter((c) => c.action === action));
  if (changes.length) {
    lines.push('| | member | fields |', '|---|---|---|');
    for (const c of changes.slice(0, MAX_ROWS)) lines.push(`| ${c.action} | ${markdownText(c.email)} | ${fieldLines(c).map(markdownText).join('<br>')} |`);
    if (changes.length > MAX_ROWS) lines.push('', `… and ${changes.length - MAX_ROWS} more (the whole plan: rollcall apply with --json).`);
    lines.push('');
  }
  for (const n of plan.notes ?? []) lines.push(`> note: ${markdownText(n)}`, '');
  return lines.join('\n');
}

/**
 * How to print the plan: --plan-format, else JSON under --json, else text. `--format markdown` (the
 * spelling of SPEC §14) means `--plan-format markdown`: no roster format is called markdown, so it
 * cannot be mistaken for one, and the roster's own format is then recognised as without --format.
 */
export function planFormatOf(o: { format?: string; planFormat?: string; jq?: string }, json: boolean): { planFormat: PlanFormat; rosterFormat?: string } {
  const spelled = o.format === 'markdown' ? 'markdown' : undefined;
  const given = o.planFormat ?? spelled;
  if (given !== undefined && !(PLAN_FORMATS as readonly string[]).includes(given)) fail('USAGE', `unknown plan format "${given}"`, `plan formats: ${PLAN_FORMATS.join(', ')}`);
  if (spelled && o.planFormat && o.planFormat !== spelled) fail('USAGE', `--format markdown and --plan-format ${o.planFormat} ask for two plan formats`, 'give one of them');
  if (json && given && given !== 'json') fail('USAGE', `${o.jq !== undefined ? '--jq (JSON)' : '--json'} and --plan-format ${given} ask for two plan formats`, 'give one of them');
  return { planFormat: (given as PlanFormat | undefined) ?? (json ? 'json' : 'text'), rosterFormat: spelled ? undefined : o.format };
}
