import { randomBytes } from 'node:crypto';

// Random bytes come from a pool refilled 4 KiB at a time: a 100,000-row roster makes 100,000 ids,
// and one crypto call per id measured as a third of an apply.
let pool = Buffer.alloc(0);
let offset = 0;

function random(n: number): Buffer {
  if (offset + n > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  offset += n;
  return pool.subarray(offset - n, offset);
}

/** Opaque, stable ids: a kind prefix and 64 random bits. */
export function newId(prefix: string): string {
  return `${prefix}_${random(8).toString('hex')}`;
}

/** A batch id: sortable by time, then random, so `audit list` and restores can name one invocation. */
export function newBatchId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `b${stamp}-${random(3).toString('hex')}`;
}
