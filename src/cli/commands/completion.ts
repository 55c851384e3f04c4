import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import { BUILTIN_ROLE_NAMES } from '../../core/access/permissions.js';
import { rosterFormatNames } from '../../core/roster/formats/index.js';
import { examples } from '../action.js';
import type { IO } from '../io.js';

/** Every command path with its options, read from the program itself so completion never drifts. */
function commandTable(program: Command): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const visit = (cmd: Command, path: string[]) => {
    const words = [...cmd.commands.map((c) => c.name()), ...cmd.options.map((o) => o.long ?? o.short ?? '').filter(Boolean)];
    table.set(path.join(' '), words);
    for (const sub of cmd.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  table.set('', [...table.get('')!, ...program.options.map((o) => o.long!).filter(Boolean)]);
  return table;
}

/** Every --format value: the roster formats (apply, export) from their registry, and org tree's. */
function formatWords(): string[] {
  return [...rosterFormatNames(), 'dot', 'mermaid', 'text'];
}

function bashScript(program: Command): string {
  const table = commandTable(program);
  const cases = [...table].map(([path, words]) => `    "${path}") words="${words.join(' ')}" ;;`).join('\n');
  return `# rollcall bash completion: eval "$(rollcall completion bash)"
_rollcall() {
  local cur path="" w i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    case "\${path:+$path }$w" in
${[...table.keys()].filter(Boolean).map((p) => `      "${p}") path="${p}" ;;`).join('\n')}
    esac
  done
  local words
  case "$path" in
${cases}
  esac
  case "\${COMP_WORDS[COMP_CWORD-1]}" in
    --role) words="${BUILTIN_ROLE_NAMES.join(' ')}" ;;
    --status) words="pending invited active suspended deleted" ;;
    --format) words="${formatWords().join(' ')}" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _rollcall rollcall
`;
}

function zshScript(program: Command): string {
  return `#compdef rollcall
# rollcall zsh completion: eval "$(rollcall completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bashScript(program)}`;
}

export function registerCompletion(program: Command, io: IO) {
  program.command('completion')
    .description('print a shell completion script')
    .argument('<shell>', 'bash or zsh')
    .addHelpText('after', examples('echo \'eval "$(rollcall completion bash)"\' >> ~/.bashrc'))
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh') fail('USAGE', `completion is for bash or zsh: got "${shell}"`);
      io.stdout.write(shell === 'bash' ? bashScript(program) : zshScript(program));
    });
}
