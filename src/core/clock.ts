import { fail, type InputField } from './errors.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at an ISO-8601 instant: $ROLLCALL_NOW, so windows and expiries can be tested from outside. */
export function fixedClock(iso: string): Clock {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) fail('INVALID_INPUT', `ROLLCALL_NOW is not an ISO-8601 time: ${iso}`);
  return { now: () => new Date(t) };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

// Stored times are ISO-8601 text compared as text: four-digit years only (0000-9999).
const FIRST_TIME = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_TIME = Date.parse('9999-12-31T23:59:59.999Z');
const storable = (t: number) => Number.isFinite(t) && t >= FIRST_TIME && t <= LAST_TIME;

/** iso plus ms; INVALID_INPUT (pointing at `field`) past the year 9999, which no stored time may be. */
export function addMs(iso: string, ms: number, field?: InputField): string {
  const t = Date.parse(iso) + ms;
  if (!storable(t)) fail('INVALID_INPUT', `${Math.round(ms / DAY)} days after ${iso.slice(0, 10)} is past the year 9999, the last a time can be`, undefined, field);
  return new Date(t).toISOString();
}

/** Parses "90d", "12h", "30m", "2w" into milliseconds; a number too large to count is INVALID_INPUT. */
export function parseDuration(text: string, field?: InputField): number | null {
  const m = /^(\d+)\s*(w|d|h|m|s)$/i.exec(text.trim());
  if (!m) return null;
  const unit = { w: 7 * DAY, d: DAY, h: HOUR, m: 60_000, s: 1000 }[m[2].toLowerCase() as 'w' | 'd' | 'h' | 'm' | 's'];
  if (!Number.isSafeInteger(Number(m[1]) * unit)) fail('INVALID_INPUT', `the duration "${text.trim()}" is too long to count`, undefined, field);
  return Number(m[1]) * unit;
}

/** "7d" (that long before now) or a date/time: the instant it names. */
export function parseSince(text: string, now: Date): string {
  const ms = parseDuration(text, 'since');
  if (ms !== null) {
    if (!storable(now.getTime() - ms)) fail('INVALID_INPUT', `${text.trim()} before now is before the year 0000, the first a time can be`, undefined, 'since');
    return new Date(now.getTime() - ms).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const t = Date.parse(text);
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  fail('INVALID_INPUT', `a time is a duration like 7d or 24h, or a date like 2030-01-31: got "${text}"`, undefined, 'since');
}

/** A calendar date YYYY-MM-DD that exists. */
export function isValidDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(text + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
