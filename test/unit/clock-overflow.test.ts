// Durations and instants that a stored time cannot hold are bad input (INVALID_INPUT), never a RangeError.
import { describe, expect, it } from 'vitest';
import { addMs, DAY, parseDuration, parseSince } from '../../src/core/clock.js';
import { refusal } from '../helpers/refusal.js';

const NOW = '2030-01-07T09:00:00.000Z';

describe('durations and instants out of range', () => {
  it('parseDuration refuses a number too large to count, pointing at the field', () => {
    const e = refusal(() => parseDuration('99999999999d', 'expiresIn'));
    expect([e.code, e.field]).toEqual(['INVALID_INPUT', 'expiresIn']);
    expect(parseDuration('3650d')).toBe(3650 * DAY);
  });

  it('addMs refuses a time past the year 9999 and keeps 9999 itself', () => {
    expect(refusal(() => addMs(NOW, 3_000_000 * DAY, 'expiresIn')).field).toBe('expiresIn');
    expect(addMs('9999-12-30T00:00:00.000Z', DAY)).toBe('9999-12-31T00:00:00.000Z');
    expect(refusal(() => addMs('9999-12-31T00:00:00.000Z', DAY)).code).toBe('INVALID_INPUT');
  });

  it('parseSince refuses a duration reaching before the year 0000', () => {
    const e = refusal(() => parseSince('99999999999d', new Date(NOW)));
    expect([e.code, e.field]).toEqual(['INVALID_INPUT', 'since']);
    expect(refusal(() => parseSince('1000000d', new Date(NOW))).field).toBe('since');
    expect(parseSince('1d', new Date(NOW))).toBe('2030-01-06T09:00:00.000Z');
  });
});
