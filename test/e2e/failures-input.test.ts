// Issue 18 (4): expected failures are not bugs. Durations too long to count or to store are bad
// input (INVALID_INPUT, exit 2) naming the flag, never INTERNAL (exit 70), and change nothing.
import { describe, expect, it } from 'vitest';
import { stateOf } from '../helpers/state.js';
import { World, describeRun, expectError, expectOk } from '../helpers/world.js';

const HUGE = '99999999999d'; // a whole number of days, far past the last date a Date can hold

describe('durations that do not fit', () => {
  it(`token create --expires-in ${HUGE}: INVALID_INPUT (exit 2) naming --expires-in, and no token is made`, async () => {
    const w = await World.ready();
    const before = stateOf(w);
    for (const d of [HUGE, '999999999999999999999999d', '3000000d' /* year 10243 */, '99999999999w']) {
      const r = expectError(await w.run(['token', 'create', '--name', 'far', '--expires-in', d, '--json']), 2, 'INVALID_INPUT');
      expect(r.error()?.hint ?? '', describeRun(r)).toContain('--expires-in');
      expect(r.error()?.message ?? '', describeRun(r)).not.toMatch(/bug/i);
    }
    expect(stateOf(w)).toBe(before);
    const names = (expectOk(await w.run(['token', 'list', '--json'])).json() as Array<{ name: string }>).map((t) => t.name);
    expect(names).not.toContain('far');
    // A long but storable lifetime still works.
    expectOk(await w.run(['token', 'create', '--name', 'long', '--expires-in', '3650d']));
  });

  it(`audit list --since ${HUGE}: INVALID_INPUT (exit 2) naming --since`, async () => {
    const w = await World.ready();
    for (const d of [HUGE, '999999999999999999999999h']) {
      const r = expectError(await w.run(['audit', 'list', '--since', d, '--json']), 2, 'INVALID_INPUT');
      expect(r.error()?.hint ?? '', describeRun(r)).toContain('--since');
    }
    expectOk(await w.run(['audit', 'list', '--since', '3650d', '--json']));
  });

  it(`member restore --removed-since ${HUGE}: INVALID_INPUT (exit 2) naming --removed-since, and nothing is restored`, async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', 'bob@acme.example', '--name', 'Bob']));
    expectOk(await w.run(['member', 'remove', 'bob@acme.example']));
    const before = stateOf(w);
    for (const extra of [[], ['--dry-run']]) {
      const r = expectError(await w.run(['member', 'restore', '--removed-since', HUGE, ...extra, '--json']), 2, 'INVALID_INPUT');
      expect(r.error()?.hint ?? '', describeRun(r)).toContain('--removed-since');
    }
    expect(stateOf(w)).toBe(before);
  });
});
