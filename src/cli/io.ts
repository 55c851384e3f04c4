// The streams and environment a command sees. Injected, so tests can run the CLI in-process.
export interface IO {
  stdout: { write(text: string | Uint8Array): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Set by a command that succeeds but answers "no" (can, audit verify). */
  exitCode?: number;
}

export function processIO(): IO {
  // `rollcall member list | head` closes the pipe early: stop quietly, as other Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  // Standard error and input are opened when first used: making their streams costs start-up time
  // that most commands never need to spend.
  return {
    stdout: process.stdout,
    get stderr() { return process.stderr; },
    get stdin() { return process.stdin; },
    env: process.env,
    cwd: process.cwd(),
  };
}

export function interactive(io: IO): boolean {
  return !!io.stdin.isTTY && !!io.stdout.isTTY && io.env.CI !== 'true';
}

// Per IO, not per process: main() may run many times in one process (tests, embedding).
const stdinRead = new WeakMap<IO, Promise<Buffer>>();

/** Standard input as bytes, read once per run: a roster may be Shift_JIS, not UTF-8. */
export function stdinBytes(io: IO): Promise<Buffer> {
  let read = stdinRead.get(io);
  if (!read) {
    read = (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      return Buffer.concat(chunks);
    })();
    stdinRead.set(io, read);
  }
  return read;
}

/** Lines of standard input (several secrets may come from it, one a line). */
export async function stdinLines(io: IO): Promise<string[]> {
  return (await stdinBytes(io)).toString('utf8').split(/\r?\n/);
}
