// A roster longer than one slice (5,000 rows) is written slice by slice as it is planned (issue 21),
// inside the apply's one transaction: these tests hold it to the guarantees of a whole-plan commit.
// A refusal or a problem found after the first slice was written still leaves nothing written; the
// whole-result rules count what was there before the first write; a rerun transaction reads the
// roster again.
import { describe, expect, it } from 'vitest';
import { applyRoster, previewRoster } from '../../src/core/roster/apply.js';
import type { ApplyOptions } from '../../src/core/roster/plan.js';
import type { RosterFields, RosterFile } from '../../src/core/roster/roster-file.js';
import { openWorkspace } from '../../src/core/workspace.js';
import type { Store } from '../../src/core/store.js';
import { newHarness, type Harness } from './harness.js';

const ALICE = 'alice@acme.example';
/** Rows enough for two slices and a bit. */
const N = 6_000;

function rosterOf(rows: Array<{ email: string } & RosterFields>): RosterFile {
  return { format: 'csv', file: 'big.csv', orgs: [], problems: [], notes: [], rows: rows.map(({ email, ...fields }, i) => ({ line: i + 2, email, fields })) };
}
const people = (n: number, from = 0, domain = 'acme.example') => Array.from({ length: n }, (_, i) => ({ email: `p${from + i}@${domain}`, name: `P ${from + i}` }));

async function apply(h: Harness, roster: RosterFile, options: ApplyOptions = {}, actor = ALICE, reread?: () => RosterFile) {
  return applyRoster(h.ws(), await h.actor(actor), { roster, options, reread });
}

describe('a roster applied slice by slice is still all or nothing', () => {
  it('a refusal in a later slice (an external address at row 5,900) leaves the slices before it unwritten', async () => {
    const h = await newHarness({ seatLimit: 20_000 });
    const rows = people(N);
    rows[5_900] = { email: 'olga@other.example', name: 'Olga' };
    const err = await h.refuses('EXTERNAL_NOT_ALLOWED', () => apply(h, rosterOf(rows)));
    expect(err.message).toContain('olga@other.example');
    expect(await h.seatsUsed()).toBe(1);
  });

  it('a row problem in a later slice is ROSTER_INVALID, reported before an earlier slice\'s refusal, and nothing is written', async () => {
    const h = await newHarness({ seatLimit: 20_000 });
    const rows = people(N);
    rows[10] = { email: 'olga@other.example', name: 'Olga' }; // refused in the first slice…
    rows[5_500] = { email: 'not-an-address', name: 'Nobody' }; // …but the file is wrong first
    const err = await h.refuses('ROSTER_INVALID', () => apply(h, rosterOf(rows)));
    expect(err.message).toContain('big.csv:5502');
  });

  it('a rename in the first slice and the old address in a later one is ROSTER_INVALID: the later row would add someone under it once the rename is written', async () => {
    const h = await newHarness({ seatLimit: 20_000 });
    await apply(h, rosterOf([{ email: ALICE }, { email: 'old@acme.example', name: 'Old' }]));
    const old = (await h.actor('old@acme.example')).id;
    const rows = [{ email: 'new@acme.example', name: 'Old' }, ...people(N)];
    const roster = rosterOf(rows);
    roster.rows[0].id = old;
    roster.rows[5_500] = { line: 5_502, email: 'old@acme.example', fields: { name: 'Someone New' } };
    const err = await h.refuses('ROSTER_INVALID', () => apply(h, roster));
    expect(err.message).toContain('big.csv:5502: old@acme.example is the address the row at big.csv:2 renames away');
  });

  it('the seat limit counts the seats held before the first slice was written', async () => {
    const h = await newHarness({ seatLimit: 7_000 });
    await apply(h, rosterOf(people(N)));
    expect(await h.seatsUsed()).toBe(N + 1);
    const err = await h.refuses('SEAT_LIMIT_REACHED', () => apply(h, rosterOf([{ email: ALICE }, ...people(N), ...people(1_000, N)])));
    expect(err.message).toContain(`${N + 1} seats are held: 1000 more would need ${N + 1_001}`);
  });

  it('a prune leaves alone the members the same apply adds, and a limit in percent is of the members before it', async () => {
    const h = await newHarness({ seatLimit: 20_000 });
    await apply(h, rosterOf([{ email: ALICE }, ...people(100, 0, 'acme.example')]));
    // Alice and 89 of the 100 stay, 11 go (11% of 101), 6,000 arrive.
    const roster = () => rosterOf([{ email: ALICE }, ...people(89), ...people(N, 1_000)]);
    const err = await h.refuses('REMOVAL_LIMIT', () => apply(h, roster(), { prune: true, maxRemovals: { percent: 10 } }));
    expect(err.message).toContain('the limit of 10% of 101 current members, which is 10');
    const { plan } = await apply(h, roster(), { prune: true, maxRemovals: { percent: 11 } });
    expect(plan.summary).toEqual({ add: N, change: 0, remove: 11, restore: 0 });
    expect(await h.seatsUsed()).toBe(1 + 89 + N);
    expect(await h.verify()).toMatchObject({ ok: true });
  });

  it('demoting the last active admin in a later slice is LAST_ADMIN, though the slice that holds the admin was written first', async () => {
    const h = await newHarness({ seatLimit: 20_000 });
    await h.customRole('directory', ['members.view', 'members.manage', 'roles.manage']);
    await h.addMember({ email: 'carol@acme.example', role: 'directory', status: 'active' });
    const rows = [...people(N), { email: ALICE, role: 'viewer' }];
    const err = await h.refuses('LAST_ADMIN', () => apply(h, rosterOf(rows), {}, 'carol@acme.example'));
    expect(err.message).toContain(`cannot apply a roster that removes, suspends or demotes ${ALICE}`);
  });
});

