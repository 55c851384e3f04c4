// Stored sessions (SPEC §2): one file under the config folder, mode 0600, keyed by workspace.
// A writer takes a lock file, reads the file afresh, writes a new temp file and renames it over the
// old one: parallel logins keep every session, and a reader never sees half a file. A config
// folder that cannot be used is INVALID_INPUT naming the folder, the reason and the fix.
import { randomBytes } from 'node:crypto';
import {
  accessSync, closeSync, constants, existsSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync,
  renameSync, rmSync, statSync, writeFileSync, writeSync,
} from 'node:fs';
import { homedir, hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { RollcallError } from '../core/errors.js';
import type { IO } from './io.js';

export interface StoredSession {
  email: string;
  token: string;
  expiresAt: string;
}

type Sessions = Record<string, StoredSession>;

/** How long a writer waits for another's lock before BUSY; past LOCK_STALE_MS a lock is a crashed writer's. */
const LOCK_WAIT_MS = 15_000;
const LOCK_STALE_MS = 10_000;
const FILE = 'sessions.json';

export function configDir(io: IO): string {
  if (io.env.ROLLCALL_CONFIG_DIR) return resolve(io.cwd, io.env.ROLLCALL_CONFIG_DIR);
  const base = io.env.XDG_CONFIG_HOME || join(io.env.HOME || homedir(), '.config');
  return join(base, 'rollcall');
}

const errno = (e: unknown) => (e as NodeJS.ErrnoException)?.code;

/** What is wrong with the folder's path itself: a file, or a symbolic link to nothing, on the way. */
function pathProblem(dir: string): string | null {
  for (let p = dir; ; p = dirname(p)) {
    try {
      if (lstatSync(p).isSymbolicLink()) {
        try {
          statSync(p);
        } catch {
          return `${p} is a symbolic link to ${readlinkSync(p)}, which does not exist`;
        }
      }
      if (!statSync(p).isDirectory()) return `${p} is a file, not a folder`;
      return null; // the nearest part that exists is a folder
    } catch {
      if (dirname(p) === p) return null;
    }
  }
}

/**
 * Where a folder that does not exist could not be made: the nearest folder that exists, and why it
 * refuses (a recursive mkdir says only ENOENT on a read-only file system).
 */
function whyNoMkdir(dir: string): { at: string; e: unknown } | null {
  for (let p = dirname(dir); dirname(p) !== p; p = dirname(p)) {
    try {
      statSync(p);
    } catch {
      continue;
    }
    try {
      accessSync(p, constants.W_OK | constants.X_OK);
      return null;
    } catch (e) {
      return { at: p, e };
    }
  }
  return null;
}

/**
 * INVALID_INPUT: the config folder cannot hold the sessions, why, and what to do. `at` is where
 * the failure happened when not dir itself (the folder dir was to be made in).
 */
function unusable(dir: string, e: unknown, { reading = false, at = dir } = {}): RollcallError {
  const code = errno(e);
  const doing = reading ? 'read the stored sessions in' : 'store the session in';
  const elsewhere = 'or set ROLLCALL_CONFIG_DIR to a folder you can write to';
  let why = pathProblem(dir);
  let hint = `sessions are kept there: fix it, ${elsewhere}`;
  if (why) {
    // the path's own problem
  } else if (code === 'ENOSPC' || code === 'EDQUOT') {
    why = code === 'ENOSPC' ? `the disk holding ${dir} is full` : `the disk quota for ${dir} is used up`;
    hint = `free some space, ${elsewhere} on another disk`;
  } else if (code === 'EISDIR') {
    why = `${join(dir, FILE)} is a folder, not a file`;
  } else if (code === 'EROFS') {
    why = `${at} is on a read-only file system`;
  } else if (code === 'EACCES' || code === 'EPERM') {
    why = reading ? `no permission to read ${join(dir, FILE)}` : at === dir ? `no permission to write in ${dir}` : `no permission to create folders in ${at}`;
    hint = `check its owner and permissions, ${elsewhere}`;
  } else {
    why = (e as Error)?.message ?? String(e);
  }
  return new RollcallError('INVALID_INPUT', `cannot ${doing} ${dir}: ${why}`, hint);
}

/**
 * The config folder, created if missing (0700), and writable: checked before anything is done
 * that a session would have to record (init creating a workspace, login starting a session).
 */
export function checkConfigDir(io: IO): string {
  const dir = configDir(io);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    const refused = existsSync(dir) ? null : whyNoMkdir(dir);
    throw refused ? unusable(dir, refused.e, { at: refused.at }) : unusable(dir, e);
  }
  return dir;
}

