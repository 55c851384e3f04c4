// A file the user names for input (a roster, a list of targets, recorded audit heads): a path,
// relative to the working directory, or - for standard input.
import { createHash } from 'node:crypto';
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

/**
 * The same input read again, byte for byte (a roster apply whose transaction the store runs a second
 * time). A file is read again, not kept: a million-row roster's bytes need not stay in memory for a
 * rerun that rarely comes; if the file changed in between, nothing is applied. Standard input,
 * which cannot be read twice, is kept.
 */
export function inputAgain(io: IO, file: string, bytes: Buffer): () => Buffer {
  return file === '-' ? kept(bytes) : readAgain(resolve(io.cwd, file), file, createHash('sha256').update(bytes).digest('hex'));
}

function kept(bytes: Buffer): () => Buffer {
  return () => bytes;
}

// Its own function, so that the closure holds the path and the digest, not the bytes.
function readAgain(path: string, file: string, digest: string): () => Buffer {
  return () => {
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(path);
    } catch {
      // reported below, as a change
    }
    if (!bytes || createHash('sha256').update(bytes).digest('hex') !== digest) {
      fail('INVALID_STATE', `${file} changed while it was being applied`, 'nothing was applied: check the file and apply it again');
    }
    return bytes;
  };
}
