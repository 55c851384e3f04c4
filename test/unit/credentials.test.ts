// src/core/credentials.ts: the password policy of SPEC §5, hashing, generated secrets.
import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy, hashPassword, newSecret, newTemporaryPassword, sameHash, sha256, TEMP_ALPHABET, TEMP_PASSWORD_LENGTH, verifyPassword,
} from '../../src/core/credentials.js';
import { RollcallError } from '../../src/core/errors.js';

/** The PASSWORD_POLICY error a password causes, or null when it passes. */
function policyError(pw: string): RollcallError | null {
  try {
    checkPasswordPolicy(pw);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(RollcallError);
    return e as RollcallError;
  }
}

describe('password policy', () => {
  it.each([
    'abcdefgh12', // 10 characters, lower + digits
    'ABCDEFGHIj', // upper + lower
    'abcdefghi!', // lower + symbol
    '1234567890@', // digits + symbol
    'Adm1nPassw0rd!',
    '@$!%*#?&aA',
    'a'.repeat(200) + '1',
  ])('accepts %s', (pw) => {
    expect(policyError(pw)).toBeNull();
  });

  it.each(['', 'Ab1!', 'Abcdefgh1'])('refuses %j: shorter than 10 characters', (pw) => {
    const e = policyError(pw)!;
    expect(e.code).toBe('PASSWORD_POLICY');
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(/short|10/);
  });

  it.each(['Abcdefgh1 x', 'Abcdefgh1-', 'Abcdefgh1_', 'Abcdéfgh12', 'Abcdefgh1\u0000', 'Ａbcdefgh12', 'Abcdefgh1+', 'Abcdefgh1^'])(
    'refuses %j: a character outside ASCII letters, digits and @$!%*#?&', (pw) => {
      const e = policyError(pw)!;
      expect(e.code).toBe('PASSWORD_POLICY');
      expect(e.message).toMatch(/character|allowed/);
    });

  it.each(['abcdefghijkl', 'ABCDEFGHIJKL', '123456789012', '@$!%*#?&@$!%'])('refuses %j: only one of upper, lower, digits, symbols', (pw) => {
    const e = policyError(pw)!;
    expect(e.code).toBe('PASSWORD_POLICY');
    expect(e.message).toMatch(/two|kind|mix/);
  });

  it('says which rule failed: the three messages differ', () => {
    const messages = ['short1A', 'Abcdefgh1 x', 'abcdefghijkl'].map((p) => policyError(p)!.message);
    expect(new Set(messages).size).toBe(3);
  });

  it('never repeats the password in the error', () => {
    for (const pw of ['Secr3t', 'Secr3tSecr3t ', 'secretsecret']) {
      const e = policyError(pw)!;
      expect(e.message).not.toContain(pw.trim());
      expect(e.hint ?? '').not.toContain(pw.trim());
    }
  });
});

describe('temporary passwords', () => {
  it('satisfy the policy themselves, every time', () => {
    for (let i = 0; i < 2000; i++) {
      const pw = newTemporaryPassword();
      expect(policyError(pw), pw).toBeNull();
    }
  });

  it('are random: no repeats, and long enough for at least 96 bits', () => {
    const seen = new Set<string>();
    const chars = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const pw = newTemporaryPassword();
      seen.add(pw);
      for (const c of pw) chars.add(c);
    }
    expect(seen.size).toBe(2000);
    const pw = newTemporaryPassword();
    // length × log2(alphabet size) bits, with the alphabet observed over 2000 samples.
    expect(pw.length * Math.log2(chars.size)).toBeGreaterThanOrEqual(96);
  });
});

/** Pearson's chi-square statistic of observed counts against expected probabilities. */
function chiSquare(counts: Map<string, number>, expected: Map<string, number>, total: number): number {
  let chi = 0;
  for (const [c, p] of expected) chi += ((counts.get(c) ?? 0) - p * total) ** 2 / (p * total);
  for (const c of counts.keys()) if (!expected.has(c)) return Infinity; // a character outside the alphabet
  return chi;
}

/** A bound a chi-square with `df` degrees of freedom exceeds about once in ten million runs. */
const bound = (df: number) => df + 6 * Math.sqrt(2 * df);

