// rollcall backup: a consistent SQLite copy of the workspace (SPEC §11), written as every output file
// is (§14): DEST checked before any work, the copy made beside it and moved into place when complete.
import type { Command } from 'commander';
import { backupWorkspace } from '../../core/workspace-copy.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';

export function registerBackup(program: Command, io: IO) {
  program.command('backup')
    .description('write a consistent copy of the workspace to a new SQLite file, while others keep working')
    .addHelpText('after', examples('rollcall backup /backups/acme-$(date +%F).db', 'rollcall backup latest.db --force    # replace the last one'))
    .argument('<dest>', 'the new file')
    .option('--force', 'replace DEST if it exists')
    .action(action(io, async (cli, dest: string, o: { force?: boolean }) => {
      const file = cli.workspaceFileOut(dest, { force: o.force });
      const { ws, actor } = await cli.signedIn();
      await file.produce((temp) => backupWorkspace(ws, actor, temp));
      if (cli.opts.json) return cli.render.printJson({ backup: file.path });
      cli.render.out(`Backed up to ${file.path}`);
    }));
}
