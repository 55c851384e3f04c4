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

/** What openMode asks of the file system (a test's copy may change between two questions). */
export interface FileProbe {
  exists(path: string): boolean;
  /** Whether this user may write it; null when it is not there (any more). */
  writable(path: string): boolean | null;
  size(path: string): number;
}

const files: FileProbe = {
  exists: existsSync,
  writable(path) {
    try {
      accessSync(path, constants.W_OK);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : false;
    }
  },
  size(path) {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  },
};

/**
 * How this process opens the existing workspace file at PATH. The last writer to close removes the
 * -wal and -shm: when they go between two questions, the question is asked again; a file gone
 * meanwhile was taken for one this user may not write, and a write refused while another
 * process was closing.
 */
export function openMode(path: string, fs: FileProbe = files): OpenMode {
  for (let attempt = 1; ; attempt++) {
    const mode = modeNow(path, fs);
    if (mode !== 'changed') return mode;
    // Still coming and going: writers are at work, so the folder is theirs to write; SQLite says if it is not ours.
    if (attempt === 5) return { kind: 'write' };
  }
}

function modeNow(path: string, fs: FileProbe): OpenMode | 'changed' {
  const wal = path + '-wal';
  const shm = path + '-shm';
  const walFiles = fs.exists(wal) && fs.exists(shm);
  let why: string | null = null;
  if (!fs.writable(path)) why = `this user may not write ${path}`;
  else if (walFiles) {
    const walOk = fs.writable(wal);
    const shmOk = fs.writable(shm);
    if (walOk === null || shmOk === null) return 'changed';
    if (!walOk || !shmOk) why = `this user may not write ${shm} or ${wal} (left by another user?)`;
  } else if (!fs.writable(dirname(path))) why = `this user may not write the folder ${dirname(path)}, where SQLite keeps ${shm}`;
  if (!why) return { kind: 'write' };
  if (walFiles) return { kind: 'read', why };
  if (fs.size(wal) > 0) {
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
