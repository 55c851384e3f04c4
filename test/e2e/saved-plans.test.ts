// SPEC §14 "Saved plans name the workspace by an id stored inside it, not by its path" (issue 19.8):
// `apply --plan-out` on a workspace, then `apply --plan` on the same workspace elsewhere (a byte copy
// at another path, a `workspace copy`), on another workspace, and after a change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, World, expectError, expectOk } from '../helpers/world.js';

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
});
