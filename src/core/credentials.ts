import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { fail } from './errors.js';

// Chosen passwords: scrypt with a per-password salt. Generated secrets (tokens, temporary passwords,
// invitations, sessions) carry ≥ 96 bits of randomness, so SHA-256 is enough and stays fast in bulk.
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, { N, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check, so an unknown account is not told apart by timing.
    await scryptAsync(password, Buffer.alloc(16), SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
    return false;
  }
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt') return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p), expected.length);
  return timingSafeEqual(actual, expected);
}

export function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameHash(a: string, b: string | null): boolean {
  if (!b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** A random secret: 18 bytes (144 bits) of base64url, with an optional prefix. */
export function newSecret(prefix = '', bytes = 18): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

const TEMP_ALPHABET = {
  upper: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  lower: 'abcdefghijkmnopqrstuvwxyz',
  digit: '23456789',
};

/** A temporary password that satisfies the policy itself: 20 characters, ≈ 113 bits. */
export function newTemporaryPassword(): string {
  const all = TEMP_ALPHABET.upper + TEMP_ALPHABET.lower + TEMP_ALPHABET.digit;
  const bytes = randomBytes(20);
  const chars = Array.from(bytes, (b) => all[b % all.length]);
  chars[0] = TEMP_ALPHABET.upper[bytes[0] % TEMP_ALPHABET.upper.length];
  chars[1] = TEMP_ALPHABET.lower[bytes[1] % TEMP_ALPHABET.lower.length];
  chars[2] = TEMP_ALPHABET.digit[bytes[2] % TEMP_ALPHABET.digit.length];
  return chars.join('');
}

const ALLOWED = /^[A-Za-z0-9@$!%*#?&]*$/;

/** SPEC §5: ≥ 10 characters, ASCII letters, digits and @$!%*#?& only, at least two classes. */
export function checkPasswordPolicy(password: string): void {
  const hint = 'at least 10 characters of A-Z a-z 0-9 @$!%*#?&, mixing at least two of upper case, lower case, digits and symbols';
  if (password.length < 10) fail('PASSWORD_POLICY', `the password is too short: ${password.length} characters, at least 10 are needed`, hint);
  if (!ALLOWED.test(password)) fail('PASSWORD_POLICY', 'the password has a character that is not allowed: only ASCII letters, digits and @$!%*#?& are', hint);
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[@$!%*#?&]/].filter((re) => re.test(password)).length;
  if (classes < 2) fail('PASSWORD_POLICY', 'the password uses only one kind of character: mix at least two of upper case, lower case, digits and symbols', hint);
}

export const PASSWORD_MAX_AGE_DAYS = 90;
export const TEMP_PASSWORD_DAYS = 30;
export const PASSWORD_HISTORY = 3;
export const LOCKOUT_AFTER = 3;
export const SESSION_HOURS = 12;
export const INVITE_HOURS = 24;
