// rollcall recover EMAIL (SPEC §14): the break-glass way back in for a locked-out admin. No session
// or token: direct access to the workspace as its owner is the proof (the core checks it).
import type { Command } from 'commander';
import { recoverAdmin } from '../../core/members/recover.js';
import { shellQuote } from '../../core/shell.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';

export function registerRecover(program: Command, io: IO) {
  program.command('recover')
    .description("break glass: let a locked-out admin back in (needs the workspace's owner, not a session)")
    .argument('<email>', 'an admin of the workspace')
    .addHelpText('after', '\nLifts the suspension, turns two-step sign-in off and prints a new temporary password once. Run it as the user owning the\n'
      + "workspace file (or, on PostgreSQL, as a role owning the workspace's tables). Audited as member.recover by (local).\n"
      + examples('rollcall recover alice@acme.example', 'rollcall -w postgres://owner@db/acme recover alice@acme.example --json'))
    .action(action(io, async (cli, email: string) => {
      const ws = await cli.open();
      const { member: recovered, twoFactorTurnedOff } = await recoverAdmin(ws, email);
      if (cli.opts.json) return cli.render.printJson(recovered);
      cli.render.out(`Recovered ${recovered.email}: ${recovered.status}, with a new temporary password`);
      if (twoFactorTurnedOff) cli.render.note(`two-step sign-in is off for ${recovered.email}; once signed in, turn it on again: rollcall member update ${shellQuote(recovered.email)} --2fa on`);
      cli.render.secret(`temporary password for ${recovered.email}`, recovered.temporaryPassword!, `must be changed at first sign-in: rollcall passwd ${shellQuote(recovered.email)}`);
    }));
}
