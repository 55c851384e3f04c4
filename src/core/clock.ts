import { fail } from './errors.js';

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

export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/** Parses "90d", "12h", "30m", "2w" into milliseconds. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+)\s*(w|d|h|m|s)$/i.exec(text.trim());
  if (!m) return null;
  const unit = { w: 7 * DAY, d: DAY, h: HOUR, m: 60_000, s: 1000 }[m[2].toLowerCase() as 'w' | 'd' | 'h' | 'm' | 's'];
  return Number(m[1]) * unit;
}

/** "7d" (that long before now) or a date/time: the instant it names. */
export function parseSince(text: string, now: Date): string {
  const ms = parseDuration(text);
  if (ms !== null) return new Date(now.getTime() - ms).toISOString();
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
