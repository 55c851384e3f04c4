// A roster file's bytes, as apply and roster read them: a path, or - for standard input.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fail } from '../core/errors.js';
import { stdinBytes, type IO } from './io.js';

/** The bytes of FILE (relative to the working directory), or of standard input for `-`. */
export async function readRosterInput(io: IO, file: string): Promise<Uint8Array> {
  if (file === '-') return stdinBytes(io);
  try {
    return readFileSync(resolve(io.cwd, file));
  } catch (e) {
    const code = (e as { code?: string }).code;
    fail(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT', `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** The name a roster read from FILE goes by in messages. */
export function rosterName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}
