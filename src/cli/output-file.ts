// Files the user names for output (SPEC §14): `apply --secrets-out` and `--plan-out`, `export -o`,
// `backup DEST`, `workspace copy DEST`. The one place for their rules:
// - the path is checked before any work (INVALID_INPUT, exit 2): its folder exists and takes a new
//   file, it is not a folder, and nothing is there yet unless --force;
// - the content goes into a new file in the same folder (O_EXCL, mode 0600), is flushed to disk, and
//   only then is renamed over the destination. A rename replaces a name: never a symbolic link's
//   target, never the file someone else owns (it keeps its content and its other names), and an
//   old 0644 file is not reused;
// - a write that fails removes its temp file: nothing partial is ever left at the destination.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RollcallError, fail } from '../core/errors.js';
import type { IO } from './io.js';

export interface OutputOptions {
  /** --force: replace what is at the destination (by a rename; a folder is never replaced). */
  force?: boolean;
  /**
   * Files that belong with the destination (a SQLite file's `-wal`, `-shm`): one already there counts
   * as the destination existing and is removed when the destination is replaced; a temp file's go with it.
   */
  companions?: readonly string[];
}

const errno = (e: unknown) => (e as NodeJS.ErrnoException)?.code;
/** "EACCES: permission denied, open '/x'" → "permission denied". */
const reason = (e: unknown) => (e as Error).message.replace(/^[A-Z]+: /, '').replace(/, \w+( '.*)?$/, '');
const FORCE_HINT = 'choose another file name, or add --force to replace it';

function refuse(message: string, hint: string): never {
  fail('INVALID_INPUT', message, hint);
}

function lstatOrNull(path: string, name: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    if (errno(e) === 'ENOTDIR') refuse(`cannot write ${name}: ${dirname(name)} is not a folder`, 'name a file in an existing folder');
    refuse(`cannot write ${name}: ${reason(e)}`, 'choose another path');
  }
}

/** The destination as it is now: refused unless nothing is there, or --force and a file or link is. */
function checkDestination(path: string, name: string, opts: OutputOptions) {
  const st = lstatOrNull(path, name);
  if (!st) {
    const folder = dirname(path);
    if (!lstatOrNull(folder, name)) refuse(`cannot write ${name}: the folder ${dirname(name)} does not exist`, `create the folder first (mkdir -p ${dirname(name)}), or choose another path`);
    for (const suffix of opts.companions ?? []) {
      if (lstatOrNull(path + suffix, name) && !opts.force) refuse(`${name}${suffix} already exists (it belongs with a file named ${name})`, FORCE_HINT);
    }
    return;
  }
  let target: Stats | null = st;
  if (st.isSymbolicLink()) {
    try {
      target = statSync(path);
    } catch {
      target = null;
    }
  }
  if (target?.isDirectory()) refuse(`cannot write ${name}: it is a folder`, `name a file in it, e.g. ${join(name, 'FILE')}`);
  if (!st.isFile() && !st.isSymbolicLink()) refuse(`cannot write ${name}: it is not a regular file`, 'choose another path');
  if (opts.force) return;
  if (!st.isSymbolicLink()) refuse(`${name} already exists`, FORCE_HINT);
  refuse(`${name} is a symbolic link${target ? '' : ' to a missing file'}: rollcall does not write through links`, `${FORCE_HINT} (the link itself, never the file it points to)`);
}

/** A file that does not exist yet, created private; the caller writes it and closes the descriptor. */
function createNew(path: string): number {
  return openSync(path, 'wx', 0o600);
}

/** Flushes a folder's entries (the rename) to disk, where the file system allows it. */
function syncFolder(folder: string) {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch { /* some file systems cannot fsync a folder: the rename still stands */ }
}

/**
 * Checks an output path before any work is done: INVALID_INPUT (exit 2) for a missing folder, a
 * folder, a folder that takes no new file, or anything already there without --force. Returns the
 * handle that writes it.
 */
export function checkOutputPath(io: IO, name: string, opts: OutputOptions = {}): OutputFile {
  if (/[/\\]$/.test(name)) refuse(`cannot write ${name}: it names a folder`, `name a file in it, e.g. ${name}FILE`);
  const path = resolve(io.cwd, name);
  checkDestination(path, name, opts);
  const file = new OutputFile(path, name, opts);
  file.probe();
  return file;
}

export class OutputFile {
  private staged: string | null = null;

  constructor(readonly path: string, private readonly name: string, private readonly opts: OutputOptions) {}

  /** Proves that the folder takes a new file, as the real write will make one: created, then removed. */
  probe() {
    const temp = this.newName();
    try {
      closeSync(createNew(temp));
    } catch (e) {
      refuse(`cannot write ${this.name}: cannot create a file in the folder ${dirname(this.name)} (${reason(e)})`, 'choose a folder you can write to');
    }
    rmSync(temp, { force: true });
  }

  private newName(): string {
    return join(dirname(this.path), `.${basename(this.path)}.${randomBytes(6).toString('hex')}.tmp`);
  }

  /**
   * A fresh name in the destination's folder, for a writer that creates the file itself (exclusively,
   * mode 0600); commit() moves it into place, discard() removes it. Discards an earlier one.
   */
  tempPath(): string {
    this.discard();
    this.staged = this.newName();
    return this.staged;
  }

  /** Writes the whole content into a new temp file, flushed to disk; commit() puts it in place. */
  stage(content: string | Uint8Array) {
    const temp = this.tempPath();
    try {
      const fd = createNew(temp);
      try {
        const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
        for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * Moves the staged file over the destination in one rename. Without --force, a destination that
   * appeared since the check is not replaced (a hard link fails where a name exists). On failure the
   * temp file is removed, unless `keepOnFailure`: then the error says where the complete file is.
   */
  commit(opts: { keepOnFailure?: boolean } = {}) {
    const temp = this.staged;
    if (!temp) throw new Error('OutputFile.commit: nothing staged');
    try {
      if (this.opts.force) {
        for (const suffix of this.opts.companions ?? []) rmSync(this.path + suffix, { force: true });
        renameSync(temp, this.path);
      } else {
        this.linkNew(temp);
      }
    } catch (e) {
      const kept = opts.keepOnFailure ? `; the complete file is kept at ${temp} (mode 0600)` : '';
      const hint = opts.keepOnFailure ? `move it into place yourself: mv ${temp} ${this.name}` : undefined;
      const error = errno(e) === 'EEXIST'
        ? new RollcallError('INVALID_INPUT', `${this.name} appeared while rollcall was working${kept}`, hint ?? FORCE_HINT)
        : this.failure(e, kept, hint);
      if (!opts.keepOnFailure) this.discard();
      throw error;
    }
    this.staged = null;
    syncFolder(dirname(this.path));
  }

  /** The no-clobber move: link the new name, then drop the temp name. */
  private linkNew(temp: string) {
    try {
      linkSync(temp, this.path);
    } catch (e) {
      // A file system without hard links: check again, then rename.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(errno(e) ?? '')) throw e;
      if (lstatOrNull(this.path, this.name)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
      renameSync(temp, this.path);
      return;
    }
    rmSync(temp, { force: true });
  }

  /** Removes what was staged and not committed (and its companions). Safe to call at any time. */
  discard() {
    if (!this.staged) return;
    for (const suffix of ['', ...(this.opts.companions ?? [])]) rmSync(this.staged + suffix, { force: true });
    this.staged = null;
  }

  /** Writes the content to the destination: all of it, or nothing. */
  write(content: string | Uint8Array) {
    this.stage(content);
    this.commit();
  }

  /**
   * Writes the content as `fill` produces it, piece by piece, into a new temp file (0600), flushed to
   * disk, then moved into place: all of it, or nothing, as write(). An error of `fill` itself (a
   * refusal, a failed read) removes the temp file and is thrown as it is; one writing the file names the destination.
   */
  async stream<T>(fill: (write: (piece: string | Uint8Array) => void) => Promise<T>): Promise<T> {
    const temp = this.tempPath();
    let fd: number;
    try {
      fd = createNew(temp);
    } catch (e) {
      this.fail(e);
    }
    let result: T;
    try {
      try {
        result = await fill((piece) => {
          const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
          try {
            for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
          } catch (e) {
            throw this.failure(e);
          }
        });
        try {
          fsyncSync(fd);
        } catch (e) {
          throw this.failure(e);
        }
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      this.discard();
      throw e;
    }
    this.commit();
    return result;
  }

  /**
   * Lets `writer` create the file at a temp path (exclusively, mode 0600), then moves it into place;
   * removes it if anything fails. Errors that name the temp file name the destination instead.
   */
  async produce<T>(writer: (tempPath: string) => Promise<T>): Promise<T> {
    const temp = this.tempPath();
    let result: T;
    try {
      result = await writer(temp);
    } catch (e) {
      this.fail(e);
    }
    this.commit();
    return result;
  }

  /** Removes the temp file and throws what went wrong. */
  private fail(e: unknown): never {
    const error = this.failure(e);
    this.discard();
    throw error;
  }

  /** An error about the temp file, told about the destination the user named. */
  private failure(e: unknown, suffix = '', hint?: string): RollcallError {
    const temp = this.staged;
    if (e instanceof RollcallError) {
      if (!temp || !e.message.includes(temp)) return e;
      return new RollcallError(e.code, e.message.split(temp).join(this.name), e.hint, e.field);
    }
    return new RollcallError('INVALID_INPUT', `cannot write ${this.name}: ${reason(e)}${suffix}`, hint ?? 'check the space and permissions of its folder, then try again');
  }
}
