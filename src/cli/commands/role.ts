import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import { createRole, deleteRole, listRoles, setRole, showRole, type RoleView } from '../../core/access/role-commands.js';
import { action, examples, collect } from '../action.js';
import type { Cli } from '../context.js';
import type { IO } from '../io.js';
import { MEMBER_FIELDS, ROLE_FIELDS, withOutput } from '../lists.js';
import { targetsOf, withFromFile, type FromFileFlags } from '../targets.js';

function printRole(cli: Cli, r: RoleView) {
  return cli.render.record(r, () => {
    cli.render.out(`${r.name}${r.builtin ? ' (built-in)' : ''}`);
    for (const p of r.permissions) cli.render.out(`  ${p}${r.scoped?.includes(p) ? '  (within scope)' : ''}`);
  });
}

export function registerRole(program: Command, io: IO) {
  const role = program.command('role').description('workspace roles and their permissions');
  withOutput(role.command('list').description('every role with its permissions'), ROLE_FIELDS, { csv: true })
    .addHelpText('after', examples('rollcall role list')).action(action(io, async (cli) => {
    const { ws, actor } = await cli.signedIn();
    const roles = await ws.read(actor, (s) => listRoles(s));
    await cli.render.list({
      fields: ROLE_FIELDS, headers: ['ROLE', 'BUILT-IN', 'PERMISSIONS'], csv: ['name', 'builtin', 'permissions', 'scoped'],
      row: (r) => [r.name, r.builtin ? 'yes' : 'no', r.permissions.map((p) => (r.scoped?.includes(p) ? p + '*' : p)).join(' ')],
    }, roles);
    if (cli.render.tty && !cli.opts.json && !cli.opts.csv && !cli.opts.fields) cli.render.note('* within the role\'s scope only');
  }));
  withOutput(role.command('show').description("a role's permissions"), ROLE_FIELDS)
    .addHelpText('after', examples('rollcall role show site-admin --json')).argument('<role>').action(action(io, async (cli, name: string) => {
    const { ws, actor } = await cli.signedIn();
    await printRole(cli, await ws.read(actor, (s) => showRole(s, name)));
  }));
  withOutput(withFromFile(role.command('set')
    .description('give members a role (all or nothing); scoped roles take --scope')
    .argument('<targets-and-role...>', 'emails or ids, then the role')), MEMBER_FIELDS)
    .option('--scope <org>', 'org subtree (repeatable; site-admin one or more, chat-operator exactly one)', collect)
    .addHelpText('after', examples('rollcall role set bob@acme.example operator', 'rollcall role set ann@acme.example site-admin --scope Sales --scope Support',
      'rollcall role set --from-file team.txt operator   # one email or id a line'))
    .action(action(io, async (cli, args: string[], o: FromFileFlags & { scope?: string[] }) => {
      const name = args[args.length - 1];
      if (args.length < 2 && o.fromFile === undefined) fail('USAGE', 'name the members, then the role: rollcall role set EMAIL… ROLE');
      const targets = await targetsOf(io, args.slice(0, -1), o);
      const { ws, actor } = await cli.signedIn();
      await cli.render.members(await ws.write(actor, (s) => setRole(s, targets, name, o.scope ?? [])));
    }));
  withOutput(role.command('create')
    .description('create a custom role'), ROLE_FIELDS)
    .addHelpText('after', examples('rollcall role create auditor --permissions members.view,audit.view'))
    .argument('<name>')
    .requiredOption('--permissions <list>', 'comma-separated, e.g. members.view,audit.view')
    .action(action(io, async (cli, name: string, o: { permissions: string }) => {
      const { ws, actor } = await cli.signedIn();
      await printRole(cli, await ws.write(actor, (s) => createRole(s, name, o.permissions)));
    }));
  role.command('delete')
    .description('delete a custom role no member has')
    .addHelpText('after', examples('rollcall role delete auditor'))
    .argument('<name>')
    .action(action(io, async (cli, name: string) => {
      const { ws, actor } = await cli.signedIn();
      const r = await ws.write(actor, (s) => deleteRole(s, name));
      if (cli.opts.json) return cli.render.printJson(r);
      cli.render.out(`Deleted role ${r.name}`);
    }));
}
