// Runs the CLI as a user whom file permissions stop: this one, or under root (whom they do not
// stop) the user nobody, who then owns the World's workspace file (its modes kept) and may write
// in the World's folder.
import { execa } from 'execa';
import { chmodSync, chownSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, World, makeResult, type Result, type RunOptions } from './world.js';

const NOBODY = 65534;
const IS_ROOT = process.getuid?.() === 0;

export async function runAsAnotherUser(w: World, args: string[], opts: RunOptions = {}): Promise<Result> {
  if (!IS_ROOT) return w.run(args, opts);
  chmodSync(w.dir, 0o777); // SQLite makes its -wal and -shm files there
  if (!w.isPg) for (const f of readdirSync(w.dir).filter((f) => f.startsWith('ws.db'))) chownSync(join(w.dir, f), NOBODY, NOBODY);
  const r = await execa(process.execPath, [BIN, ...args], {
    env: w.envFor({ ...opts, env: { HOME: w.dir, ...opts.env } }), extendEnv: false, input: opts.input ?? '', cwd: w.dir, reject: false,
    uid: NOBODY, gid: NOBODY,
  });
  return makeResult(args, r.exitCode ?? -1, String(r.stdout), String(r.stderr));
}
