// A restore reads the log once per batch, not once per member (issue 21: restoring a 100,000-member
// prune read the batch 100,000 times and did not finish in ten minutes). The counts are of Tx.listAudit
// and Tx.scanAuditList calls (readings of the log), through a proxy of the transaction; what is
// restored, and the groups lost, as before.
import { describe, expect, it } from 'vitest';
import { deleteGroup } from '../../src/core/groups.js';
import { purgeMembers } from '../../src/core/members/purge.js';
import { removeMembers } from '../../src/core/members/remove.js';
import { restoreMembers, restoreSelection } from '../../src/core/members/restore.js';
import type { Tx } from '../../src/core/store.js';
import { UnitOfWork } from '../../src/core/unit-of-work.js';
import { newHarness } from './harness.js';

/** The transaction of `s` with its readings of the log counted. */
function counting(s: UnitOfWork): { s: UnitOfWork; reads: () => number } {
  let reads = 0;
  const tx = new Proxy(s.tx, {
    get: (t, k) => {
      const method = (t as any)[k].bind(t);
      return k === 'listAudit' || k === 'scanAuditList' ? (...a: unknown[]) => (reads++, method(...a)) : method;
    },
  }) as Tx;
  return { s: new UnitOfWork(tx, s.now, s.actor, () => s.batch), reads: () => reads };
}

const N = 40;

async function scene() {
  const h = await newHarness({ seatLimit: 500 });
  const emails = Array.from({ length: N }, (_, i) => `m${String(i).padStart(2, '0')}@acme.example`);
  await h.addMembers(emails.map((email) => ({ email })));
  await h.group('Design', h.admin.email, { members: emails.slice(0, 3) });
  await h.group('Sales', h.admin.email, { members: emails.slice(2, 5) });
  await h.write(h.admin, (s) => removeMembers(s, emails));
  const batch = (await h.raw(emails[0]))!.removedBatch!;
  await h.write(h.admin, (s) => deleteGroup(s, 'Design'));
  return { h, emails, batch };
}

describe('member restore reads the log a batch at a time', () => {
  it('--batch: the batch is read twice whatever its size, and each member comes back with the groups it lost', async () => {
    const { h, emails, batch } = await scene();
    const { restored, reads } = await h.write(h.admin, async (s) => {
      const c = counting(s);
      const r = await restoreSelection(c.s, { batch });
      return { restored: r.restored, reads: c.reads() };
    });
    expect(reads).toBeLessThanOrEqual(2);
    expect(restored.map((v) => v.email)).toEqual(emails);
    const lost = Object.fromEntries(restored.filter((v) => v.lostGroups.length).map((v) => [v.email, v.lostGroups]));
    expect(lost).toEqual({ 'm00@acme.example': ['Design'], 'm01@acme.example': ['Design'], 'm02@acme.example': ['Design'] });
    expect((await h.view('m03@acme.example')).status).toBe('invited');
    expect((await h.verify()).ok).toBe(true);
  });

  it('by name, across two batches: one reading of each batch', async () => {
    const { h, emails } = await scene();
    await h.write(h.admin, (s) => restoreMembers(s, emails.slice(2, 6)));
    await h.write(h.admin, (s) => removeMembers(s, emails.slice(2, 6))); // another batch
    const { restored, reads } = await h.write(h.admin, async (s) => {
      const c = counting(s);
      const r = await restoreMembers(c.s, emails);
      return { restored: r.restored, reads: c.reads() };
    });
    expect(reads).toBe(2);
    // m02 was restored without Design before its second removal: that removal is the one that counts.
    expect(restored.filter((v) => v.lostGroups.length).map((v) => [v.email, v.lostGroups])).toEqual([
      ['m00@acme.example', ['Design']], ['m01@acme.example', ['Design']],
    ]);
  });

  it('members purged by hand since the batch are named with who purged them, from one reading of the purges', async () => {
    const { h, emails, batch } = await scene();
    await h.write(h.admin, (s) => purgeMembers(s, emails.slice(0, 10)));
    const { skipped, restored, reads } = await h.write(h.admin, async (s) => {
      const c = counting(s);
      const r = await restoreSelection(c.s, { batch, skipExpired: true });
      return { ...r, reads: c.reads() };
    });
    expect(reads).toBeLessThanOrEqual(3);
    expect(restored).toHaveLength(N - 10);
    expect(skipped.map((x) => [x.email, x.reason, x.purgedBy])).toEqual(emails.slice(0, 10).map((e) => [e, 'purged', h.admin.email]));
  });
});
