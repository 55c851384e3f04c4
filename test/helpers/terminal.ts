// Runs the real bin/rollcall in a pseudo-terminal (test/helpers/pty-driver.py) and answers its
// prompts: how a person at a terminal uses rollcall. CI is unset (rollcall never prompts under
// CI=true), and so is NO_COLOR unless a test sets it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, ROOT, type RunOptions, type World } from './world.js';

export interface Step {
  /** A regex the output must show before typing. */
  expect: string;
  /** What to type: '\r' is Enter, DOWN an arrow key down. */
  send: string;
  /** Typed before `send`: the last match of `pattern`'s first group in the file at `path`, read when the step comes. */
  fromFile?: { path: string; pattern: string };
}

export const ENTER = '\r';
export const DOWN = '\u001b[B';

export interface TerminalRun {
  /** Everything the terminal showed, colour codes included. */
  raw: string;
  /** The same without colour and cursor codes. */
  text: string;
  code: number;
  /** The index of the step whose prompt never appeared, else null. */
  stuckAt: number | null;
  timedOut: boolean;
}

export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g, '');
}

export function atTerminal(w: World, args: string[], steps: Step[], opts: RunOptions & { cols?: number; timeout?: number } = {}): TerminalRun {
  w.ensureDb();
  const env = w.envFor({ ...opts, env: { CI: undefined, NO_COLOR: undefined, TERM: 'xterm-256color', ...opts.env } });
  const spec = { argv: [process.execPath, BIN, ...args], env, cwd: w.dir, cols: opts.cols ?? 80, rows: 40, timeout: opts.timeout ?? 30, steps };
  const r = spawnSync('python3', [join(ROOT, 'test', 'helpers', 'pty-driver.py')], { input: JSON.stringify(spec), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`the pty driver failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { output: string; exitCode: number; timedOut: boolean; stuckAt: number | null };
  return { raw: out.output, text: stripAnsi(out.output).replace(/\r/g, ''), code: out.exitCode, stuckAt: out.stuckAt, timedOut: out.timedOut };
}

export function describeTerminal(args: string[], r: TerminalRun): string {
  return `rollcall ${args.join(' ')} at a terminal → exit ${r.code}${r.stuckAt !== null ? `, stuck at step ${r.stuckAt}` : ''}${r.timedOut ? ', timed out' : ''}\n${r.text.slice(-3000)}`;
}
