// Issue 18 (8): dates are strict everywhere one enters: ROLLCALL_NOW, --since, --removed-since,
// --start-date and a roster's startDate. A day that does not exist (2026-02-30, which Date.parse
// rolls over to March 2nd) or a year outside 1900–9999 is INVALID_INPUT (exit 2), or ROSTER_INVALID
// in a roster, and changes nothing.
import { describe, expect, it } from 'vitest';
import { ADMIN, World, describeRun, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';

async function everything(w: World): Promise<string> {
  const read = async (args: string[]) => expectOk(await w.run([...args, '--json'])).out;
  return [await read(['member', 'list']), await read(['member', 'list', '--status', 'deleted']), await read(['audit', 'list'])].join('\n');
}

describe.concurrent('strict dates', () => {
  it('ROLLCALL_NOW naming a day that does not exist, or a year outside 1900–9999, is INVALID_INPUT (exit 2) and changes nothing', async () => {
    const w = await World.ready();
    const before = await everything(w);
    for (const now of ['2026-02-30T00:00:00Z', '2026-02-28T24:00:00Z', '1899-12-31T23:00:00Z', '+010000-01-01T00:00:00Z']) {
      const r = expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--json'], { now }), 2, 'INVALID_INPUT');
      expect(r.error()!.message, describeRun(r)).toContain('ROLLCALL_NOW');
    }
    expect(await everything(w)).toBe(before);
    expectOk(await w.run(['member', 'list'], { now: '2028-02-29T12:00:00+09:00' }));
  });

  it('audit list --since and member restore --removed-since refuse 2026-02-30 (date or date-time) and years outside 1900–9999', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
    expectOk(await w.run(['member', 'remove', BOB]));
    const before = await everything(w);
    for (const when of ['2026-02-30', '2026-02-30T00:00:00Z', '2030-01-07T25:00:00Z', '1899-12-31', '0999-01-01T00:00:00Z']) {
      expectError(await w.run(['audit', 'list', '--since', when]), 2, 'INVALID_INPUT');
      expectError(await w.run(['member', 'restore', '--removed-since', when, '--json']), 2, 'INVALID_INPUT');
    }
    expect(await everything(w)).toBe(before);
    // Real dates still work.
    expectOk(await w.run(['audit', 'list', '--since', '2030-01-07T00:00:00Z']));
    expectOk(await w.run(['member', 'restore', '--removed-since', '2030-01-06', '--dry-run']));
  });

  it('--start-date and a roster startDate refuse a day that does not exist and years outside 1900–9999', async () => {
    const w = await World.ready();
    const before = await everything(w);
    for (const d of ['2026-02-30', '1899-12-31', '0999-01-01', '2026-02-29']) {
      expectError(await w.run(['member', 'add', BOB, '--name', 'Bob', '--start-date', d]), 2, 'INVALID_INPUT');
      const r = expectError(await w.run(['apply', w.file(`r-${d}.csv`, `email,name,start_date\n${BOB},Bob,${d}\n`), '--yes', '--json']), 2, 'ROSTER_INVALID');
      expect(r.error()!.message, describeRun(r)).toContain(d);
    }
    expect(await everything(w)).toBe(before);
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--start-date', '2028-02-29']));
    expectError(await w.run(['member', 'update', BOB, '--start-date', '10000-01-01']), 2, 'INVALID_INPUT');
    expect((await w.member(BOB)).startDate).toBe('2028-02-29');
    expect(await w.emails()).toEqual([ADMIN, BOB]);
  });
});
