import type { Command } from 'commander';
import { can } from '../../core/access/can.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';

export function registerCan(program: Command, io: IO) {
  program.command('can')
    .description('does a member hold a permission? exit 0 and "yes", or exit 1 and "no"')
    .argument('<target>', 'email or id')
    .argument('<permission>', 'e.g. members.manage')
    .option('--org <path>', 'at this org (for scoped roles)')
    .addHelpText('after', examples('rollcall can ann@acme.example members.manage --org Sales/Tokyo   # yes (exit 0) or no (exit 1)', 'if rollcall can ann@acme.example members.delete >/dev/null; then echo allowed; fi'))
    .action(action(io, async (cli, target: string, permission: string, o: { org?: string }) => {
      const { ws, actor } = await cli.signedIn();
      const allowed = await ws.read(actor, (s) => can(s, target, permission, o.org));
      if (cli.opts.json) cli.render.printJson({ allowed });
      else cli.render.out(allowed ? 'yes' : 'no');
      if (!allowed) cli.io.exitCode = 1;
    }));
}
