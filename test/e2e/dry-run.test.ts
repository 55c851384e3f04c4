// SPEC §14 "Dry-run equals apply": --dry-run, --plan-out and the preview before a confirmation are
// the apply itself, rolled back. A roster the apply would refuse is refused the same way (exit code
// and error code), so a pull-request check built on the dry run can be trusted.
import { describe, expect, it } from 'vitest';
import { ADMIN, World, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';

/** Everything stored, as text (without the per-run restrict keys of pg_dump). */
const stored = (w: World) => w.dump().replace(/^\\(un)?restrict .*$/gm, '');

/** The dry run, the saved plan and the apply: the same refusal, and nothing changed. */
async function refusedAlike(w: World, roster: string, flags: string[], exit: number, code: string) {
  const before = stored(w);
  expectError(await w.run(['apply', roster, ...flags, '--dry-run', '--detailed-exitcode']), exit, code);
  expectError(await w.run(['apply', roster, ...flags, '--plan-out', 'plan.json']), exit, code);
  expectError(await w.run(['apply', roster, ...flags, '--yes']), exit, code);
  expect(stored(w)).toBe(before);
}

describe('a dry run answers as the apply will', () => {
  it('a roster over the seat limit: SEAT_LIMIT_REACHED (exit 1) for the dry run, the saved plan and the apply', async () => {
    const w = await World.ready();
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '2']));
    const roster = w.file('r.csv', `email,name\n${ADMIN},Alice\n${BOB},Bob\ncarol@acme.example,Carol\n`);
    await refusedAlike(w, roster, [], 1, 'SEAT_LIMIT_REACHED');
  });

  it('a roster suspending a group owner: OWNER_PROTECTED (exit 1) alike', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob', 'operator');
    await w.loginAs(BOB, pw);
    expectOk(await w.as(BOB, ['group', 'create', 'Design']));
    const roster = w.file('r.csv', `email,name,role,status\n${BOB},Bob,operator,suspended\n`);
    await refusedAlike(w, roster, [], 1, 'OWNER_PROTECTED');
  });

  it('a roster pruning a group owner: OWNER_PROTECTED (exit 1) alike', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob', 'operator');
    await w.loginAs(BOB, pw);
    expectOk(await w.as(BOB, ['group', 'create', 'Design']));
    const roster = w.file('r.csv', `email,name,role\n${ADMIN},Alice,admin\n`);
    await refusedAlike(w, roster, ['--prune'], 1, 'OWNER_PROTECTED');
  });

  it('a roster demoting the acting admin: PERMISSION_DENIED (exit 4) alike', async () => {
    const w = await World.ready();
    const roster = w.file('r.csv', `email,name,role\n${ADMIN},Alice,viewer\n`);
    await refusedAlike(w, roster, [], 4, 'PERMISSION_DENIED');
  });

  it('a viewer: PERMISSION_DENIED (exit 4) for the dry run as for the apply', async () => {
    const w = await World.ready();
    const pw = await w.activeMember('vic@acme.example', 'Vic');
    await w.loginAs('vic@acme.example', pw);
    const roster = w.file('r.csv', `email,name\n${BOB},Bob\n`);
    expectError(await w.as('vic@acme.example', ['apply', roster, '--dry-run']), 4, 'PERMISSION_DENIED');
    expectError(await w.as('vic@acme.example', ['apply', roster]), 4, 'PERMISSION_DENIED');
  });

  it('--detailed-exitcode gives 10 only for a plan that would apply, and the dry run changes nothing', async () => {
    const w = await World.ready();
    const roster = w.file('r.csv', `email,name,org\n${BOB},Bob,Sales/Tokyo\n`);
    const before = stored(w);
    const r = await w.run(['apply', roster, '--create-orgs', '--dry-run', '--detailed-exitcode', '--json']);
    expect(r.code).toBe(10);
    expect(r.json().summary).toEqual({ add: 1, change: 0, remove: 0, restore: 0 });
    expect(stored(w)).toBe(before);
    expect((await w.run(['apply', roster, '--create-orgs', '--detailed-exitcode'])).code).toBe(10);
    expect((await w.run(['apply', roster, '--create-orgs', '--dry-run', '--detailed-exitcode'])).code).toBe(0);
  });
});
