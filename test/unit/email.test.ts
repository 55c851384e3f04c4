// src/core/email.ts: SPEC §3 emails, normalised with NFKC, trimmed, lower-cased; validity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { domainOf, isValidEmail, normalizeEmail, parseDomain, parseEmail } from '../../src/core/email.js';
import { RollcallError } from '../../src/core/errors.js';

describe('normalizeEmail', () => {
  it.each([
    ['bob@acme.example', 'bob@acme.example'],
    ['Bob@Acme.Example', 'bob@acme.example'],
    ['  bob@acme.example \t', 'bob@acme.example'],
    ['ＢＯＢ＠ACME.EXAMPLE', 'bob@acme.example'],
    ['ｂｏｂ＠ａｃｍｅ．ｅｘａｍｐｌｅ', 'bob@acme.example'],
    ['\u3000bob@acme.example\u3000', 'bob@acme.example'], // ideographic spaces
  ])('%j → %j', (raw, want) => {
    expect(normalizeEmail(raw)).toBe(want);
  });
});

describe('isValidEmail', () => {
  it.each(['bob@acme.example', 'bob.lee@acme.example', 'bob+tag@sub.acme.example', 'b@a.co', "o'neil@acme.example", 'x-1@a-b.example'])('accepts %s', (e) => {
    expect(isValidEmail(e)).toBe(true);
  });

  it.each([
    'not-an-email', '', '@acme.example', 'bob@', 'bob@acme', 'a@@acme.example', 'a@b@acme.example', 'bo b@acme.example',
    'bob@acme..example', 'bob@.acme.example', 'bob@acme.example.', '.bob@acme.example', 'bob.@acme.example', 'bo..b@acme.example',
    'bob@-acme.example', 'bob@acme_x.example',
  ])('refuses %j', (e) => {
    expect(isValidEmail(e)).toBe(false);
  });

  it('refuses addresses longer than 254 characters', () => {
    const long = 'a'.repeat(64) + '@' + ['b', 'c', 'd'].map((c) => c.repeat(63)).join('.') + '.example'; // 264 characters
    expect(long.length).toBeGreaterThan(254);
    expect(isValidEmail(long)).toBe(false);
    expect(isValidEmail('a'.repeat(65) + '@acme.example')).toBe(false); // local part over 64
  });
});

describe('parseEmail', () => {
  it('returns the normalised address', () => {
    expect(parseEmail(' ＢＯＢ＠ACME.EXAMPLE ')).toBe('bob@acme.example');
  });

  it('refuses an invalid address with INVALID_INPUT (exit 2)', () => {
    try {
      parseEmail('not-an-email');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RollcallError);
      expect((e as RollcallError).code).toBe('INVALID_INPUT');
      expect((e as RollcallError).exitCode).toBe(2);
    }
  });
});

describe('domains', () => {
  it('domainOf takes what follows the @', () => {
    expect(domainOf('bob@acme.example')).toBe('acme.example');
  });

  it('parseDomain normalises and validates', () => {
    expect(parseDomain('ACME.Example')).toBe('acme.example');
    expect(parseDomain('@acme.example')).toBe('acme.example');
    expect(() => parseDomain('acme')).toThrow(RollcallError);
  });
});

describe('properties', () => {
  const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.emailAddress());

  it('normalizeEmail is idempotent', () => {
    fc.assert(fc.property(anyText, (raw) => normalizeEmail(normalizeEmail(raw)) === normalizeEmail(raw)), { numRuns: 2000 });
  });

  it('isValidEmail(normalizeEmail(x)) never throws and returns a boolean', () => {
    fc.assert(fc.property(anyText, (raw) => typeof isValidEmail(normalizeEmail(raw)) === 'boolean'), { numRuns: 2000 });
  });

  it('a valid normalised address is returned unchanged by parseEmail', () => {
    fc.assert(fc.property(fc.emailAddress(), (raw) => {
      const e = normalizeEmail(raw);
      if (!isValidEmail(e)) return true;
      return parseEmail(e) === e;
    }), { numRuns: 1000 });
  });

  it('normalisation ignores letter case of ASCII addresses', () => {
    fc.assert(fc.property(fc.emailAddress(), (raw) => normalizeEmail(raw.toUpperCase()) === normalizeEmail(raw)), { numRuns: 1000 });
  });
});
