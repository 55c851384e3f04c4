// A file the user names for input (a roster, a list of targets, recorded audit heads): a path,
// relative to the working directory, or - for standard input.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fail } from '../core/errors.js';
import { stdinBytes, type IO } from './io.js';

/**
 * The bytes of FILE, or of standard input for `-`. A file that is not there is NOT_FOUND, any other
 * that cannot be read INVALID_INPUT, both naming it (after `what`, e.g. "the targets file ").
 */
export async function inputBytes(io: IO, file: string, what = ''): Promise<Buffer> {
  if (file === '-') return stdinBytes(io);
  try {
    return readFileSync(resolve(io.cwd, file));
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    fail(code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_INPUT', `cannot read ${what}${file}: ${why}`);
  }
}
