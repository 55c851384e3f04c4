// A prune is written a slice of members at a time (5,000; issue 21: a prune of 100,000 held every
// removed member twice, over 250 MB), inside the apply's one transaction, and so is its restore. These tests hold it to the
// guarantees of a removal written whole: every rule is checked on every removed member before any is
// written, a refusal leaves nothing written, the log has every member's entry in order, in one batch,
// with the groups it held, and the batch comes back in one restore.
import { describe, expect, it } from 'vitest';
import { requirePermission } from '../../src/core/access/grants.js';
import { issueInvite } from '../../src/core/invites.js';
import { restoreSelection } from '../../src/core/members/restore.js';
import { applyRoster } from '../../src/core/roster/apply.js';
import { REMOVAL_SLICE } from '../../src/core/roster/plan-removals.js';
import type { ApplyOptions } from '../../src/core/roster/plan.js';
import type { RosterFields, RosterFile } from '../../src/core/roster/roster-file.js';
import { newHarness, type Harness } from './harness.js';

const ALICE = 'alice@acme.example';
/** Members enough for two slices of removals and a bit. */
const N = 2 * REMOVAL_SLICE + 1_000;
const ALL: ApplyOptions = { prune: true, maxRemovals: { percent: 100 } };

function rosterOf(rows: Array<{ email: string } & RosterFields>): RosterFile {
  return { format: 'csv', file: 'r.csv', orgs: [], problems: [], notes: [], rows: rows.map(({ email, ...fields }, i) => ({ line: i + 2, email, fields })) };
}
const people = (n: number) => Array.from({ length: n }, (_, i) => ({ email: `p${i}@acme.example`, name: `P ${i}` }));

async function apply(h: Harness, roster: RosterFile, options: ApplyOptions = {}, actor = ALICE) {
  return applyRoster(h.ws(), await h.actor(actor), { roster, options });
}

/** A workspace of Alice and N people (added by a roster, so in roster order). */
async function crowd() {
  const h = await newHarness({ seatLimit: 3 * N });
  await apply(h, rosterOf([{ email: ALICE }, ...people(N)]));
  return h;
}

