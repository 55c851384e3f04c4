import { randomBytes } from 'node:crypto';

/** Opaque, stable ids: a kind prefix and 64 random bits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

/** A batch id: sortable by time, then random, so `audit list` and restores can name one invocation. */
export function newBatchId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `b${stamp}-${randomBytes(3).toString('hex')}`;
}
