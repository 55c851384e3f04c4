import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import {
  addGroupMembers, createGroup, deleteGroup, groupToDelete, listGroups, removeGroupMembers, setGroupRole, setGroupSuspended, showGroup,
  transferOwner, updateGroup, type GroupRole, type GroupView,
} from '../../core/groups.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import { action, examples } from '../action.js';
import type { Cli } from '../context.js';
import type { IO } from '../io.js';
import { clean } from '../render.js';
import { GROUP_FIELDS, GROUP_MEMBER_FIELDS, withOutput } from '../lists.js';
import { targetsOf, withFromFile, type FromFileFlags } from '../targets.js';

function groupRole(value: string): GroupRole {
  if (value !== 'admin' && value !== 'member') fail('INVALID_INPUT', `a group role is admin or member: got "${value}"`);
  return value;
}

async function printGroup(cli: Cli, g: GroupView) {
  if (cli.opts.csv && !cli.opts.json) return cli.render.list(MEMBERS, g.members ?? []); // group show --csv: its members
  await cli.render.record(g, async () => {
    cli.render.fields([['name', g.name], ['status', g.status], ['owner', g.owner], ['internal only', g.internalOnly ? 'yes' : 'no'], ['description', g.description]]);
    if (g.members) {
      cli.render.out('');
      await cli.render.list(MEMBERS, g.members);
    }
  });
}

type GroupMember = NonNullable<GroupView['members']>[number];
const MEMBERS = { fields: GROUP_MEMBER_FIELDS, headers: ['MEMBER', 'ROLE'], row: (m: GroupMember) => [m.email, m.owner ? 'owner' : m.role], csv: GROUP_MEMBER_FIELDS };

/** A group command that writes: sign in, run in one transaction, print the group. */
function groupWrite<A extends unknown[]>(io: IO, run: (s: UnitOfWork, ...args: A) => Promise<GroupView>) {
  return action(io, async (cli, ...args: A) => {
    const { ws, actor } = await cli.signedIn();
    await printGroup(cli, await ws.write(actor, (s) => run(s, ...args)));
  });
}