describe('a prune of more than a slice', () => {
  it('removes everyone but the file\'s members, each logged in order in one batch with the groups it held; an open invitation dies; one restore brings them back', async () => {
    const h = await crowd();
    const last = `p${N - 1}@acme.example`;
    const invited = `p${N - 2}@acme.example`;
    await h.group('Ops', ALICE, { members: [last] });
    await h.write(ALICE, (s) => issueInvite(s, { email: invited }));
    const before = await h.head();
    const { plan } = await apply(h, rosterOf([{ email: ALICE }]), ALL);
    expect(plan.summary.remove).toBe(N);
    expect(plan.changes.map((c) => c.email)).toEqual(people(N).map((p) => p.email));
    expect(await h.seatsUsed()).toBe(1);
    const entries = (await h.audit()).filter((e) => e.seq > before.seq);
    expect(entries.map((e) => e.target)).toEqual(people(N).map((p) => p.email));
    expect(entries.every((e) => e.action === 'member.remove' && e.reason === 'roster --prune')).toBe(true);
    expect(new Set(entries.map((e) => e.batch)).size).toBe(1);
    expect(entries.at(-1)!.before).toMatchObject({ groups: [{ group: 'Ops', role: 'member' }] });
    expect(entries[0].before).toMatchObject({ groups: [] });
    expect((await h.snapshot()).invites.filter((i) => !i.revokedAt && !i.usedAt)).toEqual([]);
    expect(await h.verify()).toMatchObject({ ok: true });

    // The restore is written a thousand at a time: every member back and logged, in order, in one batch.
    const pruned = await h.head();
    const { restored } = await h.write(ALICE, (s) => restoreSelection(s, { batch: entries[0].batch! }));
    expect(restored).toHaveLength(N);
    expect(await h.seatsUsed()).toBe(N + 1);
    const restores = (await h.audit()).filter((e) => e.seq > pruned.seq);
    expect(restores.map((e) => e.target)).toEqual(restored.map((v) => v.email));
    const deleted = (side: unknown) => (side as { deleted: boolean }).deleted;
    expect(restores.every((e) => e.action === 'member.restore' && deleted(e.before) && !deleted(e.after))).toBe(true);
    expect(new Set(restores.map((e) => e.batch)).size).toBe(1);
    expect(await h.verify()).toMatchObject({ ok: true });
    expect(restored.find((v) => v.email === last)).toMatchObject({ status: 'invited', lostGroups: [] });
    expect((await h.snapshot()).memberships.filter((gm) => gm.role === 'member')).toHaveLength(1); // kept while removed
  });

  it('a group owner in the last slice is OWNER_PROTECTED, checked before any slice is written', async () => {
    const h = await crowd();
    await h.addMember({ email: 'olga@acme.example', role: 'admin', status: 'active' });
    await h.group('Late', 'olga@acme.example');
    const err = await h.refuses('OWNER_PROTECTED', () => apply(h, rosterOf([{ email: ALICE }]), ALL));
    expect(err.message).toBe('cannot remove or suspend olga@acme.example: it owns group "Late"');
  });

  it('the last active admin pruned is LAST_ADMIN, and the hint does not offer an admin that the prune also removes', async () => {
    const h = await crowd();
    await h.addMember({ email: 'ivan@acme.example', role: 'admin' }); // invited: pruned too
    await h.customRole('keeper', ['members.view', 'members.manage', 'members.delete']);
    await h.addMember({ email: 'carol@acme.example', role: 'keeper', status: 'active' });
    await h.addMember({ email: 'vera@acme.example', role: 'admin' }); // invited, kept: the way out
    const err = await h.refuses('LAST_ADMIN', () =>
      apply(h, rosterOf([{ email: 'carol@acme.example', role: 'keeper' }, { email: 'vera@acme.example', role: 'admin' }]), ALL, 'carol@acme.example'));
    expect(err.message).toBe(`cannot apply a roster that removes, suspends or demotes ${ALICE}: the workspace must keep at least one active admin`);
    expect(err.hint).toContain('vera@acme.example is an admin but invited');
    expect(err.hint).not.toContain('ivan@acme.example');
  });

  it('over the removal limit: REMOVAL_LIMIT names the first ten in order and counts the rest', async () => {
    const h = await crowd();
    const err = await h.refuses('REMOVAL_LIMIT', () => apply(h, rosterOf([{ email: ALICE }]), { prune: true, maxRemovals: 5 }));
    const first = people(10).map((p) => p.email).join(', ');
    expect(err.message).toBe(`the roster would remove ${N} members, more than the limit of 5: ${first} and ${N - 10} more`);
  });
});

describe('requirePermission with subjects given as a function', () => {
  it('calls it only for a scoped grant, and refuses those outside the scope as for a list', async () => {
    const h = await newHarness();
    await h.orgs('Sales', 'Engineering');
    await h.addMember({ email: 'sam@acme.example', role: 'site-admin', scope: ['Sales'], status: 'active' });
    const sales = await h.read(null, async (s) => (await s.orgs()).find((o) => o.name === 'Sales')!.id);
    const eng = await h.read(null, async (s) => (await s.orgs()).find((o) => o.name === 'Engineering')!.id);
    let calls = 0;
    const subjects = async () => (calls++, [Object.assign([sales], { who: 'a@acme.example' }), Object.assign([eng], { who: 'b@acme.example' })]);
    await h.read(ALICE, (s) => requirePermission(s, 'members.manage', subjects));
    expect(calls).toBe(0); // an admin holds it over everyone
    const err = await h.refuses('PERMISSION_DENIED', () => h.read('sam@acme.example', (s) => requirePermission(s, 'members.manage', subjects)));
    expect(calls).toBe(1);
    expect(err.message).toBe('sam@acme.example (role site-admin) lacks members.manage over b@acme.example: outside its scope (Sales)');
  });
});
