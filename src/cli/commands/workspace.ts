import type { Command } from 'commander';
import { requirePermission } from '../../core/access/grants.js';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { auditList, auditVerify } from '../../core/audit/log.js';
import { verifyChain } from '../../core/audit/chain.js';
import type { Member } from '../../core/model.js';
import type { Workspace } from '../../core/workspace.js';
import { isPostgresUrl, openStore } from '../../store/open.js';
import { redactUrl } from '../context.js';
import { parseSince } from '../../core/clock.js';
import { normalizeEmail } from '../../core/email.js';
import { fail } from '../../core/errors.js';
import { addDomain, listDomains, removeDomain, setSetting, showWorkspace, type WorkspaceView } from '../../core/settings.js';
import { action, examples } from '../action.js';
import type { Cli } from '../context.js';
import type { IO } from '../io.js';

function printWorkspace(cli: Cli, w: WorkspaceView) {
  if (cli.opts.json) return cli.render.printJson(w);
  cli.render.fields([['name', w.name], ['domains', w.domains], ['seats', `${w.seatsUsed} of ${w.seatLimit} used`], ['allow external', w.allowExternal]]);
}

async function printDomains(cli: Cli, domains: string[]) {
  if (cli.opts.json) return cli.render.printJson(domains);
  for (const d of domains) cli.render.out(d);
}

/** A whole copy holds every password hash: only those who manage members and settings take one. */
async function mayTakeWholeCopy(ws: Workspace, actor: Member) {
  await ws.read(actor, async (s) => {
    await requirePermission(s, 'members.manage');
    await requirePermission(s, 'settings.edit');
  });
}

export function registerWorkspace(program: Command, io: IO) {
  const workspace = program.command('workspace').description("the workspace's settings");
  workspace.command('show')
    .description('name, domains, seats and settings')
    .addHelpText('after', examples('rollcall workspace show --json'))
    .action(action(io, async (cli) => {
      const { ws, actor } = await cli.signedIn();
      printWorkspace(cli, await ws.read(actor, (s) => showWorkspace(s)));
    }));
  workspace.command('set')
    .description('change a setting: name, seat-limit, allow-external')
    .argument('<key>', 'name, seat-limit or allow-external')
    .argument('<value>', 'the new value')
    .addHelpText('after', examples('rollcall workspace set seat-limit 250', 'rollcall workspace set allow-external true'))
    .action(action(io, async (cli, key: string, value: string) => {
      const { ws, actor } = await cli.signedIn();
      printWorkspace(cli, await ws.write(actor, (s) => setSetting(s, key, value)));
    }));

  workspace.command('copy')
    .description('copy the whole workspace into a new, empty one: a file, or a postgres:// database')
    .argument('<dest>', 'a new SQLite file, or a postgres:// URL of a database without rollcall tables')
    .addHelpText('after', examples('rollcall workspace copy postgres://rollcall@db.internal/acme    # a file outgrew itself', 'rollcall -w postgres://rollcall@db.internal/acme workspace copy offline.db'))
    .action(action(io, async (cli, dest: string) => {
      const { ws, actor } = await cli.signedIn();
      await mayTakeWholeCopy(ws, actor);
      const target = isPostgresUrl(dest) ? dest : resolve(io.cwd, dest);
      const { copyWorkspace } = await import('../../store/copy.js');
      const to = await openStore(target, { create: true });
      let entries = 0;
      try {
        await copyWorkspace(ws.store, to);
        const check = await to.read((tx) => verifyChain(tx));
        if (!check.ok) fail('WORKSPACE_CORRUPT', `the copy's audit chain does not verify: ${check.problem}`);
        entries = check.entries;
      } catch (e) {
        await to.close();
        if (!isPostgresUrl(target)) for (const suffix of ['', '-wal', '-shm']) rmSync(target + suffix, { force: true });
        throw e;
      }
      await to.close();
      const where = isPostgresUrl(target) ? redactUrl(target) : target;
      if (cli.opts.json) return cli.render.printJson({ copy: where, auditEntries: entries });
      cli.render.out(`Copied to ${where}; its audit chain verifies (${entries} entries)`);
    }));

  const domain = program.command('domain').description("the workspace's email domains: members on them are internal");
  domain.command('list').description('list domains')
    .addHelpText('after', examples('rollcall domain list --json')).action(action(io, async (cli) => {
    const { ws, actor } = await cli.signedIn();
    await printDomains(cli, await ws.read(actor, (s) => listDomains(s)));
  }));
  domain.command('add').description('add a domain')
    .addHelpText('after', examples('rollcall domain add acme.co.jp')).argument('<domain>').action(action(io, async (cli, d: string) => {
    const { ws, actor } = await cli.signedIn();
    await printDomains(cli, await ws.write(actor, (s) => addDomain(s, d)));
  }));
  domain.command('rm').description('remove a domain no member uses')
    .addHelpText('after', examples('rollcall domain rm old-acme.example')).argument('<domain>').action(action(io, async (cli, d: string) => {
    const { ws, actor } = await cli.signedIn();
    await printDomains(cli, await ws.write(actor, (s) => removeDomain(s, d)));
  }));

  program.command('backup')
    .description('write a consistent copy of the workspace to a new SQLite file, while others keep working')
    .addHelpText('after', examples('rollcall backup /backups/acme-$(date +%F).db'))
    .argument('<dest>', 'the new file')
    .action(action(io, async (cli, dest: string) => {
      const { ws, actor } = await cli.signedIn();
      await mayTakeWholeCopy(ws, actor);
      const path = resolve(io.cwd, dest);
      await ws.store.backup(path);
      if (cli.opts.json) return cli.render.printJson({ backup: path });
      cli.render.out(`Backed up to ${path}`);
    }));

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
    .action(action(io, async (cli, o: Record<string, string | undefined>) => {
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
