// --jq on an output larger than jq-wasm's fixed 256 MB of memory can parse (a 100,000-member list
// is 52 MB of JSON): the error says the input is the cause, with its size, and what narrows it;
// a filter that builds too much on a small input keeps its own advice.
import { describe, expect, it } from 'vitest';
import { JqFilter, outOfMemory } from '../../src/cli/jq.js';

describe('--jq out of memory', () => {
  it('blames a large input, with its size, and names what narrows it', () => {
    const big = outOfMemory(52 * 1024 * 1024);
    expect(big.code).toBe('INVALID_INPUT');
    expect(big.message).toBe('--jq: jq ran out of its 256 MB of memory on 52 MB of JSON');
    expect(big.hint).toContain('--fields');
    expect(big.hint).toContain('jq binary');
    const small = outOfMemory(4096);
    expect(small.message).toBe('--jq: the filter ran out of memory');
    expect(small.hint).toContain('select, limit, first');
  });

  it('is what a real run on 300,000 records (33 MB) gives, and jq filters again after it', async () => {
    const filter = await JqFilter.compile('length');
    const records = Array.from({ length: 300_000 }, (_, i) => ({ email: `user${i}@acme.example`, name: `User ${i}`, role: 'viewer', scope: [], org: 'Dept1', title: 'Staff' }));
    expect(() => filter.run(records)).toThrow(/^--jq: jq ran out of its 256 MB of memory on \d\d MB of JSON$/);
    const again = await JqFilter.compile('length');
    expect(again.run(records.slice(0, 10)).lines).toEqual(['10']);
  }, 60_000);
});
