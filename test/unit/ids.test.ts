// Ids (src/core/ids.ts): a kind prefix and 64 bits, consecutive within a process from a random start,
// so that a bulk insert's keys sit side by side in the id indexes (issue 21); unique in any case.
import { describe, expect, it } from 'vitest';
import { newBatchId, newId, serialsFrom } from '../../src/core/ids.js';

const start = (hex: string) => Buffer.from(hex, 'hex');

describe('ids', () => {
  it('are consecutive from the start, carrying into the high half and wrapping after the last', () => {
    expect(Array.from({ length: 3 }, serialsFrom(start('00000001fffffffe')))).toEqual(['00000001fffffffe', '00000001ffffffff', '0000000200000000']);
    expect(Array.from({ length: 2 }, serialsFrom(start('ffffffffffffffff')))).toEqual(['ffffffffffffffff', '0000000000000000']);
  });

  it('of every kind come from one sequence in a process: 20,000 are distinct, 16 hex digits each, one apart', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => newId(['m', 'o', 'g'][i % 3]));
    expect(ids.every((id) => /^[mog]_[0-9a-f]{16}$/.test(id))).toBe(true);
    const numbers = ids.map((id) => BigInt(`0x${id.slice(2)}`));
    expect(new Set(numbers).size).toBe(ids.length);
    const wrapped = (a: bigint, b: bigint) => (b - a + (1n << 64n)) % (1n << 64n);
    expect(numbers.slice(1).every((n, i) => wrapped(numbers[i], n) === 1n)).toBe(true);
  });

  it('from random starts, sequences begin apart; a batch id is its time and random hex', () => {
    const firsts = new Set(Array.from({ length: 50 }, () => serialsFrom(crypto.getRandomValues(new Uint8Array(8)))()));
    expect(firsts.size).toBe(50);
    expect(newBatchId(new Date('2030-01-07T09:00:00.000Z'))).toMatch(/^b20300107090000-[0-9a-f]{6}$/);
  });
});
