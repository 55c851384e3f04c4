import type { Command } from 'commander';
import { requirePermission } from '../../core/access/grants.js';
import { fail } from '../../core/errors.js';
import { addMembers } from '../../core/members/add.js';
import { type ListFilter, showMember, streamMembers } from '../../core/members/list.js';
import { purgeable, purgeExpiredCommand, purgeMembers } from '../../core/members/purge.js';
import { moveMembers } from '../../core/members/posts.js';
import { viewsOf } from '../../core/members/views.js';
import { removeMembers } from '../../core/members/remove.js';
import { resetPasswords } from '../../core/members/reset-password.js';
import { restoreMembers, restoreSelection } from '../../core/members/restore.js';
import { suspendMembers, unsuspendMembers } from '../../core/members/suspend.js';
import { updateMember } from '../../core/members/update.js';
import { newInvitation } from '../../core/invites.js';
import { localPart, parseEmail } from '../../core/email.js';
import { checkName } from '../../core/text.js';
import { parseSince } from '../../core/clock.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import { parseBoolean } from '../../core/settings.js';
import { action, examples, collect } from '../action.js';
import { boundHeapGrowth } from '../heap.js';
import type { Cli } from '../context.js';
import type { IO } from '../io.js';
import { CREDENTIAL_FIELDS, MEMBER_ADD_FIELDS, MEMBER_FIELDS, MEMBER_SHOW_FIELDS, RESTORED_FIELDS, withOutput } from '../lists.js';
import { renderRestore, type RestoreFlags } from '../restore-output.js';
import { targetsOf, withFromFile, type FromFileFlags } from '../targets.js';

interface AddFlags {
  name?: string;
  role?: string;
  scope?: string[];
  org?: string;
  addOrg?: string[];
  title?: string;
  startDate?: string;
  '2fa'?: boolean;
  invite?: boolean;
}

interface UpdateFlags {
  name?: string;
  title?: string;
  email?: string;
  '2fa'?: string;
  startDate?: string;
  org?: string;
  addOrg?: string[];
}

function onOff(value: string): boolean {
  return parseBoolean(value, '--2fa');
}

async function batchLine(cli: Cli, batch: string) {
  if (!cli.opts.json) cli.render.out(`Batch: ${batch}`);
}

