// Help (issue 9): `rollcall --help` groups the commands by what they are about; every command's
// --help has a one-line summary, its options and at least one example; a mistyped command or
// option gets the closest match in the hint.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { BIN, World, expectError, expectOk } from '../helpers/world.js';

const { buildProgram } = createRequire(import.meta.url)(join(dirname(BIN), '..', 'dist', 'rollcall.cjs')) as { buildProgram: (io: unknown) => Command };

/** Every command path that does something (not a noun), read from the program itself. */
function leafCommands(): string[][] {
  const program = buildProgram({ stdout: { write() {} }, stderr: { write() {} }, stdin: process.stdin, env: {}, cwd: '/' });
  const out: string[][] = [];
  const walk = (cmd: Command, path: string[]) => {
    const subs = cmd.commands.filter((c) => c.name() !== 'help');
    if (!subs.length && path.length) out.push(path);
    for (const sub of subs) walk(sub, [...path, sub.name()]);
  };
  walk(program, []);
  return out;
}

describe('help', () => {
  it('rollcall --help groups the commands under headings, and each noun lists its verbs', async () => {
    const w = new World();
    const r = expectOk(await w.run(['--help']));
    for (const heading of ['Getting started:', 'People:', 'Structure:', 'Roster files:', 'Workspace:']) expect(r.out).toContain(heading);
    expect(r.out.replace(/\s+/g, ' ')).toMatch(/member the workspace's members and their lifecycle: add, list, show/);
    expect(r.out.indexOf('Getting started:')).toBeLessThan(r.out.indexOf('init'));
  });

  it('every command has a one-line summary, its options and at least one example', async () => {
    const w = new World();
    const leaves = leafCommands();
    expect(leaves.length).toBeGreaterThan(50);
    for (const path of leaves) {
      const r = expectOk(await w.run([...path, '--help']));
      const lines = r.out.split('\n');
      expect(lines[0], path.join(' ')).toMatch(new RegExp(`^Usage: rollcall ${path.join(' ')}`));
      expect(lines[2]?.trim().length, `${path.join(' ')} has a summary`).toBeGreaterThan(5);
      expect(r.out, `${path.join(' ')} lists its options`).toContain('Options:');
      expect(r.out, `${path.join(' ')} has an example`).toMatch(/\nExamples?:\n {2}.*\brollcall\b/);
    }
  });

  it('an unknown command or option is USAGE (exit 2) with the closest match in the hint', async () => {
    const w = new World();
    const cases: Array<[string[], string]> = [
      [['membr'], 'did you mean member?'],
      [['member', 'ad', 'x'], 'did you mean add?'],
      [['member', 'list', '--stauts', 'active'], 'did you mean --status?'],
      [['group', 'transfer-ownr', 'G'], 'did you mean transfer-owner?'],
    ];
    for (const [args, hint] of cases) {
      const r = expectError(await w.run(args), 2, 'USAGE');
      expect(r.err).toContain(`hint: ${hint}`);
      const j = expectError(await w.run([...args, '--json']), 2, 'USAGE');
      expect(j.error()?.hint).toContain(hint);
    }
  });

  it('completion scripts list the commands, their options and the role names', async () => {
    const w = new World();
    const bash = expectOk(await w.run(['completion', 'bash'])).out;
    for (const word of ['member', 'transfer-owner', '--prune', 'site-admin', 'viewer']) expect(bash).toContain(word);
    const zsh = expectOk(await w.run(['completion', 'zsh'])).out;
    expect(zsh).toContain('#compdef rollcall');
    expect(zsh).toContain('reset-password');
  });
});
