// Targets from a file or standard input (`--from-file FILE|-`), for every command that takes several:
// one email or id a line, `#` comments and blank lines ignored, surrounding spaces trimmed, CRLF fine.
// They join the targets on the command line, and the command runs them as it runs those: one
// transaction, one batch id, all or nothing (so `member restore --batch` undoes the whole job).
import type { Command } from 'commander';
import { fail } from '../core/errors.js';
import { inputBytes } from './input-file.js';
import type { IO } from './io.js';

export interface FromFileFlags {
  fromFile?: string;
}

/** Adds --from-file to a command that takes several targets. */
export function withFromFile(cmd: Command): Command {
  return cmd.option('--from-file <file>', 'more targets, one email or id a line (# comments; - for standard input)');
}

/** The targets a file lists: one a line, `#` starts a comment, blank lines and surrounding spaces ignored. */
export function parseTargetList(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n|\r/).map((line) => line.replace(/(^|\s)#.*/, '').trim()).filter(Boolean);
}

async function readList(io: IO, file: string): Promise<string[]> {
  return parseTargetList((await inputBytes(io, file, 'the targets file ')).toString('utf8'));
}

/**
 * The command line's targets, then those of --from-file. With `required`, none at all is USAGE
 * (`what`: whom the command wants, for the message); a command with alternatives checks for itself.
 */
export async function targetsOf(io: IO, given: readonly string[], o: FromFileFlags, what = 'members'): Promise<string[]> {
  if (o.fromFile === undefined) {
    if (!given.length) fail('USAGE', `name the ${what} (emails or ids), or list them in a file with --from-file FILE`);
    return [...given];
  }
  const listed = await readList(io, o.fromFile);
  const all = [...given, ...listed];
  if (!all.length) fail('USAGE', `${o.fromFile === '-' ? 'standard input' : o.fromFile} lists no ${what}, and none are named on the command line`, 'one email or id a line; # starts a comment');
  return all;
}
