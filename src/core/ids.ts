import { randomBytes } from 'node:crypto';

// The ids a process makes are consecutive 64-bit numbers from a random start: ids made by other
// processes (each from its own random start) meet them with the odds of two random 64-bit values,
// while a bulk insert's keys go into the tables' id indexes side by side instead of at a million
// random places. A million-member apply whose ids were random spent its time in index pages that
// no longer fit the cache (issue 21: a million-row apply took 25.0-25.7 s with random ids and 23.2 s
// with these, the floor 20.0 and 17.2 s).
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** Consecutive 64-bit numbers as 16 hex digits, the first being `start` (8 bytes), wrapping after the last. */
export function serialsFrom(start: Uint8Array): () => string {
  const bytes = Buffer.from(start.buffer, start.byteOffset, 8);
  let high = bytes.readUInt32BE(0);
  let low = bytes.readUInt32BE(4);
  let first = true;
  return () => {
    if (first) first = false;
    else if (low === 0xffffffff) {
      low = 0;
      high = (high + 1) >>> 0;
    } else low++;
    return hex8(high) + hex8(low);
  };
}

let nextSerial: (() => string) | null = null;

/** Opaque, stable ids: a kind prefix and 64 bits, unique among ids made anywhere with the odds of random ones. */
export function newId(prefix: string): string {
  nextSerial ??= serialsFrom(randomBytes(8));
  return `${prefix}_${nextSerial()}`;
}

/** A batch id: sortable by time, then random, so `audit list` and restores can name one invocation. */
export function newBatchId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `b${stamp}-${randomBytes(3).toString('hex')}`;
}
