// The text a member record holds (names, titles, start dates), checked by one set of rules whatever
// the entry point: a command, a prompt, an invitation or a roster row.
import { MAX_YEAR, MIN_YEAR, isValidDate } from './clock.js';
import { fail } from './errors.js';

const TEXT_MAX = 200;

/**
 * TEXT in Unicode normal form FORM. Printable ASCII is already in every form: it skips the Unicode
 * tables, which a 100,000-row roster and every command's start-up would otherwise load.
 */
export function normalized(text: string, form: 'NFC' | 'NFKC'): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : text.normalize(form);
}

/** Free text as stored: NFC (a name typed in decomposed Unicode matches its composed form), trimmed. */
export function cleanText(raw: string): string {
  return normalized(raw, 'NFC').trim();
}

/** What is wrong with a free-text value, or null. NUL is refused: PostgreSQL cannot store it, and no name needs it. */
export function textProblem(value: string, what: string): string | null {
  if (value.includes('\u0000')) return `the ${what} contains a NUL character`;
  if (value.length > TEXT_MAX) return `the ${what} is ${value.length} characters long; at most ${TEXT_MAX} are allowed`;
  return null;
}

/** A required name (a member's, a workspace's, a token's), or INVALID_INPUT. */
export function checkName(raw: string, what = 'name'): string {
  const name = cleanText(raw);
  if (!name) fail('INVALID_INPUT', `the ${what} cannot be empty`);
  const problem = textProblem(name, what);
  if (problem) fail('INVALID_INPUT', problem);
  return name;
}

/** A job title; empty clears it. */
export function checkTitle(raw: string | null | undefined): string | null {
  const title = raw === null || raw === undefined ? '' : cleanText(raw);
  if (!title) return null;
  const problem = textProblem(title, 'title');
  if (problem) fail('INVALID_INPUT', problem);
  return title;
}

/** What is wrong with a start date, or null: it is a calendar date YYYY-MM-DD that exists, in 1900–9999. */
export function startDateProblem(raw: string): string | null {
  return isValidDate(raw) ? null : `a start date is a calendar date YYYY-MM-DD that exists, in ${MIN_YEAR}–${MAX_YEAR}: got "${raw}"`;
}

/** A start date, or INVALID_INPUT. */
export function checkStartDate(raw: string): string {
  const problem = startDateProblem(raw);
  if (problem) fail('INVALID_INPUT', problem);
  return raw;
}

/**
 * A provisioning client's id (SCIM externalId): kept exactly as sent (it is the client's, and
 * case-exact), but never empty, never with a NUL, at most 200 characters.
 */
export function checkExternalId(raw: string): string {
  if (!raw.trim()) fail('INVALID_INPUT', 'an external id cannot be empty');
  const problem = textProblem(raw, 'external id');
  if (problem) fail('INVALID_INPUT', problem);
  return raw;
}
