// rollcall workspace: show and change settings, copy the whole workspace (SPEC §1, §11).
import type { Command } from 'commander';
import { setSetting, showWorkspace, type WorkspaceView } from '../../core/settings.js';
import { copyWorkspace } from '../../core/workspace-copy.js';
import { action, examples } from '../action.js';
import type { Cli } from '../context.js';
import type { IO } from '../io.js';
import { WORKSPACE_FIELDS, withOutput } from '../lists.js';

function printWorkspace(cli: Cli, w: WorkspaceView) {
  return cli.render.record(w, () => {
    const env = cli.io.env;
    // The environment wins over the workspace's mail settings (rollcall help environment): say so where it does.
    const over = (value: string | null, variable: 'ROLLCALL_SMTP_URL' | 'ROLLCALL_MAIL_FROM') => (env[variable]?.trim() ? `${value ?? '-'} (here ${variable} overrides it)` : value);
    cli.render.fields([['name', w.name], ['id', w.id], ['domains', w.domains], ['seats', `${w.seatsUsed} of ${w.seatLimit} used`], ['allow external', w.allowExternal],
      ['smtp url', over(w.smtpUrl, 'ROLLCALL_SMTP_URL')], ['mail from', over(w.mailFrom, 'ROLLCALL_MAIL_FROM')]]);
  });
}

export function registerWorkspace(program: Command, io: IO) {
  const workspace = program.command('workspace').description("the workspace's settings");
  withOutput(workspace.command('show')
    .description('name, id, domains, seats and settings'), WORKSPACE_FIELDS)
    .addHelpText('after', examples('rollcall workspace show --json'))
    .action(action(io, async (cli) => {
      const { ws, actor } = await cli.signedIn();
      await printWorkspace(cli, await ws.read(actor, (s) => showWorkspace(s)));
    }));
  withOutput(workspace.command('set')
    .description('change a setting: name, seat-limit, allow-external, smtp-url, mail-from'), WORKSPACE_FIELDS)
    .argument('<key>', 'name, seat-limit, allow-external, smtp-url or mail-from')
    .argument('<value>', "the new value ('' clears smtp-url and mail-from)")
    .addHelpText('after', examples('rollcall workspace set seat-limit 250', 'rollcall workspace set allow-external true',
      'rollcall workspace set smtp-url smtp://rollcall@mail.acme.example:587   # password: ROLLCALL_SMTP_PASSWORD_FILE, or in the URL (stored, never shown)',
      "rollcall workspace set mail-from 'Acme directory <rollcall@acme.example>'"))
    .action(action(io, async (cli, key: string, value: string) => {
      const { ws, actor } = await cli.signedIn();
      await printWorkspace(cli, await ws.write(actor, (s) => setSetting(s, key, value)));
    }));

  workspace.command('copy')
    .description('copy the whole workspace into a new, empty one: a file, or a postgres:// database')
    .argument('<dest>', 'a new SQLite file, or a postgres:// URL of a database without rollcall tables')
    .option('--force', 'replace DEST if it is a file that exists (a database is never replaced)')
    .addHelpText('after', examples('rollcall workspace copy postgres://rollcall@db.internal/acme    # a file outgrew itself', 'rollcall -w postgres://rollcall@db.internal/acme workspace copy offline.db'))
    .action(action(io, async (cli, dest: string, o: { force?: boolean }) => {
      const to = cli.otherWorkspace(dest, { force: o.force }); // a file is checked before any work
      const { ws, actor } = await cli.signedIn();
      const copied = await to.into((dest) => copyWorkspace(ws, actor, dest));
      if (cli.opts.json) return cli.render.printJson({ copy: to.where, auditEntries: copied.auditEntries });
      cli.render.out(`Copied to ${to.where}; its audit chain verifies (${copied.auditEntries} entries)`);
    }));
}
