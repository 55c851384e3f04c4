import { fail, type InputField } from './errors.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at an ISO-8601 instant: $ROLLCALL_NOW, so windows and expiries can be tested from outside. */
export function fixedClock(iso: string): Clock {
  const t = parseIsoInstant(iso);
  if (t === null) fail('INVALID_INPUT', `ROLLCALL_NOW is not an ISO-8601 time that exists, with a year in ${MIN_YEAR}–${MAX_YEAR}: ${iso}`, 'e.g. ROLLCALL_NOW=2030-01-07T09:00:00Z');
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
    const t = parseIsoInstant(text);
    if (t !== null) return new Date(t).toISOString();
  }
  fail('INVALID_INPUT', `a time is a duration like 7d or 24h, or a date like 2030-01-31: got "${text}"`, undefined, 'since');
}

/** The years a date may name: nothing rollcall stores lies outside them, and a typo often does. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;

/** Whether year-month-day is a day of the calendar, in MIN_YEAR–MAX_YEAR. */
function calendarDay(y: number, m: number, d: number): boolean {
  return y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** A calendar date YYYY-MM-DD that exists, in MIN_YEAR–MAX_YEAR. */
export function isValidDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return !!m && calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * The instant (ms) an ISO-8601 date or date-time names, or null. Strict where Date.parse is not:
 * nothing rolls over (2026-02-30, 24:00, 23:60), and the year is in MIN_YEAR–MAX_YEAR. A date
 * alone is midnight UTC; a time without an offset is local time, as Date.parse reads it.
 */
export function parseIsoInstant(text: string): number | null {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => Number(x ?? 0));
  if (!calendarDay(y, mo, d) || h > 23 || mi > 59 || sec > 59) return null;
  if (m[4] === undefined) return Date.UTC(y, mo - 1, d);
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const zone = m[8];
  if (!zone) return new Date(y, mo - 1, d, h, mi, sec, ms).getTime();
  let offset = 0;
  if (zone.toUpperCase() !== 'Z') {
    const [zh, zm] = [Number(zone.slice(1, 3)), zone.length > 3 ? Number(zone.slice(-2)) : 0];
    if (zh > 23 || zm > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset;
}
