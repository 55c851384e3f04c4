// The streams and environment a command sees. Injected, so tests can run the CLI in-process.
export interface IO {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Set by a command that succeeds but answers "no" (can, audit verify). */
  exitCode?: number;
}

export function processIO(): IO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

export function interactive(io: IO): boolean {
  return !!io.stdin.isTTY && !!io.stdout.isTTY && io.env.CI !== 'true';
}

let stdinCache: string[] | null = null;

/** Lines of standard input, read once per process (several secrets may come from it). */
export async function stdinLines(io: IO): Promise<string[]> {
  if (stdinCache) return stdinCache;
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  stdinCache = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  return stdinCache;
}

export function resetStdinCache() {
  stdinCache = null;
}
