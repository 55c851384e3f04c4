// rollcall export: every member (not removed) as a roster that apply reads back as "No changes." (SPEC §8).
import type { Command } from 'commander';
import { exportFormatFor, formatOptionHelp } from '../../core/roster/formats/index.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';
import { ChunkedOutput, streamSink, type ChunkSink } from '../chunks.js';
import { checkOutputPath } from '../output-file.js';

interface ExportFlags {
  format?: string;
  output?: string;
  force?: boolean;
}

export function registerExport(program: Command, io: IO) {
  program.command('export')
    .description('write every member (not removed) as a roster that apply reads back as No changes.')
    .option('--format <format>', formatOptionHelp('export'))
    .option('-o, --output <file>', 'write to a new file (mode 0600) instead of standard output')
    .option('--force', 'replace the -o file if it exists')
    .addHelpText('after', examples('rollcall export -o roster.yaml', 'rollcall export --format scim > users.json'))
    .action(action(io, async (cli, o: ExportFlags) => {
      const { exportRoster } = await import('../../core/roster/export.js');
      const format = o.format ?? exportFormatFor(o.output);
      const file = o.output ? checkOutputPath(io, o.output, { force: o.force }) : null; // before any work
      const { ws, actor } = await cli.signedIn();
      // Written as it is read, in 64 KiB chunks: to a temp file moved into place at the end, or to
      // standard output (the first chunk only once every refusal has had its chance).
      const run = async (sink: ChunkSink) => {
        const out = new ChunkedOutput(sink);
        await ws.read(actor, (s) => exportRoster(s, format, out.write));
        await out.flush();
      };
      if (file) {
        await file.stream((write) => run(write));
        if (!cli.opts.json) cli.render.note(`Exported to ${o.output}`);
      } else {
        await run(streamSink(io.stdout));
      }
    }));
}
