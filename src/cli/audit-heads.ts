// ROLLCALL_AUDIT_HEADS=FILE (SPEC §14, audit anchors): after every committed write that added audit
// entries, the new head is appended to FILE as one `SEQ:HASH` line, so that a CI job can keep the
// file as an artifact and later prove the log with `rollcall audit verify --heads FILE`.
import { accessSync, closeSync, constants, lstatSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatHead, type AuditHead } from '../core/audit/anchor.js';
import { fail, RollcallError } from '../core/errors.js';
import type { Store, Tx } from '../core/store.js';
import type { IO } from './io.js';

const VARIABLE = 'ROLLCALL_AUDIT_HEADS';

/**
 * With ROLLCALL_AUDIT_HEADS set, checks now (before any work) that its file can take lines, and
 * returns what wraps the workspace's store to append each new head; without it, the store as it is.
 */
export function headsRecorder(io: IO, note: (line: string) => void): (store: Store) => Store {
  const name = io.env[VARIABLE];
  if (!name) return (store) => store;
  const path = resolve(io.cwd, name);
  checkAppendable(path);
  return (store) => recordingHeads(store, (head) => {
    try {
      appendHead(path, head);
    } catch (e) {
      // The write has committed: saying it failed would invite running it again.
      note(`warning: the audit head ${formatHead(head)} was not appended to ${path} (${VARIABLE}): ${(e as Error).message}`);
    }
  });
}

function checkAppendable(path: string) {
  const refuse = (why: string): never => fail('INVALID_INPUT', `${VARIABLE}: cannot append to ${path}: ${why}`, `point ${VARIABLE} at a regular file in an existing directory, or unset it`);
  const code = (e: unknown) => (e as { code?: string }).code;
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if (code(e) !== 'ENOENT') refuse((e as Error).message);
  }
  if (st?.isSymbolicLink()) refuse('it is a symbolic link');
  if (st && !st.isFile()) refuse('it is not a regular file');
  const dir = dirname(path);
  if (!st) {
    try {
      if (!statSync(dir).isDirectory()) refuse(`${dir} is not a directory`);
    } catch (e) {
      if (e instanceof RollcallError) throw e;
      refuse(code(e) === 'ENOENT' ? `${dir} does not exist` : (e as Error).message);
    }
  }
  try {
    accessSync(st ? path : dir, constants.W_OK);
  } catch (e) {
    refuse((e as Error).message);
  }
}

/** One `SEQ:HASH` line, appended (never through a symbolic link); a new file is private (0600). */
function appendHead(path: string, head: AuditHead) {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, formatHead(head) + '\n');
  } finally {
    closeSync(fd);
  }
}

/** The store, telling `onHead` the new head after each committed write transaction that moved it. */
function recordingHeads(store: Store, onHead: (head: AuditHead) => void): Store {
  return {
    kind: store.kind,
    location: store.location,
    read: <T>(fn: (tx: Tx) => Promise<T>) => store.read(fn),
    discard: () => store.discard(),
    ownerAccessProblem: () => store.ownerAccessProblem(),
    async write<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      const moved: { head?: AuditHead } = {};
      const result = await store.write(async (tx) => {
        delete moved.head; // a retried transaction starts again
        const before = await tx.auditHead();
        const value = await fn(tx);
        const after = await tx.auditHead();
        if (after.seq !== before.seq || after.hash !== before.hash) moved.head = { seq: after.seq, hash: after.hash };
        return value;
      });
      if (moved.head) onHead(moved.head);
      return result;
    },
    backup: (dest) => store.backup(dest),
    copyInto: (to) => store.copyInto(to),
    close: () => store.close(),
  };
}
