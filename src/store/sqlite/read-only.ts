// Opening a workspace file this user may not write. In WAL mode SQLite creates X-wal and X-shm beside
// X on first open, owned by whoever opened it and with X's mode; a reader who may not write X cannot
// remove them on close, and its -shm then blocks the owner's writes ("attempt to write a readonly
// database"). So a reader that may not write opens X in a way that creates nothing beside it.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fail } from '../../core/errors.js';

export type OpenMode =
  /** X, and its folder or its -wal and -shm, are writable: the normal way. */
  | { kind: 'write' }
  /** X is not writable, but its -wal and -shm exist (a writer has it open, or left them): read through them, creating nothing. */
  | { kind: 'read'; why: string }
  /** Neither: read a copy of X in memory. */
  | { kind: 'snapshot'; why: string };

function may(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

const size = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

/** How this process opens the existing workspace file at PATH. */
export function openMode(path: string): OpenMode {
  const wal = path + '-wal';
  const shm = path + '-shm';
  const walFiles = existsSync(wal) && existsSync(shm);
  let why: string | null = null;
  if (!may(path, constants.W_OK)) why = `this user may not write ${path}`;
  else if (walFiles && !(may(wal, constants.W_OK) && may(shm, constants.W_OK))) why = `this user may not write ${shm} or ${wal} (left by another user?)`;
  else if (!walFiles && !may(dirname(path), constants.W_OK)) why = `this user may not write the folder ${dirname(path)}, where SQLite keeps ${shm}`;
  if (!why) return { kind: 'write' };
  if (walFiles) return { kind: 'read', why };
  if (size(wal) > 0) {
    fail('WORKSPACE_UNAVAILABLE', `cannot read ${path}: ${why}, and its last changes wait in ${wal}, which needs ${shm} to be read`,
      'run any rollcall command on it once as a user who may write it (that merges the log), then read it again');
  }
  return { kind: 'snapshot', why };
}

/**
 * The bytes of PATH, read while no writer changed them (the file's identity, size and times are the
 * same before and after: a checkpoint that ran meanwhile means reading again). Then marked as a rollback-journal
 * database (header bytes 18 and 19), so that SQLite reads the copy without looking for a -wal.
 */
export function readSnapshot(path: string): Buffer {
  const stamp = () => {
    const s = statSync(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = stamp();
    const bytes = readFileSync(path);
    if (stamp() !== before) continue;
    if (bytes.length > 19 && bytes[18] === 2 && bytes[19] === 2) {
      bytes[18] = 1;
      bytes[19] = 1;
    }
    return bytes;
  }
  fail('BUSY', `${path} kept changing while it was read`, 'try again');
}
