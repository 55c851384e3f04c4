import type { Command } from 'commander';
import { RollcallError } from '../core/errors.js';
import { Cli, type GlobalOptions } from './context.js';
import type { IO } from './io.js';
import { FilterError } from './jq.js';

/**
 * Wraps a command body: builds the context from the global options (compiling a --jq filter before
 * any work), and always closes the store. A --jq filter that fails on the output of a command that
 * has changed the workspace says that the change stands.
 */
export function action<A extends unknown[]>(io: IO, body: (cli: Cli, ...args: A) => Promise<void>) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const cli = new Cli(io, cmd.optsWithGlobals<GlobalOptions>());
    await cli.render.init();
    try {
      await body(cli, ...(args.slice(0, -1) as A));
    } catch (e) {
      if (e instanceof FilterError && cli.committed) {
        throw new RollcallError(e.code, e.message, `the command itself succeeded: its change stands (rollcall audit list shows it); ${e.hint}`);
      }
      throw e;
    } finally {
      await cli.close();
    }
  };
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The examples section of a command's --help. */
export function examples(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  ${l}`).join('\n')}`;
}
