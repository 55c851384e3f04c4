// --jq EXPR (global): a jq filter on the JSON a command prints, as `gh --json … --jq` does. The jq
// is jqlang's own (1.8), compiled to WebAssembly (the jq-wasm package): the same language, builtins
// and error messages as the jq binary, with no binary to install. It is loaded only when --jq is
// given (start-up loads none of it), and the expression is compiled before the command does any
// work, so a mistyped filter never costs a write. Each output is one line: a string as its raw
// text (as `jq -r`), any other value as compact JSON (as `jq -c`); see Renderer.emitJson.
import type { Jq } from 'jq-wasm';
import { RollcallError } from '../core/errors.js';
import { toJson } from './json.js';

/** Where the jq language is described, for hints. */
const MANUAL = 'https://jqlang.org/manual/';

/**
 * A --jq failure while filtering a command's output: the filter ran on data and failed. Tagged, so
 * that a command that has already changed the workspace can say that its change stands (action.ts).
 */
export class FilterError extends RollcallError {}

let loading: Promise<Jq> | null = null;

/**
 * One jq instance per process (main() may run many times in one process: tests, embedding).
 * Liftoff only: V8 otherwise compiles jq's WebAssembly again, optimised, in the background, and
 * Node waits for that before it exits: measured on Node 20, ~100 ms more for every --jq run, for
 * no gain on the sizes a directory has (100,000 members filter as fast either way). rollcall runs
 * no other WebAssembly, and the flag is set only once --jq is given.
 */
function jq(): Promise<Jq> {
  loading ??= import('node:v8')
    .then((v8) => v8.setFlagsFromString('--liftoff-only'))
    .then(() => import('jq-wasm'))
    .then((m) => m.loadJq())
    .catch((e: unknown) => {
      loading = null;
      throw e;
    });
  return loading;
}

/** jq's own lines on stderr, without its `jq: error…:` prefixes and its closing count of compile errors. */
function jqMessage(stderr: string): string {
  return stderr.split('\n')
    .filter((l) => !/^jq: \d+ compile errors?$/.test(l))
    .map((l) => l.replace(/^jq: error(?: \(at [^)]*\))?: /, ''))
    .join('\n').trim();
}

/** jq-wasm's memory, fixed when it was compiled: what a filter and its input share. */
const JQ_MEMORY_MB = 256;
/**
 * JSON from which size on jq cannot hold the parsed input itself (measured: 21 MB of member
 * records parse, 28 MB do not): past it, no filter can help, and only a smaller input does.
 */
const INPUT_TOO_LARGE = 16 * 1024 * 1024;

/** The error for jq running out of its memory on `inputBytes` of JSON: the input's fault, or the filter's. */
export function outOfMemory(inputBytes: number): FilterError {
  if (inputBytes < INPUT_TOO_LARGE) {
    return new FilterError('INVALID_INPUT', '--jq: the filter ran out of memory', 'filter the output down before building large values (select, limit, first)');
  }
  const mb = Math.round(inputBytes / (1024 * 1024));
  return new FilterError('INVALID_INPUT', `--jq: jq ran out of its ${JQ_MEMORY_MB} MB of memory on ${mb} MB of JSON`,
    "narrow it before jq reads it: --fields with only the fields the filter uses, or the command's own filters; or pipe --json into a jq binary");
}

export interface JqOutput {
  /** Each output of the filter: compact JSON text (a string's is its JSON literal). */
  lines: string[];
  /** What jq wrote on stderr without failing (`debug`, `stderr`), else ''. */
  notes: string;
}

export class JqFilter {
  private constructor(private readonly jq: Jq, readonly expr: string) {}

  /** Loads jq and compiles `expr` against no input at all: INVALID_INPUT, with jq's message, if it does not compile. */
  static async compile(expr: string): Promise<JqFilter> {
    const filter = new JqFilter(await jq(), expr);
    const r = filter.raw(''); // no input: jq compiles the program and runs it on nothing
    if (r.exitCode !== 0) {
      throw new RollcallError('INVALID_INPUT', `--jq: ${jqMessage(r.stderr) || `jq refused the filter (exit ${r.exitCode})`}`,
        `the filter is written in jq's language (${MANUAL}); put it in single quotes so the shell passes it as typed`);
    }
    return filter;
  }

  /** The filter's outputs for `value`; FilterError when it fails on it, or exhausts jq's memory. */
  run(value: unknown): JqOutput {
    const r = this.raw(toJson(value, false));
    if (r.exitCode !== 0) {
      const said = jqMessage(r.stderr);
      throw new FilterError('INVALID_INPUT', `--jq: the filter failed on the output: ${said || `it stopped with exit status ${r.exitCode}`}`,
        'see the JSON it ran on with --json instead of --jq');
    }
    return { lines: r.stdout === '' ? [] : r.stdout.split('\n'), notes: r.stderr };
  }

  private raw(input: string): { stdout: string; stderr: string; exitCode: number } {
    // jq-wasm reports running out of its WebAssembly memory by aborting, and prints "Aborted()" to
    // console.error first; the call is synchronous, so nothing else writes there meanwhile.
    const printErr = console.error;
    console.error = () => {};
    try {
      return this.jq.raw(input, this.expr, ['-c']);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        loading = null; // an aborted instance cannot run again
        throw outOfMemory(Buffer.byteLength(input));
      }
      if (e instanceof RangeError) {
        throw new FilterError('INVALID_INPUT', '--jq: the filter\'s output is too large to hold', 'filter the output down (select, limit, first), or use --json and a jq binary, which streams');
      }
      throw e;
    } finally {
      console.error = printErr;
    }
  }
}
