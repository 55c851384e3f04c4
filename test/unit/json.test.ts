// src/cli/json.ts: what --json prints; values nested deeper than JSON.stringify's recursion still print.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ITEMS_PER_TEXT, arrayEnd, arrayItems, stringifyFlat, toJson, writeJsonPieces } from '../../src/cli/json.js';

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

describe('raw characters in --json output', () => {
  const RAW = ['\u007f', '\u0080', '\u009b', '\u009f', '\u2028', '\u2029', '\u202e', '\u2066', '\u2069', '\u200e', '\u200f', '\u061c'];

  it('C1 controls, DEL, line/paragraph separators and bidi controls are \\u escapes, and parse back to the same text', () => {
    const value = { name: `a${RAW.join('b')}z`, list: RAW };
    for (const text of [toJson(value), toJson(value, false)]) {
      for (const c of RAW) expect(text.includes(c), `U+${c.charCodeAt(0).toString(16)}`).toBe(false);
      expect(text).toContain('\\u009b');
      expect(text).toContain('\\u202e');
      expect(JSON.parse(text)).toEqual(value);
    }
  });

  it('other text is left as it is (accents, CJK, emoji)', () => {
    const value = { name: 'Zoë 佐藤 🎉 é' };
    expect(toJson(value)).toBe(JSON.stringify(value, null, 2));
  });
});

describe('writeJsonPieces (a plan printed 64 KiB at a time)', () => {
  const joined = async (record: Record<string, unknown>, batch?: number) => {
    const pieces: string[] = [];
    await writeJsonPieces(record, (p) => pieces.push(p), batch);
    return pieces.join('');
  };

  it('its pieces join into toJson of the record, for any record of JSON values and any batch size', async () => {
    await fc.assert(fc.asyncProperty(fc.dictionary(fc.string(), fc.oneof(fc.array(fc.jsonValue(), { maxLength: 30 }), fc.jsonValue())), fc.integer({ min: 1, max: 7 }), async (record, batch) => {
      expect(await joined(record, batch)).toBe(toJson(record));
    }), { numRuns: 300 });
  });

  it('leaves out undefined members, uses toJSON and own getters, escapes raw controls, and writes an empty record as {}', async () => {
    const withGetter = Object.defineProperty({ action: 'add' }, 'fields', { enumerable: true, get: () => ({ name: { from: null, to: 'A\u202eB' } }) });
    const record = { changes: [withGetter, { at: new Date(0) }], gone: undefined, fn: () => 1, summary: { add: 1 }, empty: [], text: 'x\u0085y' };
    expect(await joined(record, 1)).toBe(toJson(record));
    expect(await joined(record)).toContain('A\\u202eB');
    expect(await joined({})).toBe(toJson({}));
    expect(await joined({ gone: undefined })).toBe(toJson({}));
  });
});

describe('arrayItems (member list --json, a batch of members at a time)', () => {
  const flat = fc.record({ id: fc.string(), n: fc.integer(), on: fc.boolean(), at: fc.option(fc.string()), orgs: fc.array(fc.string(), { maxLength: 3 }) });

  it('its pieces, batch after batch, join into toJson of all the items; no piece holds more than ITEMS_PER_TEXT', () => {
    fc.assert(fc.property(fc.array(flat, { maxLength: 2.6 * ITEMS_PER_TEXT }), fc.array(fc.integer({ min: 1, max: 3 * ITEMS_PER_TEXT }), { minLength: 1 }), (items, sizes) => {
      const pieces: string[] = [];
      for (let at = 0, i = 0; at < items.length; at += sizes[i++ % sizes.length]) {
        const batch = items.slice(at, at + sizes[i % sizes.length]);
        const made = [...arrayItems(batch, at === 0)];
        expect(made.length).toBe(Math.ceil(batch.length / ITEMS_PER_TEXT));
        pieces.push(...made);
      }
      expect(pieces.join('') + arrayEnd(items.length)).toBe(toJson(items));
    }), { numRuns: 60 });
  });
});