/** The stored sessions; none when there is no file yet. A file that is no JSON holds none either. */
function readAll(dir: string): Sessions {
  let text: string;
  try {
    text = readFileSync(join(dir, FILE), 'utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return {};
    throw unusable(dir, e, { reading: true });
  }
  try {
    const data = JSON.parse(text);
    return data && typeof data === 'object' && !Array.isArray(data) ? data : {};
  } catch {
    return {};
  }
}

function writeAll(dir: string, all: Sessions) {
  const tmp = join(dir, `${FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    renameSync(tmp, join(dir, FILE)); // atomic: a concurrent rollcall never reads half a file
  } catch (e) {
    rmSync(tmp, { force: true });
    throw unusable(dir, e);
  }
}

/** 'gone' (try again now), 'stale' (its writer crashed: break it) or 'held'. */
function lockState(lock: string): 'gone' | 'stale' | 'held' {
  try {
    const st = statSync(lock);
    if (Date.now() - st.mtimeMs > LOCK_STALE_MS) return 'stale';
    const [pid, host] = readFileSync(lock, 'utf8').trim().split(' ');
    if (host === hostname() && Number(pid) > 0) process.kill(Number(pid), 0);
    return 'held';
  } catch (e) {
    return errno(e) === 'ESRCH' ? 'stale' : errno(e) === 'ENOENT' ? 'gone' : 'held';
  }
}

/**
 * Moves a stale lock aside; puts it back if another writer replaced it meanwhile (a fresh lock).
 * False when it could not be moved and is still there.
 */
function breakLock(lock: string): boolean {
  const aside = `${lock}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(lock, aside);
  } catch (e) {
    return errno(e) === 'ENOENT'; // released or broken by another: try again
  }
  if (lockState(aside) === 'held') {
    try {
      linkSync(aside, lock);
    } catch {
      // a newer lock is there already: that one counts
    }
  }
  rmSync(aside, { force: true });
  return true;
}

/** Temp files of writers that crashed (older rollcalls took no lock): not left behind for ever. */
function sweep(dir: string) {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    // nothing to sweep that we can see
  }
  for (const name of names) {
    if (!name.startsWith(`${FILE}.`) || !/\.(tmp|stale)$/.test(name)) continue;
    try {
      if (Date.now() - statSync(join(dir, name)).mtimeMs > LOCK_STALE_MS) rmSync(join(dir, name), { force: true });
    } catch {
      // gone already
    }
  }
}

/** Runs fn holding the config folder's lock file (O_EXCL), waiting for other writers with backoff. */
async function withLock<T>(dir: string, fn: () => T): Promise<T> {
  const lock = join(dir, `${FILE}.lock`);
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx', 0o600);
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw unusable(dir, e);
      const state = lockState(lock);
      if (state === 'gone' || (state === 'stale' && breakLock(lock))) continue;
      if (Date.now() - started > LOCK_WAIT_MS) {
        throw new RollcallError('BUSY', `the stored sessions in ${dir} are locked by another rollcall`, `try again; if no rollcall is running, remove ${lock}`);
      }
      await new Promise((r) => setTimeout(r, 2 + Math.random() * Math.min(100, 2 ** attempt)));
      continue;
    }
    try {
      writeSync(fd, `${process.pid} ${hostname()}\n`);
    } catch (e) {
      closeSync(fd);
      rmSync(lock, { force: true });
      throw unusable(dir, e);
    }
    closeSync(fd);
    break;
  }
  try {
    sweep(dir);
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

export function loadSession(io: IO, workspaceKey: string): StoredSession | null {
  return readAll(configDir(io))[workspaceKey] ?? null;
}

export async function saveSession(io: IO, workspaceKey: string, session: StoredSession) {
  const dir = checkConfigDir(io);
  await withLock(dir, () => {
    const all = readAll(dir);
    all[workspaceKey] = session;
    writeAll(dir, all);
  });
}

export async function dropSession(io: IO, workspaceKey: string) {
  const dir = configDir(io);
  if (!(workspaceKey in readAll(dir))) return;
  await withLock(dir, () => {
    const all = readAll(dir);
    if (!(workspaceKey in all)) return;
    delete all[workspaceKey];
    writeAll(dir, all);
  });
}
