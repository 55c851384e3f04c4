// src/core/clock.ts: durations, --since, calendar dates and the fixed clock behind ROLLCALL_NOW.
import { describe, expect, it } from 'vitest';
import { addMs, DAY, fixedClock, HOUR, isValidDate, parseDuration, parseSince } from '../../src/core/clock.js';
import { RollcallError } from '../../src/core/errors.js';

const NOW = new Date('2030-01-07T09:00:00.000Z');

describe('parseDuration', () => {
  it.each([
    ['90d', 90 * DAY], ['12h', 12 * HOUR], ['30m', 30 * 60_000], ['2w', 14 * DAY], ['10s', 10_000], [' 7d ', 7 * DAY], ['7D', 7 * DAY], ['0d', 0],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '7', 'd', '-1d', '1.5d', '7y', 'seven days', '7 days', '1d2h'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('parseSince', () => {
  it('a duration counts back from now', () => {
    expect(parseSince('7d', NOW)).toBe('2029-12-31T09:00:00.000Z');
    expect(parseSince('24h', NOW)).toBe('2030-01-06T09:00:00.000Z');
  });

  it('a date is that instant, in UTC', () => {
    expect(parseSince('2030-01-05', NOW)).toBe('2030-01-05T00:00:00.000Z');
    expect(parseSince('2030-01-05T12:30:00Z', NOW)).toBe('2030-01-05T12:30:00.000Z');
  });

  it('anything else is INVALID_INPUT pointing at the time given (field since), naming no flag', () => {
    try {
      parseSince('last tuesday', NOW);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RollcallError);
      expect((e as RollcallError).code).toBe('INVALID_INPUT');
      expect((e as RollcallError).field).toBe('since');
      expect((e as RollcallError).message).not.toContain('--');
    }
    expect(() => parseSince('2030-13-45', NOW)).toThrow(RollcallError);
  });
});

describe('isValidDate', () => {
  it.each(['2030-01-31', '2028-02-29', '2030-12-31', '2000-02-29'])('accepts %s', (d) => {
    expect(isValidDate(d)).toBe(true);
  });

  it.each(['2030-02-29', '2030-02-30', '2030-13-01', '2030-00-10', '2030-1-1', '2030-01-32', '1900-02-29', 'tomorrow', '', '2030-01-01T00:00:00Z'])('refuses %j', (d) => {
    expect(isValidDate(d)).toBe(false);
  });
});

describe('fixedClock', () => {
  it('always answers the given instant', () => {
    const c = fixedClock('2030-01-07T09:00:00.000Z');
    expect(c.now().toISOString()).toBe('2030-01-07T09:00:00.000Z');
    expect(c.now().getTime()).toBe(c.now().getTime());
  });

  it('refuses text that is not an instant (INVALID_INPUT)', () => {
    expect(() => fixedClock('yesterday')).toThrow(RollcallError);
  });

  it('addMs moves an ISO instant', () => {
    expect(addMs('2030-01-07T09:00:00.000Z', 7 * DAY)).toBe('2030-01-14T09:00:00.000Z');
  });
});
