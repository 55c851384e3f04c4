// main() builds only the top-level command it is given (start-up, issue 21): registering every
// command cost each run ~8 ms. Built alone, a command must be the same command, and the word
// chosen must be the command word, whatever global options come first.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, commandOf, REGISTERS } from '../../src/cli/main.js';
import type { IO } from '../../src/cli/io.js';

const quiet = { write() { return true; } };
const io = { stdout: quiet, stderr: quiet, stdin: process.stdin, env: {}, cwd: '/' } as unknown as IO;

/** Every command under cmd, with its help text: what a user can see of it. */
function surface(cmd: Command, path = ''): Record<string, string> {
  const out: Record<string, string> = { [path]: cmd.helpInformation() };
  for (const sub of cmd.commands) Object.assign(out, surface(sub, `${path} ${sub.name()}`));
  return out;
}

describe('building one command of the program', () => {
  const full = buildProgram(io);

  it('REGISTERS names every top-level command, in the order of rollcall --help', () => {
    expect(Object.keys(REGISTERS)).toEqual(full.commands.map((c) => c.name()));
  });

  it('each command built alone is the command of the whole program: the same subcommands, options and help', () => {
    for (const name of Object.keys(REGISTERS)) {
      const part = buildProgram(io, name);
      expect(part.commands.map((c) => c.name()), name).toContain(name);
      const alone = part.commands.find((c) => c.name() === name)!;
      const whole = full.commands.find((c) => c.name() === name)!;
      expect(surface(alone), name).toEqual(surface(whole));
    }
  });

  it('commandOf finds the command word after global options, and gives up on anything else', () => {
    const cases: Array<[string[], string | undefined]> = [
      [['member', 'show', 'a@b.example'], 'member'],
      [['--json', 'member', 'list'], 'member'],
      [['-w', 'apply', 'member', 'list'], 'member'], // a workspace file named apply
      [['--workspace', 'org', 'group', 'list'], 'group'],
      [['--context', 'roster', 'token', 'list'], 'token'],
      [['--jq', 'role', 'audit', 'list'], 'audit'],
      [['--workspace=x.db', 'org', 'list'], 'org'],
      [['-yw', 'export', 'member', 'remove', 'x'], 'member'],
      [['-y', 'member', 'remove', 'x'], 'member'],
      [['login'], 'login'],
      [['help', 'member'], undefined], // help and completion walk the whole tree
      [['completion', 'bash'], undefined],
      [['__complete', 'member', ''], undefined],
      [['membr', 'list'], undefined], // a mistyped command gets the whole program, for its suggestion
      [['--help'], undefined],
      [['--version'], undefined],
      [['--', 'member'], undefined],
      [['constructor'], undefined],
      [[], undefined],
    ];
    for (const [argv, want] of cases) expect(commandOf(argv), argv.join(' ')).toBe(want);
  });
});
