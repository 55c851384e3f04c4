// SCIM GET /Users reads the members a batch at a time (1,000 a scan batch) and keeps only the page
// asked for (issue 21: at 100,000 members each page read and made every user). Pages that cross
// the batches' edges, the last page, a page past the end, count 0 and a filter give what the whole
// list gives: the matching users in address order, sliced.
import { describe, expect, it } from 'vitest';
import { applyRoster } from '../../src/core/roster/apply.js';
import type { RosterFile } from '../../src/core/roster/roster-file.js';
import { listUsers } from '../../src/core/scim/users.js';
import { newHarness } from './harness.js';

const N = 2_500;

describe('SCIM user pages over more members than a scan batch', () => {
  it('are the whole list\'s, sliced, with its total', async () => {
    const h = await newHarness({ seatLimit: 5_000 });
    const rows = Array.from({ length: N }, (_, i) => ({ line: i + 2, email: `u${String(i).padStart(4, '0')}@acme.example`, fields: { name: `U ${i}`, title: i % 3 ? 'Staff' : 'Lead' } }));
    const roster: RosterFile = { format: 'csv', file: 'r.csv', orgs: [], problems: [], notes: [], rows };
    await applyRoster(h.ws(), await h.actor(h.admin.email), { roster, options: {} });
    const everyone = [h.admin.email, ...rows.map((r) => r.email)].sort();
    const leads = rows.filter((_, i) => i % 3 === 0).map((r) => r.email).sort();
    const page = (startIndex: number, count: number, filter?: string) =>
      h.read(h.admin.email, async (s) => {
        const p = await listUsers(s, { startIndex, count, filter });
        return { total: p.totalResults, users: p.resources.map((r) => (r as { userName: string }).userName) };
      });
    for (const [start, count] of [[1, 5], [998, 5], [1000, 1], [1001, 3], [1999, 4], [2499, 10], [N + 1, 10], [N + 5, 10], [10, 0]]) {
      expect(await page(start, count), `${start}+${count}`).toEqual({ total: N + 1, users: everyone.slice(start - 1, start - 1 + count) });
    }
    for (const [start, count] of [[1, 2], [333, 3], [830, 10]]) {
      expect(await page(start, count, 'title eq "Lead"')).toEqual({ total: leads.length, users: leads.slice(start - 1, start - 1 + count) });
    }
  });
});
