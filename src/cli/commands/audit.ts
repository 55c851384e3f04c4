// rollcall audit: list, head and verify the tamper-evident log (SPEC §9, §14: anchors).
import type { Command } from 'commander';
import { formatHead, headProblem, parseHead, parseHeadList, type AnchoredVerifyResult, type AuditHead } from '../../core/audit/anchor.js';
import { auditHead, auditShow, auditVerify, changesOf, streamAuditList, type AuditListItem } from '../../core/audit/log.js';
import { parseSince } from '../../core/clock.js';
import { normalizeEmail } from '../../core/email.js';
import { fail } from '../../core/errors.js';
import { action, collect, examples } from '../action.js';
import type { Cli } from '../context.js';
import { inputBytes } from '../input-file.js';
import type { IO } from '../io.js';
import { clean } from '../render.js';
import { AUDIT_FIELDS, withOutput, type ListSpec } from '../lists.js';

/** How the log names the system acting by itself (stored as no actor), shown and filtered by. */
const SYSTEM_ACTOR = '(system)';

interface AuditListFlags {
  since?: string;
  actor?: string;
  target?: string;
  action?: string;
  batch?: string;
  limit: string;
}

export function registerAudit(program: Command, io: IO) {
  const audit = program.command('audit').description('the tamper-evident audit log');
  withOutput(audit.command('list')
    .description('audit events, newest first (100 unless --limit)'), AUDIT_FIELDS, { csv: true })
    .addHelpText('after', examples('rollcall audit list --limit 20', 'rollcall audit list --target bob@acme.example --json   # bob\'s events, group memberships included, with before/after',
      'rollcall audit list --action \'group.*\' --since 7d', 'rollcall audit list --batch b20300107090000-1a2b3c --jq \'.[].target\'   # who one command touched'))
    .option('--since <when>', 'a duration like 7d or 24h, or a date')
    .option('--actor <email>', `only this actor (${SYSTEM_ACTOR}: what the system did by itself: automatic purges, lockouts)`)
    .option('--target <target>', "only this target: email, group name, org path or role name (a member's group memberships and a group's members too)")
    .option('--action <action>', 'only this action, e.g. member.remove, or a noun\'s: member.*')
    .option('--batch <id>', "only one command's events")
    .option('--limit <n>', 'how many', '100')
    .action(action(io, async (cli, o: AuditListFlags) => {
      const limit = Number(o.limit);
      if (!Number.isSafeInteger(limit) || limit < 1) fail('INVALID_INPUT', `--limit takes a whole number of at least 1: got "${o.limit}"`);
      const { ws, actor } = await cli.signedIn();
      const spec: ListSpec<AuditListItem> = {
        fields: AUDIT_FIELDS, headers: ['SEQ', 'AT', 'ACTOR', 'ACTION', 'TARGET', 'GROUP', 'REASON', 'BATCH'],
        row: (e) => [e.seq, e.at, e.actor ?? SYSTEM_ACTOR, e.action, e.target, e.group && e.group !== e.target ? e.group : '', e.reason ?? '', e.batch],
        csv: ['seq', 'at', 'actor', 'action', 'target', 'group', 'reason', 'batch'],
      };
      // Written as read: one command's entries (--batch) may number 100,000.
      await cli.render.listStream(spec, (out) => ws.read(actor, (s) => streamAuditList(s, {
        since: o.since ? parseSince(o.since, s.now) : undefined,
        actor: o.actor === SYSTEM_ACTOR ? null : o.actor ? normalizeEmail(o.actor) : undefined,
        target: o.target && normalizeEmail(o.target).includes('@') ? normalizeEmail(o.target) : o.target,
        action: o.action, batch: o.batch, limit,
      }, out)));
    }));
  withOutput(audit.command('show')
    .description('one audit entry in full: its fields, and what changed, field by field'), AUDIT_FIELDS)
    .argument('<seq>', 'its number in the chain (SEQ in audit list)')
    .addHelpText('after', examples('rollcall audit show 42', 'rollcall audit show 42 --json   # the entry as audit list --json prints it'))
    .action(action(io, async (cli, seqText: string) => {
      const seq = Number(seqText);
      if (!/^\d+$/.test(seqText.trim()) || !Number.isSafeInteger(seq) || seq < 1) fail('INVALID_INPUT', `an audit entry is a whole number of at least 1 (SEQ in rollcall audit list): got "${seqText}"`);
      const { ws, actor } = await cli.signedIn();
      const entry = await ws.read(actor, (s) => auditShow(s, seq));
      await cli.render.record(entry, () => printEntry(cli, entry));
    }));
  audit.command('head')
    .description('print the current head of the chain, SEQ:HASH, to record outside the workspace')
    .addHelpText('after', examples('rollcall audit head >> audit-heads.txt       # keep it somewhere the workspace\'s admins cannot rewrite',
      'rollcall audit verify --heads audit-heads.txt'))
    .action(action(io, async (cli) => {
      const { ws, actor } = await cli.signedIn();
      const head = await ws.read(actor, (s) => auditHead(s));
      if (cli.opts.json) cli.render.printJson(head);
      else cli.render.out(formatHead(head));
    }));
  audit.command('verify')
    .description('check the hash chain, and that it still holds each recorded head; exit 1 if not')
    .addHelpText('after', examples('rollcall audit verify || echo \'the audit log was tampered with\'',
      'rollcall audit verify --head 1234:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      'rollcall audit verify --heads audit-heads.txt    # one SEQ:HASH a line, # comments'))
    .option('--head <seq:hash>', 'a head recorded earlier (rollcall audit head); repeatable', collect)
    .option('--heads <file>', 'a file of recorded heads, one SEQ:HASH a line (- for standard input)')
    .action(action(io, async (cli, o: { head?: string[]; heads?: string }) => {
      const heads = o.head || o.heads ? [...(o.head ?? []).map((h) => parseHead(h)), ...(o.heads ? await readHeads(io, o.heads) : [])] : undefined;
      const { ws, actor } = await cli.signedIn();
      const result = await ws.read(actor, (s) => auditVerify(s, heads));
      if (cli.opts.json) cli.render.printJson(result);
      else printVerify(cli, result);
      if (!result.ok) cli.io.exitCode = 1;
    }));
}

async function readHeads(io: IO, file: string): Promise<AuditHead[]> {
  return parseHeadList((await inputBytes(io, file)).toString('utf8'), file === '-' ? 'standard input' : file);
}

/** An entry: its fields, then before → after field by field (values as JSON where they are not plain text). */
function printEntry(cli: Cli, e: AuditListItem) {
  cli.render.fields([['seq', e.seq], ['at', e.at], ['actor', e.actor ?? SYSTEM_ACTOR], ['action', e.action], ['target', e.target],
    ...(e.targetId ? [['target id', e.targetId] as [string, unknown]] : []), ...(e.group ? [['group', e.group] as [string, unknown]] : []),
    ['reason', e.reason], ['batch', e.batch]]);
  const changes = changesOf(e);
  const show = (v: unknown) => (v === null || v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));
  cli.render.out(changes.length ? 'changes:' : 'changes: none recorded');
  const width = Math.max(0, ...changes.map((c) => c.field.length));
  for (const c of changes) cli.render.out(`  ${clean(c.field.padEnd(width))}  ${clean(show(c.from))} → ${clean(show(c.to))}`);
}

function printVerify(cli: Cli, result: AnchoredVerifyResult) {
  const heads = result.heads ?? [];
  if (result.ok) {
    const top = Math.max(0, ...heads.map((h) => h.seq));
    const held = heads.length === 1 ? `the recorded head (entry ${top})` : `the ${heads.length} recorded heads (up to entry ${top})`;
    cli.render.out(`Audit chain intact: ${result.entries} entries${heads.length ? `; it still holds ${held}` : ''}`);
    return;
  }
  const failed = heads.filter((h) => !h.ok);
  if (failed.length && result.problem === headProblem(failed[0])) cli.render.out(`Audit chain consistent (${result.entries} entries), but not the one recorded:`);
  else cli.render.out(`Audit chain broken at entry ${result.seq}: ${result.problem}`);
  for (const h of failed) cli.render.out(headProblem(h).replace(/^r/, 'R'));
}