describe('temporary passwords are unbiased', () => {
  // 10,000 passwords, 200,000 characters.
  const N = 10_000;
  const passwords = Array.from({ length: N }, () => newTemporaryPassword());

  it('every character exactly as likely as the policy allows (chi-square over 200,000 characters)', () => {
    // Drawn uniformly, then kept only when they hold an upper, a lower and a digit: a character of a
    // class is as likely as the other 19 positions holding the other two classes (inclusion-exclusion).
    const { upper, lower, digit } = TEMP_ALPHABET;
    const size = upper.length + lower.length + digit.length;
    const none = (k: number, n: number) => ((size - k) / size) ** n; // n draws miss k characters
    const covers = (n: number, a: number, b: number) => 1 - none(a, n) - none(b, n) + none(a + b, n);
    const L = TEMP_PASSWORD_LENGTH;
    const valid = 1 - none(upper.length, L) - none(lower.length, L) - none(digit.length, L)
      + none(upper.length + lower.length, L) + none(upper.length + digit.length, L) + none(lower.length + digit.length, L);
    const expected = new Map<string, number>();
    for (const [cls, a, b] of [[upper, lower, digit], [lower, upper, digit], [digit, upper, lower]]) {
      for (const c of cls) expected.set(c, covers(L - 1, a.length, b.length) / size / valid);
    }
    const counts = new Map<string, number>();
    for (const pw of passwords) for (const c of pw) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(chiSquare(counts, expected, N * L)).toBeLessThan(bound(size - 1));
  });

  it('the required upper, lower and digit fall at random positions, not first', () => {
    for (const [i, re, p] of [[0, /[A-Z]/, 24 / 57], [1, /[a-z]/, 25 / 57], [2, /[0-9]/, 8 / 57]] as const) {
      const share = passwords.filter((pw) => re.test(pw[i])).length / N;
      expect(Math.abs(share - p), `position ${i}`).toBeLessThan(0.03);
    }
  });

  it('newSecret: every base64url character equally likely', () => {
    const counts = new Map<string, number>();
    let total = 0;
    for (let i = 0; i < 8_000; i++) {
      for (const c of newSecret()) {
        counts.set(c, (counts.get(c) ?? 0) + 1);
        total++;
      }
    }
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    expect(chiSquare(counts, new Map([...alphabet].map((c) => [c, 1 / 64])), total)).toBeLessThan(bound(63));
  });
});

describe('hashing chosen passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('Adm1nPassw0rd!');
    expect(await verifyPassword('Adm1nPassw0rd!', h)).toBe(true);
    expect(await verifyPassword('Adm1nPassw0rd?', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('salts: the same password hashes differently each time, and never in clear', async () => {
    const [a, b] = await Promise.all([hashPassword('Adm1nPassw0rd!'), hashPassword('Adm1nPassw0rd!')]);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Adm1nPassw0rd!');
    expect(a).toMatch(/^(scrypt|\$argon2id)/);
    expect(await verifyPassword('Adm1nPassw0rd!', b)).toBe(true);
  });

  it('refuses when there is no stored hash (unknown account), after doing the same work', async () => {
    expect(await verifyPassword('Adm1nPassw0rd!', null)).toBe(false);
  });
});

describe('generated secrets', () => {
  it('sha256 is the hex SHA-256 digest', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('sameHash compares equal hashes true, anything else false', () => {
    const h = sha256('x');
    expect(sameHash(h, sha256('x'))).toBe(true);
    expect(sameHash(h, sha256('y'))).toBe(false);
    expect(sameHash(h, null)).toBe(false);
    expect(sameHash(h, h.slice(1))).toBe(false);
  });

  it('newSecret carries its prefix and at least 96 bits of randomness', () => {
    const s = newSecret('rc_');
    expect(s.startsWith('rc_')).toBe(true);
    // base64url: 6 bits per character.
    expect((s.length - 3) * 6).toBeGreaterThanOrEqual(96);
    expect(new Set(Array.from({ length: 500 }, () => newSecret('rc_'))).size).toBe(500);
  });
});
