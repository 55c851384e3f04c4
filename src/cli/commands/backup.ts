// rollcall backup: a consistent SQLite copy of the workspace (SPEC §11).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { backupWorkspace } from '../../core/workspace-copy.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';

export function registerBackup(program: Command, io: IO) {
  program.command('backup')
    .description('write a consistent copy of the workspace to a new SQLite file, while others keep working')
    .addHelpText('after', examples('rollcall backup /backups/acme-$(date +%F).db'))
    .argument('<dest>', 'the new file')
    .action(action(io, async (cli, dest: string) => {
      const { ws, actor } = await cli.signedIn();
      const path = resolve(io.cwd, dest);
      await backupWorkspace(ws, actor, path);
      if (cli.opts.json) return cli.render.printJson({ backup: path });
      cli.render.out(`Backed up to ${path}`);
    }));
}
