// Small file systems for the tests of full disks and read-only folders: a tmpfs of a few kilobytes
// mounted on a test's own folder (Linux, as root), so a disk really fills up or refuses writes.
// CAN_MOUNT says whether this machine allows it; tests that need it skip visibly without it.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function mount(dir: string, options: string): boolean {
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' }).status === 0;
}

function unmount(dir: string) {
  // Lazily if something still holds it open: the test's folder is removed afterwards either way.
  if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
}

/** Whether a tmpfs can be mounted here (Linux, root, a container that allows it). */
export const CAN_MOUNT: boolean = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'rc-mount-probe-'));
  try {
    if (!mount(probe, 'size=64k')) return false;
    unmount(probe);
    return true;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

/** Whether this process runs as root, who may write anywhere (permission bits do not stop it). */
export const IS_ROOT = process.getuid?.() === 0;

/**
 * Runs fn with a tmpfs mounted at dir (created if missing): `size=64k`, `ro,size=64k`, `size=1m,mode=0755`…
 * Always unmounted afterwards.
 */
export async function withTmpfs<T>(dir: string, options: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true });
  if (!mount(dir, options)) throw new Error(`mount -t tmpfs -o ${options} failed on ${dir}`);
  try {
    return await fn();
  } finally {
    unmount(dir);
  }
}

/** Fills the file system holding dir with one file until it is full; returns the file to remove to free it. */
export function fillDisk(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return filler;
}
