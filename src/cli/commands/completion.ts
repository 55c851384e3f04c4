// rollcall completion bash|zsh|fish: small scripts that ask `rollcall __complete WORD…` (completion/
// complete.ts) what to offer, as cobra's and gh's do: commands, options (global ones after a
// subcommand too), each option's values, and names from the workspace (emails, org paths, groups,
// roles, batch ids, token names) for a signed-in member. The scripts hold no command list, so
// they never go stale; the entry is dynamically loaded, so it costs no other command anything.
import type { Command } from 'commander';
import { fail } from '../../core/errors.js';
import { examples } from '../action.js';
import type { IO } from '../io.js';

const BASH = `# rollcall bash completion: eval "$(rollcall completion bash)"
_rollcall() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line value IFS=$'\\n'
  local -a out
  out=($(rollcall __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  COMPREPLY=()
  local n=\${#out[@]}
  if (( n )) && [[ "\${out[n-1]}" == :files ]]; then
    compopt -o default 2>/dev/null
    return 0
  fi
  for line in "\${out[@]}"; do
    value="\${line%%$'\\t'*}"
    [[ "$cur" == [\\'\\"]* ]] || printf -v value '%q' "$value"
    COMPREPLY+=("$value")
  done
}
complete -F _rollcall rollcall
`;

const ZSH = `#compdef rollcall
# rollcall zsh completion: eval "$(rollcall completion zsh)", or save it as _rollcall in a folder on $fpath
_rollcall() {
  local -a lines values
  local line value desc
  lines=("\${(@f)$(rollcall __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ "\${lines[-1]}" == :files ]]; then
    _files
    return
  fi
  for line in $lines; do
    [[ -z "$line" ]] && continue
    value="\${line%%$'\\t'*}"
    desc=""
    [[ "$line" == *$'\\t'* ]] && desc="\${line#*$'\\t'}"
    values+=("\${value//:/\\\\:}\${desc:+:$desc}")
  done
  (( $#values )) && _describe -t values rollcall values
}
if [[ "$funcstack[1]" == _rollcall ]]; then _rollcall "$@"; else compdef _rollcall rollcall; fi
`;

const FISH = `# rollcall fish completion: rollcall completion fish | source, or save it as ~/.config/fish/completions/rollcall.fish
function __rollcall_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l cur (commandline -ct)
    set -l out (rollcall __complete $words "$cur" 2>/dev/null)
    if test (count $out) -gt 0; and test "$out[-1]" = ":files"
        __fish_complete_path "$cur"
        return
    end
    printf '%s\\n' $out
end
complete -c rollcall -f -a '(__rollcall_complete)'
`;

export const COMPLETION_SCRIPTS: Record<string, string> = { bash: BASH, zsh: ZSH, fish: FISH };

export function registerCompletion(program: Command, io: IO) {
  program.command('completion')
    .description('print a shell completion script: commands, options, and names from the workspace')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText('after', examples(
      'echo \'eval "$(rollcall completion bash)"\' >> ~/.bashrc',
      'echo \'eval "$(rollcall completion zsh)"\' >> ~/.zshrc',
      'rollcall completion fish > ~/.config/fish/completions/rollcall.fish',
    ))
    .action((shell: string) => {
      const script = COMPLETION_SCRIPTS[shell];
      if (!script || !Object.hasOwn(COMPLETION_SCRIPTS, shell)) fail('USAGE', `completion is for bash, zsh or fish: got "${shell}"`);
      io.stdout.write(script);
    });
}
