// src/core/credentials.ts: the password policy of SPEC §5, hashing, generated secrets.
import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy, hashPassword, newSecret, newTemporaryPassword, sameHash, sha256, verifyPassword,
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