describe('the log and the plan of a roster written slice by slice', () => {
  it('one batch, every add in roster order, a chain that verifies; the plan lists every add', async () => {
    const h = await newHarness({ seatLimit: 20_000 });
    const before = await h.head();
    const { plan } = await apply(h, rosterOf(people(N)), { createOrgs: true });
    expect(plan.changes).toHaveLength(N);
    expect(plan.changes[N - 1]).toMatchObject({ action: 'add', email: `p${N - 1}@acme.example`, fields: { name: { from: null, to: `P ${N - 1}` } } });
    const entries = (await h.audit()).filter((e) => e.seq > before.seq);
    expect(entries.map((e) => e.target)).toEqual(people(N).map((p) => p.email));
    expect(new Set(entries.map((e) => e.batch)).size).toBe(1);
    expect(await h.verify()).toMatchObject({ ok: true, entries: before.seq + N });
  });
});

describe('rows let go as they are planned', () => {
  it('an apply given the file to read again empties the rows it planned; a preview keeps them (a saved plan writes them)', async () => {
    const h = await newHarness({ seatLimit: 20_000 });
    const kept = rosterOf(people(N));
    await previewRoster(h.ws(), await h.actor(ALICE), kept, {});
    expect(kept.rows.every((r) => r)).toBe(true);
    const released = rosterOf(people(N));
    await apply(h, released, {}, ALICE, () => rosterOf(people(N)));
    expect(released.rows).toHaveLength(N);
    expect(released.rows.some((r) => r)).toBe(false);
  });

  it('a transaction run again (PostgreSQL after a lost race) plans the roster read again, and applies it whole', async () => {
    const h = await newHarness({ seatLimit: 20_000 });
    // The store rolls the first run back after the work is done, and runs it again, as a store does
    // when it loses a race at COMMIT.
    const lostRace = new Error('lost a race');
    const rerunning = new Proxy(h.store, {
      get(target, prop) {
        if (prop === 'write') {
          return async (fn: Parameters<Store['write']>[0]) => {
            await target.write(async (tx) => { await fn(tx); throw lostRace; }).catch((e) => { if (e !== lostRace) throw e; });
            return target.write(fn);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    let reads = 0;
    const roster = rosterOf(people(N));
    const ws = openWorkspace(rerunning, h.clock());
    const { plan } = await applyRoster(ws, await h.actor(ALICE), { roster, options: {}, reread: () => { reads++; return rosterOf(people(N)); } });
    expect(reads).toBe(1);
    expect(plan.summary.add).toBe(N);
    expect(await h.seatsUsed()).toBe(N + 1);
    expect(await h.verify()).toMatchObject({ ok: true });
  });
});
