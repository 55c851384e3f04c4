// src/core/clock.ts: durations, --since, calendar dates and the fixed clock behind ROLLCALL_NOW.
import { describe, expect, it } from 'vitest';
import { addMs, DAY, fixedClock, HOUR, isValidDate, parseDuration, parseIsoInstant, parseSince } from '../../src/core/clock.js';
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

  it.each([['1900-01-01', true], ['9999-12-31', true], ['1899-12-31', false], ['0999-01-01', false], ['0000-01-01', false], ['10000-01-01', false]])(
    '%s: years run from 1900 to 9999 (%s)', (d, ok) => {
      expect(isValidDate(d)).toBe(ok);
    });
});

describe('parseIsoInstant (ROLLCALL_NOW, --since and --removed-since dates)', () => {
  it.each([
    ['2030-01-07T09:00:00.000Z', '2030-01-07T09:00:00.000Z'],
    ['2030-01-07T09:00:00Z', '2030-01-07T09:00:00.000Z'],
    ['2030-01-07t09:00z', '2030-01-07T09:00:00.000Z'],
    ['2030-01-07T18:00:00+09:00', '2030-01-07T09:00:00.000Z'],
    ['2030-01-07T18:00:00+0900', '2030-01-07T09:00:00.000Z'],
    ['2030-01-07T04:00:00-05', '2030-01-07T09:00:00.000Z'],
    ['2030-01-07T09:00:00.123456Z', '2030-01-07T09:00:00.123Z'],
    ['2030-01-07', '2030-01-07T00:00:00.000Z'],
    ['2028-02-29T23:59:59Z', '2028-02-29T23:59:59.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(new Date(parseIsoInstant(text)!).toISOString()).toBe(iso);
  });

  it('a time without an offset is local time, as Date.parse reads it', () => {
    expect(parseIsoInstant('2030-01-07T09:00:00')).toBe(Date.parse('2030-01-07T09:00:00'));
  });

  it.each([
    '2026-02-30T00:00:00Z', '2026-02-29T12:00:00Z', '2030-04-31', '2030-01-07T24:00:00Z', '2030-01-07T23:60:00Z', '2030-01-07T23:59:60Z',
    '2030-01-07T09:00:00+24:00', '2030-01-07T09:00:00+09:60', '1899-12-31T23:59:59Z', '0999-01-01T00:00:00Z', '+010000-01-01T00:00:00Z',
    '10000-01-01', '2030-01-07T09Z', 'Mon, 07 Jan 2030 09:00:00 GMT', '2030/01/07', '', 'yesterday',
  ])('%j is refused (Date.parse rolls some of them over)', (text) => {
    expect(parseIsoInstant(text)).toBeNull();
  });

  it('parseSince and fixedClock refuse a date that does not exist (INVALID_INPUT), where they rolled it over', () => {
    for (const bad of ['2026-02-30', '2026-02-30T00:00:00Z', '1899-12-31', '2026-02-28T24:00:00Z']) {
      expect(() => parseSince(bad, NOW), bad).toThrow(RollcallError);
      expect(() => fixedClock(bad), bad).toThrow(RollcallError);
    }
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
