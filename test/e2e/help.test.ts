// Help (issue 9): `rollcall --help` groups the commands by what they are about; every command's
// --help has a one-line summary, its options and at least one example; a mistyped command or
// option gets the closest match in the hint, and the hint names that command's own --help; help topics
// (issue 23.7) are generated from what the code reads and the table the errors use.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/core/errors.js';
import { BIN, ROOT, World, expectError, expectOk } from '../helpers/world.js';

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
      [['membr'], 'did you mean member? see rollcall --help'],
      [['member', 'ad', 'x'], 'did you mean add? see rollcall member --help'],
      [['member', 'list', '--stauts', 'active'], 'did you mean --status? see rollcall member list --help'],
      [['apply', '--dry-rnu', 'r.csv'], 'did you mean --dry-run? see rollcall apply --help'],
      [['group', 'transfer-ownr', 'G'], 'did you mean transfer-owner?'],
    ];
    for (const [args, hint] of cases) {
      const r = expectError(await w.run(args), 2, 'USAGE');
      expect(r.err).toContain(`hint: ${hint}`);
      const j = expectError(await w.run([...args, '--json']), 2, 'USAGE');
      expect(j.error()?.hint).toContain(hint);
    }
  });

  it('help NOSUCH is one USAGE error, with the closest command and the topics', async () => {
    const w = new World();
    for (const [args, message, hint] of [
      [['help', 'membr'], 'no command or help topic named "membr"', 'did you mean member? see rollcall help; topics: environment, exit-codes'],
      [['help', 'member', 'ad'], 'no command named "member ad"', 'did you mean add? see rollcall member --help'],
      [['member', 'help', 'nosuch'], 'no command named "member nosuch"', 'see rollcall member --help'],
    ]) {
      const r = expectError(await w.run(args as string[]), 2, 'USAGE');
      expect(r.err).toBe(`error[USAGE]: ${message}\nhint: ${hint}\n`);
    }
    expect(expectOk(await w.run(['help', 'member', 'add'])).out).toMatch(/^Usage: rollcall member add/);
  });

  it('help environment names every variable rollcall reads, and the order that picks the workspace', async () => {
    const read = new Set<string>();
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
    for (const file of walk(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) read.add(m[1]);
      for (const m of text.matchAll(/\bVARIABLE = '([A-Z_]+)'/g)) read.add(m[1]);
    }
    expect(read.size).toBeGreaterThan(8);
    const w = new World();
    const r = expectOk(await w.run(['help', 'environment'], { env: { ROLLCALL_WORKSPACE: undefined } }));
    for (const name of read) expect(r.out, name).toMatch(new RegExp(`^  ${name}\\b|, ${name}\\b`, 'm'));
    expect(r.out).toMatch(/1\. -w\/--workspace PATH\|URL, or --context NAME.*\n.*2\. ROLLCALL_WORKSPACE\n.*3\. ROLLCALL_CONTEXT\n.*4\. the current context.*\n.*5\. \.\/rollcall\.db/);
    expect(r.out).toContain(`Here and now: ${join(w.dir, 'rollcall.db')} (the default)`);
  });

  it('help exit-codes is the table the errors use, and says why --detailed-exitcode is 10', async () => {
    const w = new World();
    const table = expectOk(await w.run(['help', 'exit-codes', '--json'])).json() as Array<{ exit: number; codes: string[] }>;
    expect(Object.fromEntries(table.flatMap((row) => row.codes.map((code) => [code, row.exit])))).toEqual(EXIT_CODES);
    expect(table.map((row) => row.exit)).toEqual([0, 1, 2, 3, 4, 5, 6, 70]);
    const text = expectOk(await w.run(['help', 'exit-codes'])).out;
    expect(text).toMatch(/^ {3}2 {2}usage or invalid input\n {8}USAGE INVALID_INPUT ROSTER_INVALID$/m);
    expect(text).toContain('apply --detailed-exitcode: 10');
    expect(expectOk(await w.run(['apply', '--help'])).out.replace(/\s+/g, ' ')).toContain("10 when there are changes (terraform's 2 is rollcall's usage error)");
  });

  it('completion scripts for bash, zsh (with descriptions) and fish ask rollcall __complete', async () => {
    const w = new World();
    for (const shell of ['bash', 'zsh', 'fish']) expect(expectOk(await w.run(['completion', shell])).out).toContain('rollcall __complete');
    expect(expectOk(await w.run(['completion', 'zsh'])).out).toMatch(/^#compdef rollcall\n[\s\S]*_describe/);
    expectError(await w.run(['completion', 'tcsh']), 2, 'USAGE');
  });
});