export function registerMember(program: Command, io: IO) {
  const member = program.command('member').description("the workspace's members and their lifecycle");

  withOutput(member.command('add')
    .description('add a member (status invited); prints a temporary password once'), MEMBER_ADD_FIELDS)
    .argument('[email]', 'the login address (asked at a terminal)')
    .option('--name <name>', 'display name (asked at a terminal)')
    .option('--role <role>', 'workspace role (default viewer; chosen from a list when asked)')
    .option('--scope <org>', 'org subtree for a scoped role (repeatable)', collect)
    .option('--org <path>', 'primary org')
    .option('--add-org <path>', 'additional org (repeatable)', collect)
    .option('--title <title>', 'job title')
    .option('--start-date <date>', 'YYYY-MM-DD; pending until then')
    .option('--2fa', 'require two-factor sign-in')
    .option('--invite', 'issue an invitation link instead of a temporary password')
    .addHelpText('after', examples('rollcall member add                 # at a terminal: asks for the address, name, role and org', 'rollcall member add bob@acme.example --name "Bob Lee" --title Manager', 'rollcall member add ann@acme.example --name Ann --role site-admin --scope Sales --org Sales'))
    .action(action(io, async (cli, emailArg: string | undefined, o: AddFlags) => {
      const { ws, actor } = await cli.signedIn();
      // Asked for the address or the name, a person is guided through role and org too.
      const guided = emailArg === undefined || o.name === undefined;
      const email = await cli.prompt.ask(emailArg, 'EMAIL', 'email address', { check: parseEmail });
      const name = await cli.prompt.ask(o.name, '--name', 'display name', { default: guided ? localPart(parseEmail(email)) : undefined, check: (v) => checkName(v) });
      const placed = guided ? await cli.prompt.placement(ws, actor, { role: o.role, scope: o.scope, org: o.org }) : { role: o.role, scope: o.scope, org: o.org };
      const added = await ws.write(actor, async (s) => {
        const [created] = await addMembers(s, [{
          email, name, role: placed.role, scope: placed.scope, org: placed.org, addOrgs: o.addOrg, title: o.title, startDate: o.startDate,
          twoFactor: !!o['2fa'], temporaryPassword: !o.invite,
        }]);
        const [view] = await viewsOf(s, [created.member]);
        const invite = o.invite ? await newInvitation(s, created.member, cli.io.env.ROLLCALL_INVITE_BASE_URL) : null;
        return { ...view, temporaryPassword: created.temporaryPassword, invite };
      });
      await cli.render.record(added, () => {
        cli.render.memberHuman(added);
        if (added.invite) cli.render.invite(added.invite);
      });
    }));

  withOutput(member.command('list')
    .description('list members (removed ones only with --status deleted)'), MEMBER_FIELDS, { csv: true })
    .option('--status <status>', 'pending, invited, active, suspended or deleted')
    .option('--role <role>', 'only this role')
    .option('--org <path>', 'only members in this org or below it')
    .option('--direct', 'with --org: only that org, not below it')
    .option('--kind <kind>', 'internal or external')
    .option('--search <text>', 'case-insensitive text in name, email, title or org')
    .addHelpText('after', examples('rollcall member list --status suspended', 'rollcall member list --search tokyo --json'))
    .action(action(io, async (cli, o: ListFilter) => {
      const { ws, actor } = await cli.signedIn();
      // Written as read; a status other than these is refused by the core before any output.
      const deleted = o.status !== undefined && o.status.trim().toLowerCase() === 'deleted';
      await cli.render.memberStream((out) => ws.read(actor, (s) => streamMembers(s, o, out)), { deleted });
    }));

  withOutput(member.command('show')
    .description('show one member, removed ones included, with its groups'), MEMBER_SHOW_FIELDS)
    .addHelpText('after', examples('rollcall member show bob@acme.example', 'rollcall member show m_1a2b3c4d --json'))
    .argument('<target>', 'email or id')
    .action(action(io, async (cli, target: string) => {
      const { ws, actor } = await cli.signedIn();
      await cli.render.member(await ws.read(actor, (s) => showMember(s, target)));
    }));

  withOutput(member.command('update')
    .description("change a member's name, title, email, 2FA or start date"), MEMBER_FIELDS)
    .addHelpText('after', examples('rollcall member update bob@acme.example --title Director --2fa on', 'rollcall member update bob@acme.example --email robert@acme.example'))
    .argument('<target>', 'email or id')
    .option('--name <name>', 'display name')
    .option('--title <title>', 'job title ("" clears it)')
    .option('--email <email>', 'new login address')
    .option('--2fa <on|off>', 'two-factor sign-in')
    .option('--start-date <date>', 'YYYY-MM-DD ("" clears it)')
    .option('--org <path>', 'primary org ("" clears it)')
    .option('--add-org <path>', 'additional org (repeatable)', collect)
    .action(action(io, async (cli, target: string, o: UpdateFlags) => {
      const { ws, actor } = await cli.signedIn();
      const patch = {
        name: o.name, title: o.title, email: o.email, startDate: o.startDate, org: o.org, addOrgs: o.addOrg,
        twoFactor: o['2fa'] === undefined ? undefined : onOff(o['2fa']),
      };
      if (Object.values(patch).every((v) => v === undefined)) fail('USAGE', 'nothing to update: give at least one of --name --title --email --2fa --start-date --org --add-org');
      await cli.render.member(await ws.write(actor, (s) => updateMember(s, target, patch)));
    }));

  withOutput(withFromFile(member.command('move')
    .description("change members' posts: primary org, additional orgs (all or nothing)")
    .argument('[targets...]', 'emails or ids')), MEMBER_FIELDS)
    .option('--org <path>', 'new primary org')
    .option('--add-org <path>', 'add an additional org (repeatable)', collect)
    .option('--remove-org <path>', 'leave an org (repeatable)', collect)
    .addHelpText('after', examples('rollcall member move bob@acme.example carol@acme.example --org Sales/Osaka'))
    .action(action(io, async (cli, given: string[], o: FromFileFlags & { org?: string; addOrg?: string[]; removeOrg?: string[] }) => {
      const targets = await targetsOf(io, given, o);
      const { ws, actor } = await cli.signedIn();
      await cli.render.members(await ws.write(actor, (s) => moveMembers(s, targets, { org: o.org, addOrgs: o.addOrg, removeOrgs: o.removeOrg })));
    }));

  withOutput(withFromFile(member.command('suspend')
    .description('suspend members; their data is kept (all or nothing)')
    .addHelpText('after', examples('rollcall member suspend bob@acme.example --reason "on leave"', 'rollcall member suspend --from-file leavers.txt --reason "left"   # one email or id a line'))
    .argument('[targets...]', 'emails or ids')), MEMBER_FIELDS)
    .option('--reason <text>', 'recorded in the audit log')
    .action(action(io, async (cli, given: string[], o: FromFileFlags & { reason?: string }) => {
      const targets = await targetsOf(io, given, o);
      const { ws, actor } = await cli.signedIn();
      await cli.render.members(await ws.write(actor, (s) => suspendMembers(s, targets, o.reason)));
    }));

  withOutput(withFromFile(member.command('unsuspend')
    .description('lift a suspension; a locked-out member also gets a temporary password')
    .addHelpText('after', examples('rollcall member unsuspend bob@acme.example'))
    .argument('[targets...]', 'emails or ids')), CREDENTIAL_FIELDS)
    .action(action(io, async (cli, given: string[], o: FromFileFlags) => {
      const targets = await targetsOf(io, given, o);
      const { ws, actor } = await cli.signedIn();
      await cli.render.credentials(await ws.write(actor, (s) => unsuspendMembers(s, targets)));
    }));

  withOutput(withFromFile(member.command('remove')
    .description('remove members; restorable for 7 days (all or nothing)')
    .argument('[targets...]', 'emails or ids')), MEMBER_FIELDS)
    .option('--reason <text>', 'recorded in the audit log')
    .addHelpText('after', examples('rollcall member remove bob@acme.example carol@acme.example --reason "left the company"', 'grep -v "^#" leavers.txt | rollcall member remove --from-file -   # one batch: member restore --batch undoes it'))
    .action(action(io, async (cli, given: string[], o: FromFileFlags & { reason?: string }) => {
      const targets = await targetsOf(io, given, o);
      const { ws, actor } = await cli.signedIn();
      const list = await ws.write(actor, (s) => removeMembers(s, targets, o.reason));
      if (cli.opts.json || cli.opts.fields !== undefined) return cli.render.members(list, { deleted: true });
      for (const m of list) cli.render.out(`Removed ${m.email}: restorable until ${m.restorableUntil}`);
      await batchLine(cli, ws.batch);
    }));

  withOutput(withFromFile(member.command('restore')
    .description('bring removed members back, as they were, within 7 days (all or nothing)')
    .argument('[targets...]', 'emails or ids')), RESTORED_FIELDS)
    .option('--batch <id>', 'everyone that batch removed and that is still removed')
    .option('--removed-since <when>', 'everyone removed since then: a duration like 24h or a date')
    .option('--by <target>', 'with --removed-since: only removals by this member')
    .option('--skip-expired', 'restore the rest when some are past their window or purged, naming them')
    .option('--dry-run', 'list who would come back; change nothing')
    .addHelpText('after', examples('rollcall member restore bob@acme.example', 'rollcall member restore --batch b20300107090000-1a2b3c --dry-run', 'rollcall member restore --removed-since 24h --by ci@acme.example'))
    .action(action(io, async (cli, given: string[], o: RestoreFlags & FromFileFlags) => {
      const targets = o.fromFile === undefined ? given : await targetsOf(io, given, o, 'members to restore');
      const chosen = [targets.length ? 'members' : '', o.batch ? '--batch' : '', o.removedSince ? '--removed-since' : ''].filter(Boolean);
      if (chosen.length > 1) fail('USAGE', `${chosen.join(' and ')} are alternatives: say whom to restore one way`);
      if (!chosen.length) fail('USAGE', 'say whom to restore: members, or --batch ID, or --removed-since WHEN');
      if (o.by && !o.removedSince) fail('USAGE', '--by goes with --removed-since');
      const { ws, actor } = await cli.signedIn();
      if (!targets.length) await boundHeapGrowth(); // a batch, or a time, may bring back 100,000 members
      const opts = { skipExpired: o.skipExpired, dryRun: o.dryRun };
      const run = (s: UnitOfWork) => targets.length ? restoreMembers(s, targets, opts)
        : restoreSelection(s, { ...opts, batch: o.batch, removedSince: o.removedSince ? parseSince(o.removedSince, s.now) : undefined, by: o.by });
      // A dry run is the write rehearsed (SPEC §14): the automatic purge, the lock, every rule; then rolled back.
      const result = o.dryRun ? await ws.rehearse(actor, run) : await ws.write(actor, run);
      await renderRestore(cli, result, o);
    }));

  withFromFile(member.command('purge')
    .description('delete removed members for good (irreversible)')
    .addHelpText('after', examples('rollcall member purge bob@acme.example   # asks, listing what is lost', 'rollcall member purge --expired'))
    .argument('[targets...]', 'emails or ids of removed members'))
    .option('--expired', 'purge members past their 7-day window (also done at every write)')
    .action(action(io, async (cli, given: string[], o: FromFileFlags & { expired?: boolean }) => {
      const targets = o.fromFile === undefined ? given : await targetsOf(io, given, o, 'members to purge');
      if (!o.expired && !targets.length) fail('USAGE', 'name removed members to purge, or pass --expired');
      if (o.expired && targets.length) fail('USAGE', 'give either --expired or members, not both');
      const { ws, actor } = await cli.signedIn();
      await ws.read(actor, (s) => requirePermission(s, 'members.delete')); // who may, before asking whether to
      if (!o.expired) {
        const doomed = await ws.read(actor, (s) => purgeable(s, targets));
        await cli.prompt.confirm(`Purge ${doomed.length} member${doomed.length === 1 ? '' : 's'} for good? This cannot be undone.`, 'purging members',
          doomed.map((m) => `${m.email} (${m.name}), removed ${m.deletedAt}: its record, posts, group memberships and history of passwords`));
      }
      const list = await ws.write(actor, (s) => (o.expired ? purgeExpiredCommand(s) : purgeMembers(s, targets)));
      if (cli.opts.json) return cli.render.printJson(list);
      cli.render.out(list.length ? list.map((m) => `Purged ${m.email}`).join('\n') : 'Nothing to purge');
    }));

  withOutput(withFromFile(member.command('reset-password')
    .description('issue new temporary passwords, printed once')
    .addHelpText('after', examples('rollcall member reset-password bob@acme.example --json'))
    .argument('[targets...]', 'emails or ids')), CREDENTIAL_FIELDS)
    .action(action(io, async (cli, given: string[], o: FromFileFlags) => {
      const targets = await targetsOf(io, given, o);
      const { ws, actor } = await cli.signedIn();
      await cli.render.credentials(await ws.write(actor, (s) => resetPasswords(s, targets)));
    }));
}