export function registerGroup(program: Command, io: IO) {
  const group = program.command('group').description('groups: each has exactly one owner; only group admins manage it');
  withOutput(group.command('create'), GROUP_FIELDS)
    .description('create a group; you become its owner')
    .argument('<name>')
    .option('--internal-only', 'only members on the workspace domains may join')
    .option('--description <text>')
    .addHelpText('after', examples('rollcall group create Design --internal-only --description "Product design"'))
    .action(groupWrite(io, (s, name: string, o: { internalOnly?: boolean; description?: string }) => createGroup(s, name, o)));
  withOutput(group.command('list').description('groups with status and owner'), GROUP_FIELDS, { csv: true })
    .addHelpText('after', examples('rollcall group list --json')).action(action(io, async (cli) => {
    const { ws, actor } = await cli.signedIn();
    const list = await ws.read(actor, (s) => listGroups(s));
    await cli.render.list({
      fields: GROUP_FIELDS, headers: ['GROUP', 'STATUS', 'OWNER', 'INTERNAL'], row: (g) => [g.name, g.status, g.owner, g.internalOnly ? 'yes' : ''],
      csv: ['name', 'status', 'owner', 'internalOnly', 'description'],
    }, list);
  }));
  withOutput(group.command('show').description("a group; its members if you are in it (--csv: its members)"), GROUP_FIELDS, { csv: true, csvFields: GROUP_MEMBER_FIELDS })
    .addHelpText('after', examples('rollcall group show Design')).argument('<name>').action(action(io, async (cli, name: string) => {
    const { ws, actor } = await cli.signedIn();
    await printGroup(cli, await ws.read(actor, (s) => showGroup(s, name)));
  }));
  withOutput(group.command('update'), GROUP_FIELDS).description('rename or describe a group (group admins)')
    .addHelpText('after', examples('rollcall group update Design --name "Product Design" --description "UI and UX"')).argument('<name>')
    .option('--name <new>', 'new name').option('--description <text>')
    .action(groupWrite(io, (s, name: string, o: { name?: string; description?: string }) => {
      if (o.name === undefined && o.description === undefined) fail('USAGE', 'nothing to update: give --name or --description');
      return updateGroup(s, name, o);
    }));
  withOutput(group.command('suspend'), GROUP_FIELDS).description('suspend a group (group admins)')
    .addHelpText('after', examples('rollcall group suspend Design')).argument('<name>')
    .action(groupWrite(io, (s, name: string) => setGroupSuspended(s, name, true)));
  withOutput(group.command('resume'), GROUP_FIELDS).description('resume a suspended group (group admins)')
    .addHelpText('after', examples('rollcall group resume Design')).argument('<name>')
    .action(groupWrite(io, (s, name: string) => setGroupSuspended(s, name, false)));
  group.command('delete').description('delete a group (its owner only)')
    .addHelpText('after', examples('rollcall group delete Design', 'rollcall group delete Design --yes   # in a script')).argument('<name>').action(action(io, async (cli, name: string) => {
    const { ws, actor } = await cli.signedIn();
    const doomed = await ws.read(actor, async (s) => { await groupToDelete(s, name); return showGroup(s, name); }); // who may, before asking whether to
    const members = doomed.members ?? [];
    await cli.prompt.confirm(`Delete group ${doomed.name} and its ${members.length} membership${members.length === 1 ? '' : 's'}?`, 'deleting a group',
      [`group ${doomed.name}${doomed.description ? ` (${doomed.description})` : ''}`, ...members.map((m) => `${m.email}'s membership (${m.owner ? 'owner' : m.role})`)]);
    const g = await ws.write(actor, (s) => deleteGroup(s, name));
    if (cli.opts.json) return cli.render.printJson(g);
    cli.render.out(`Deleted group ${clean(g.name)}`);
  }));
  withFromFile(withOutput(group.command('add-member'), GROUP_FIELDS).description('add members to a group (group admins)')
    .addHelpText('after', examples('rollcall group add-member Design bob@acme.example carol@acme.example', 'rollcall group add-member Design dan@acme.example --role admin',
      'rollcall group add-member Design --from-file designers.txt   # one email or id a line')).argument('<name>').argument('[targets...]'))
    .option('--role <role>', 'admin or member', 'member')
    .action(action(io, async (cli, name: string, given: string[], o: FromFileFlags & { role: string }) => {
      const role = groupRole(o.role);
      const targets = await targetsOf(io, given, o);
      const { ws, actor } = await cli.signedIn();
      await printGroup(cli, await ws.write(actor, (s) => addGroupMembers(s, name, targets, role)));
    }));
  withFromFile(withOutput(group.command('remove-member'), GROUP_FIELDS).description('take members out of a group (group admins)')
    .addHelpText('after', examples('rollcall group remove-member Design bob@acme.example')).argument('<name>').argument('[targets...]'))
    .action(action(io, async (cli, name: string, given: string[], o: FromFileFlags) => {
      const targets = await targetsOf(io, given, o);
      const { ws, actor } = await cli.signedIn();
      await printGroup(cli, await ws.write(actor, (s) => removeGroupMembers(s, name, targets)));
    }));
  withOutput(group.command('set-role'), GROUP_FIELDS).description("change a member's group role (group admins)")
    .addHelpText('after', examples('rollcall group set-role Design carol@acme.example admin')).argument('<name>').argument('<target>').argument('<role>', 'admin or member')
    .action(groupWrite(io, (s, name: string, target: string, role: string) => setGroupRole(s, name, target, groupRole(role))));
  withOutput(group.command('transfer-owner'), GROUP_FIELDS)
    .description('hand a group to another active group admin (the owner only; support: --override)')
    .argument('<name>')
    .option('--to <target>', 'the new owner (at a terminal: chosen among the active group admins)')
    .option('--override', 'support: take over for an owner who has left (needs groups.override)')
    .option('--reason <text>', 'why, for the audit log (required with --override)')
    .addHelpText('after', examples('rollcall group transfer-owner Design --to carol@acme.example', 'rollcall group transfer-owner Design --to carol@acme.example --override --reason "owner left, ticket 4711"'))
    .action(action(io, async (cli, name: string, o: { to?: string; override?: boolean; reason?: string }) => {
      const { ws, actor } = await cli.signedIn();
      const to = await cli.prompt.newOwner(ws, actor, name, o.to, !!o.override);
      await printGroup(cli, await ws.write(actor, (s) => transferOwner(s, name, to, o)));
    }));
}
