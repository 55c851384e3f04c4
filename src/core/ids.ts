import { randomBytes } from 'node:crypto';

// Random bytes come from a pool refilled 4 KiB at a time: a 100,000-row roster makes 100,000 ids,
// and one crypto call per id measured as a third of an apply. The pool is held as hex, so an id is
// a slice of one string, not a Buffer view and its own hex conversion.
let pool = '';
let offset = 0;

/** `n` random bytes as hex. */
function randomHex(n: number): string {
  if (offset + 2 * n > pool.length) {
    pool = randomBytes(4096).toString('hex');
    offset = 0;
  }
  offset += 2 * n;
  return pool.slice(offset - 2 * n, offset);
}

/** Opaque, stable ids: a kind prefix and 64 random bits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomHex(8)}`;
}

/** A batch id: sortable by time, then random, so `audit list` and restores can name one invocation. */
export function newBatchId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `b${stamp}-${randomHex(3)}`;
}
