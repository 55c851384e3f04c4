// `export --format yaml` writes a member whose values are all plain without the yaml package
// (src/core/roster/formats/yaml-plain.ts). Whatever the values, that text must be the package's own:
// for generated members (letters of several scripts, digits, punctuation, spaces, words that read as
// other types, dates, long values, invisible and line-breaking characters), either the direct text is
// refused (null, and the package writes the member) or it equals the package's text byte for byte.
// A generator of ordinary values checks that the direct path is taken at all.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { plainYamlItem, type YamlItem } from '../../src/core/roster/formats/yaml-plain.js';

const RUNS = Number(process.env.ROLLCALL_PROP_RUNS || 2000);

const byPackage = (item: YamlItem) => stringify({ members: [item] }).slice('members:\n'.length);

const PIECES = [
  'a', 'Z', 'é', 'e\u0301', 'ß', '山', '田', 'Σ', 'ǅ', '0', '9', ' ', '  ', '.', '_', '@', '+', '/', "'", '-', ':', ': ', '#', ' #', ',', '[', ']', '{', '}',
  '!', '&', '*', '|', '>', '%', '"', '`', '?', '~', '\\', '\t', '\n', '\r', '\u00a0', '\u200b', '\u2028', '\u202e', '\ufeff', '\u3000', '🎉',
  'true', 'False', 'NULL', 'null', 'yes', 'No', 'on', '.inf', '.NaN', '123', '-1', '0x1F', '1e3', '2030-01-01', '2030-13-45', 'word ',
];
const ordinary = fc.array(fc.constantFrom('a', 'b', 'Q', 'é', '山', '0', '.', '_', '-', "'", ' '), { minLength: 1, maxLength: 12 })
  .map((p) => `x${p.join('').replace(/ +/g, ' ').trimEnd()}`);
/** Pieces strung together, or one piece at the start, inside or at the end of an ordinary value. */
const awkward = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 14 }).map((p) => p.join('')),
  fc.tuple(fc.constantFrom(...PIECES), ordinary).map(([p, o]) => p + o),
  fc.tuple(ordinary, fc.constantFrom(...PIECES), ordinary).map(([a, p, b]) => a + p + b),
  fc.tuple(ordinary, fc.constantFrom(...PIECES)).map(([o, p]) => o + p),
);

const member = (value: fc.Arbitrary<string>): fc.Arbitrary<YamlItem> => fc.record({
  email: value, name: value, role: value, scope: fc.array(value, { maxLength: 3 }), org: fc.option(value), orgs: fc.array(value, { maxLength: 3 }),
  title: fc.option(value), status: value, startDate: fc.option(fc.oneof(value, fc.constantFrom('2030-01-01', '1999-12-31'))), id: value,
});

/** How many of the members tried were written directly, each checked against the package. */
function writtenDirectly(members: fc.Arbitrary<YamlItem>): number {
  let direct = 0;
  fc.assert(fc.property(members, (m) => {
    const text = plainYamlItem(m);
    if (text !== null) {
      direct++;
      expect(text).toBe(byPackage(m));
    }
  }), { numRuns: RUNS });
  return direct;
}

describe('a member written without the yaml package', () => {
  it('is the package\'s text, or refused, for any values', () => {
    // One awkward value among ordinary ones, so that the rule is tried on each awkward value alone.
    const FIELDS = ['email', 'name', 'role', 'scope', 'org', 'orgs', 'title', 'status', 'startDate', 'id'] as const;
    const direct = writtenDirectly(fc.tuple(member(ordinary), fc.constantFrom(...FIELDS), awkward)
      .map(([base, field, value]) => ({ ...base, [field]: field === 'scope' || field === 'orgs' ? [value] : value })));
    expect(direct).toBeGreaterThan(RUNS * 0.2);
  });

  it('is written directly for ordinary values, and single awkward values send it to the package', () => {
    expect(writtenDirectly(member(ordinary))).toBeGreaterThan(RUNS * 0.9);
    const base: YamlItem = { email: 'ann@acme.example', name: 'Ann Lee', role: 'viewer', scope: [], org: 'Sales/Tokyo', orgs: ['開発'], title: null, status: 'invited', startDate: '2030-01-01', id: 'm_0123456789abcdef' };
    expect(plainYamlItem(base)).toBe(byPackage(base));
    for (const odd of ['true', 'Null', '123', 'a: b', '- x', ' lead', 'trail ', 'two  spaces', `long ${'word '.repeat(10)}end`, 'line\nbreak', 'bidi\u202e']) {
      expect(plainYamlItem({ ...base, title: odd }), odd).toBeNull();
    }
  });
});
