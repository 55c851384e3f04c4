// rollcall export: every member (not removed) as a roster that apply reads back as "No changes." (SPEC §8).
import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import { exportFormatFor, formatOptionHelp } from '../../core/roster/formats/index.js';
import { action, examples } from '../action.js';
import type { IO } from '../io.js';
import { ChunkedOutput, streamSink, type ByteSink } from '../chunks.js';
import { checkOutputPath } from '../output-file.js';

interface ExportFlags {
  format?: string;
  output?: string;
  force?: boolean;
  encoding?: string;
  formulaSafe?: boolean;
}

export function registerExport(program: Command, io: IO) {
  program.command('export')
    .description('write every member (not removed) as a roster that apply reads back as No changes.')
    .option('--format <format>', formatOptionHelp('export'))
    .option('-o, --output <file>', 'write to a new file (mode 0600) instead of standard output')
    .option('--force', 'replace the -o file if it exists')
    .option('--encoding <encoding>', 'CSV for a spreadsheet: utf-8 (default), utf-8-bom (Excel) or shift_jis (Excel in Japan; a character it lacks is refused, naming the member)')
    .option('--formula-safe', "CSV for a spreadsheet: a cell starting with = + - @, a tab or a CR gets a leading ' so it is not run as a formula (apply then reads the ')")
    .addHelpText('after', examples('rollcall export -o roster.yaml', 'rollcall export --format scim > users.json',
      'rollcall export -o roster.csv --encoding shift_jis --formula-safe   # for Excel in Japan'))
    .action(action(io, async (cli, o: ExportFlags) => {
      const { exportRoster } = await import('../../core/roster/export.js');
      const encodings = o.encoding === undefined ? null : await import('../../core/roster/encode.js'); // iconv-lite: only when asked
      const format = o.format ?? exportFormatFor(o.output);
      const encoding = encodings?.exportEncoding(o.encoding!);
      // Spreadsheets open CSV; JSON is UTF-8 by its RFC (8259), YAML by its spec, and neither has cells.
      if (format !== 'csv' && ((encoding && encoding !== 'utf-8') || o.formulaSafe)) {
        fail('USAGE', `${encoding && encoding !== 'utf-8' ? `--encoding ${encoding}` : '--formula-safe'} is for CSV, which spreadsheets open: ${format} is written as UTF-8, as it is`, 'export with --format csv (or -o FILE.csv)');
      }
      const file = o.output ? checkOutputPath(io, o.output, { force: o.force }) : null; // before any work
      const { ws, actor } = await cli.signedIn();
      // Written as it is read, in 64 KiB chunks: to a temp file moved into place at the end, or to
      // standard output (the first chunk only once every refusal has had its chance).
      const run = async (sink: ByteSink) => {
        const encode = encodings && encoding ? encodings.exportEncoder(encoding) : (text: string) => text;
        const out = new ChunkedOutput((chunk) => sink(encode(chunk)));
        await ws.read(actor, (s) => exportRoster(s, format, out.write, { encoding, formulaSafe: o.formulaSafe }));
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
