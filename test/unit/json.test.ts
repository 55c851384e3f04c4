// src/cli/json.ts: what --json prints; values nested deeper than JSON.stringify's recursion still print.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringifyFlat, toJson } from '../../src/cli/json.js';

describe('toJson', () => {
  it('is JSON.stringify(value, null, 2) for ordinary values', () => {
    const v = { a: [1, 'x', null, true, { b: [] }], c: {}, d: undefined, e: new Date(0), f: [undefined, () => 1] };
    expect(toJson(v)).toBe(JSON.stringify(v, null, 2));
    expect(toJson(v, false)).toBe(JSON.stringify(v));
  });

  it('the flat writer agrees with JSON.stringify on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(stringifyFlat(v)).toBe(JSON.stringify(v));
    }), { numRuns: 500 });
  });

  it('the flat writer leaves out what JSON.stringify leaves out and calls toJSON once', () => {
    let calls = 0;
    const v = { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, Symbol('t')], e: { toJSON: () => (calls++, { f: 1 }) }, g: NaN, h: -0 };
    expect(stringifyFlat(v)).toBe(JSON.stringify(v));
    expect(calls).toBe(2);
  });

  it('prints a tree 100,000 levels deep, where JSON.stringify overflows the stack', () => {
    const top: { name: string; children: unknown[] } = { name: 'n0', children: [] };
    let n = top;
    for (let i = 1; i < 100_000; i++) {
      const c = { name: `n${i}`, children: [] };
      n.children.push(c);
      n = c;
    }
    expect(() => JSON.stringify([top])).toThrow(RangeError);
    const text = toJson([top]);
    let depth = 0;
    for (let x = JSON.parse(text)[0]; x; x = x.children[0]) depth++;
    expect(depth).toBe(100_000);
  });
});
