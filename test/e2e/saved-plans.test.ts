// SPEC §14 "Saved plans name the workspace by an id stored inside it, not by its path" (issue 19.8):
// `apply --plan-out` on a workspace, then `apply --plan` on the same workspace elsewhere (a byte copy
// at another path, a `workspace copy`), on another workspace, and after a change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, World, at, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const ID = /^ws_[0-9a-f]{32}$/;

const idOf = async (w: World): Promise<string> => expectOk(await w.run(['workspace', 'show', '--json'])).json().id;

/** A workspace and a saved plan (adding Bob) made on it; returns the plan's path. */
async function planned(): Promise<{ w: World; plan: string }> {
  const w = await World.ready();
  w.file('r.csv', `email,name\n${BOB},Bob\n`);
  expectOk(await w.run(['apply', 'r.csv', '--plan-out', 'plan.json']));
  return { w, plan: join(w.dir, 'plan.json') };
}

describe('saved plans are keyed by the workspace id', () => {
  it('apply --plan applies to the same workspace at another path (a byte copy, a workspace copy); once applied there, that copy has moved on: STALE_PLAN', async () => {
    const { w, plan } = await planned();
    const id = await idOf(w);
    expect(id).toMatch(ID);
    expect(JSON.parse(readFileSync(plan, 'utf8'))).toMatchObject({ version: 2, workspaceId: id });
    const moved = w.copy(); // cp to another directory, or CREATE DATABASE … TEMPLATE
    const copied = new World(); // workspace copy into a new file or database
    copied.ensureDb();
    copied.token = w.token;
    expectOk(await w.run(['workspace', 'copy', copied.ws]));
    for (const elsewhere of [moved, copied]) {
      expect(await idOf(elsewhere)).toBe(id);
      const r = expectOk(await elsewhere.run(['apply', '--plan', plan, '--yes', '--json']));
      expect(r.json()).toMatchObject({ applied: true, summary: { add: 1, change: 0, remove: 0, restore: 0 } });
      expect(await elsewhere.emails()).toEqual([ADMIN, BOB]);
      expectError(await elsewhere.run(['apply', '--plan', plan, '--yes']), 5, 'STALE_PLAN');
    }
    expect(await w.emails()).toEqual([ADMIN]); // each copy is its own from the copy on
    expectOk(await w.run(['apply', '--plan', plan, '--yes']));
    expect(await w.emails()).toEqual([ADMIN, BOB]);
  });

  it('another workspace, initialised alike, refuses the plan (STALE_PLAN, exit 5, naming the id); so does a version-1 plan, keyed by path; nothing applied', async () => {
    const { w, plan } = await planned();
    const id = await idOf(w);
    const other = await new World().init([], { real: true });
    expect(await idOf(other)).not.toBe(id);
    const r = expectError(await other.run(['apply', '--plan', plan, '--yes']), 5, 'STALE_PLAN');
    expect(r.err).toContain(`the plan was made for another workspace (id ${id})`);
    expect(await other.emails()).toEqual([ADMIN]);

    const { workspaceId: _, ...rest } = JSON.parse(readFileSync(plan, 'utf8'));
    w.file('v1.json', JSON.stringify({ ...rest, version: 1, workspace: w.ws }));
    const old = expectError(await w.run(['apply', '--plan', 'v1.json', '--yes', '--json']), 5, 'STALE_PLAN');
    expect(old.error()).toMatchObject({ message: expect.stringContaining('made by an earlier rollcall'), hint: 'make a new plan: run the apply again' });
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it('a plan that restores a member is STALE_PLAN once the member has been purged since (its 7 days ran out), not applied as an add; a purge the plan already saw stands', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', 'IT']));
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob', '--role', 'operator', '--org', 'IT'], { now: at('+0d') }));
    expectOk(await w.run(['member', 'remove', BOB, '--yes'], { now: at('+0d') }));
    w.file('r.csv', `email,name\n${BOB},Bob\n`);
    const planned = expectOk(await w.run(['apply', 'r.csv', '--plan-out', 'restore.json', '--json'], { now: at('+6d') })).json();
    expect(planned.summary).toMatchObject({ add: 0, restore: 1 });
    const r = expectError(await w.run(['apply', '--plan', 'restore.json', '--yes'], { now: at('+8d') }), 5, 'STALE_PLAN');
    expect(r.err).toContain(`the workspace has changed since the plan was made: ${BOB} was purged for good (7 days after removal)`);
    expect(await w.emails(['--status', 'deleted'])).toEqual([BOB]); // refused: nothing written, the purge neither

    // Made after the window ended, the plan saw the purge (an add): applied later, it stands.
    const late = expectOk(await w.run(['apply', 'r.csv', '--plan-out', 'add.json', '--json'], { now: at('+8d') })).json();
    expect(late.summary).toMatchObject({ add: 1, restore: 0 });
    expect(expectOk(await w.run(['apply', '--plan', 'add.json', '--yes', '--json'], { now: at('+9d') })).json().summary).toMatchObject({ add: 1 });
    expect((await w.member(BOB)).role).toBe('viewer');
  });
});
