import { fail } from './errors.js';
import { normalized } from './text.js';

/** NFKC, trimmed, lower-cased: full-width input and stray case still find the same member. */
export function normalizeEmail(raw: string): string {
  return normalized(raw, 'NFKC').trim().toLowerCase();
}

const LOCAL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function isValidEmail(email: string): boolean {
  if (email.length > 254) return false;
  const parts = email.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts;
  if (!local || local.length > 64 || !LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  return isValidDomain(domain);
}

export function isValidDomain(domain: string): boolean {
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

/** The normalised, validated address, or INVALID_INPUT. */
export function parseEmail(raw: string): string {
  const email = normalizeEmail(raw);
  if (!isValidEmail(email)) fail('INVALID_INPUT', `not a valid email address: "${raw}"`, 'an address has one @, a local part, and a domain with a dot, like bob@acme.example');
  return email;
}

export function parseDomain(raw: string): string {
  const domain = normalizeEmail(raw).replace(/^@/, '');
  if (!isValidDomain(domain)) fail('INVALID_INPUT', `not a valid domain: "${raw}"`);
  return domain;
}

export function domainOf(email: string): string {
  return email.slice(email.indexOf('@') + 1);
}

/** The part before the @: the name a member gets when none is given. */
export function localPart(email: string): string {
  return email.split('@')[0];
}
