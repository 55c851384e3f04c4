// rollcall help [COMMAND…|TOPIC]: a command's help, or a topic (src/cli/help-topics.ts: environment,
// exit-codes). Anything else is one USAGE error, not the whole help and then an error.
import type { Command } from 'commander';
import { RollcallError } from '../../core/errors.js';
import { HELP_TOPICS, environmentData, environmentTopic, exitCodesTopic, exitTable } from '../help-topics.js';
import type { IO } from '../io.js';
import { Renderer } from '../render.js';

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = next;
    }
  }
  return d[b.length];
}

export function registerHelp(program: Command, io: IO) {
  program.helpCommand(false);
  program.command('help')
    .description(`display help for a command, or a topic: ${Object.keys(HELP_TOPICS).join(', ')}`)
    .argument('[command-or-topic...]')
    .helpOption(false)
    .action(async (words: string[], _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ workspace?: string; context?: string; json?: boolean; jq?: string }>();
      const topic = words.length === 1 && words[0] in HELP_TOPICS ? words[0] : undefined;
      if (opts.jq !== undefined) { // the topics' JSON, filtered; a command's help is text
        if (!topic) throw new RollcallError('USAGE', `--jq filters JSON, and help prints a command's help as text: only the topics (${Object.keys(HELP_TOPICS).join(', ')}) are JSON`);
        const render = new Renderer(io, true, true, new Date(), { jq: opts.jq });
        await render.init();
        return render.emitJson(topic === 'environment' ? environmentData(io, opts) : exitTable());
      }
      if (topic === 'environment') return void io.stdout.write(environmentTopic(io, opts));
      if (topic === 'exit-codes') return void io.stdout.write(exitCodesTopic(!!opts.json));
      let target: Command = program;
      for (const [i, word] of words.entries()) {
        const next = target.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!next || next.name() === 'help') {
          const names = [...target.commands.map((c) => c.name()).filter((n) => n !== 'help'), ...(i === 0 ? Object.keys(HELP_TOPICS) : [])];
          const close = names.map((n) => [n, distance(word, n)] as const).filter(([n, d]) => d <= Math.max(1, Math.floor(n.length / 3))).sort((a, b) => a[1] - b[1])[0];
          const where = [...words.slice(0, i)].join(' ');
          throw new RollcallError('USAGE', `no command${i ? '' : ' or help topic'} named "${[where, word].filter(Boolean).join(' ')}"`,
            `${close ? `did you mean ${close[0]}? ` : ''}see rollcall ${where ? `${where} --help` : `help; topics: ${Object.keys(HELP_TOPICS).join(', ')}`}`);
        }
        target = next;
      }
      target.outputHelp();
    });
}
