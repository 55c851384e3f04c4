// rollcall audit: list and verify the tamper-evident log (SPEC §9).
import type { Command } from 'commander';
import { auditList, auditVerify } from '../../core/audit/log.js';
import { parseSince } from '../../core/clock.js';
import { normalizeEmail } from '../../core/email.js';
import { fail } from '../../core/errors.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';

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
  audit.command('list')
    .description('audit events, newest first (100 unless --limit)')
    .addHelpText('after', examples('rollcall audit list --limit 20', 'rollcall audit list --target bob@acme.example --json'))
    .option('--since <when>', 'a duration like 7d or 24h, or a date')
    .option('--actor <email>', 'only this actor')
    .option('--target <target>', 'only this target: email, group name, org path or role name')
    .option('--action <action>', 'only this action, e.g. member.remove')
    .option('--batch <id>', "only one command's events")
    .option('--limit <n>', 'how many', '100')
    .action(action(io, async (cli, o: AuditListFlags) => {
      const limit = Number(o.limit);
      if (!Number.isSafeInteger(limit) || limit < 1) fail('INVALID_INPUT', `--limit takes a whole number of at least 1: got "${o.limit}"`);
      const { ws, actor } = await cli.signedIn();
      const list = await ws.read(actor, (s) => auditList(s, {
        since: o.since ? parseSince(o.since, s.now) : undefined,
        actor: o.actor ? normalizeEmail(o.actor) : undefined,
        target: o.target && normalizeEmail(o.target).includes('@') ? normalizeEmail(o.target) : o.target,
        action: o.action, batch: o.batch, limit,
      }));
      if (cli.opts.json) return cli.render.printJson(list);
      await cli.render.table(['AT', 'ACTOR', 'ACTION', 'TARGET', 'REASON', 'BATCH'], list.map((e) => [e.at, e.actor ?? '(system)', e.action, e.target, e.reason ?? '', e.batch]));
    }));
  audit.command('verify')
    .description('check the hash chain; exit 1 at the first broken link')
    .addHelpText('after', examples('rollcall audit verify || echo \'the audit log was tampered with\''))
    .action(action(io, async (cli) => {
      const { ws, actor } = await cli.signedIn();
      const result = await ws.read(actor, (s) => auditVerify(s));
      if (cli.opts.json) cli.render.printJson(result);
      else if (result.ok) cli.render.out(`Audit chain intact: ${result.entries} entries`);
      else cli.render.out(`Audit chain broken at entry ${result.seq}: ${result.problem}`);
      if (!result.ok) cli.io.exitCode = 1;
    }));
}
