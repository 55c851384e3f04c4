// Streamed reads write exactly what the whole-list code wrote (4648b70): export in every format and
// member list (JSON and tab-separated text), on a varied workspace, read in batches of 1, 2, 3 and
// the default, by the first admin and by a scoped admin. The references below are that code, kept
// as it was: a list of every member, then views, then one string.
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { stringify as toYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toJson } from '../../src/cli/json.js';
import { Renderer } from '../../src/cli/render.js';
import type { IO } from '../../src/cli/io.js';
import { orgsOf, visibleFilter } from '../../src/core/access/grants.js';
import { checkRole } from '../../src/core/access/roles.js';
import { kindOf, memberView, statusOf, type MemberView } from '../../src/core/members/views.js';
import { listMembers, parseStatus, streamMembers, type ListFilter } from '../../src/core/members/list.js';
import { OrgTree } from '../../src/core/orgs/tree.js';
import { EXPORT_FORMATS, exportRoster } from '../../src/core/roster/export.js';
import { SCIM_LIST, scimUser } from '../../src/core/roster/formats/scim-user.js';
import type { Tx } from '../../src/core/store.js';
import { UnitOfWork } from '../../src/core/unit-of-work.js';
import { newHarness, type Harness } from './harness.js';

// ------------------------------------------------------------------ the code as it was

async function oldExportData(s: UnitOfWork) {
  const visible = await visibleFilter(s, 'members.view');
  const tree = new OrgTree(await s.orgs());
  const domains = await s.tx.listDomains();
  const members = (await s.tx.listMembers()).filter((m) => !m.deletedAt && visible(m)).map((m) => memberView(m, tree, domains, s.now));
  return { members, orgs: tree.orgs.map((o) => tree.pathOf(o.id)!).sort() };
}

const oldDocument = (members: MemberView[], orgs: string[]) => ({
  orgs,
  members: members.map((v) => ({ email: v.email, name: v.name, role: v.role, scope: v.scope, org: v.org, orgs: v.orgs, title: v.title, status: v.status, startDate: v.startDate, id: v.id })),
});

const OLD_WRITERS: Record<string, (d: { members: MemberView[]; orgs: string[] }) => string> = {
  csv: ({ members }) => stringifyCsv([
    ['email', 'name', 'role', 'scope', 'org', 'orgs', 'title', 'status', 'start_date', 'id'],
    ...members.map((v) => [v.email, v.name, v.role, v.scope.join(';'), v.org ?? '', v.orgs.join(';'), v.title ?? '', v.status, v.startDate ?? '', v.id]),
  ]),
  yaml: ({ members, orgs }) => toYaml(oldDocument(members, orgs)),
  json: ({ members, orgs }) => JSON.stringify(oldDocument(members, orgs), null, 2) + '\n',
  scim: ({ members }) => JSON.stringify({ schemas: [SCIM_LIST], totalResults: members.length, startIndex: 1, itemsPerPage: members.length, Resources: members.map(scimUser) }, null, 2) + '\n',
};

async function oldList(s: UnitOfWork, filter: ListFilter): Promise<MemberView[]> {
  const visible = await visibleFilter(s, 'members.view');
  const f = { ...filter, status: filter.status === undefined ? undefined : parseStatus(filter.status) };
  if (f.role !== undefined) await checkRole(s, f.role);
  const tree = new OrgTree(await s.orgs());
  const domains = await s.tx.listDomains();
  const org = f.org ? tree.resolve(f.org) : null;
  const needle = f.search ? f.search.normalize('NFKC').toLowerCase() : null;
  let members = (await s.tx.listMembers()).filter(visible);
  if (f.status) members = members.filter((m) => statusOf(m, s.now) === f.status);
  else members = members.filter((m) => !m.deletedAt);
  if (f.role) members = members.filter((m) => m.role === f.role);
  if (f.kind) members = members.filter((m) => kindOf(m.email, domains) === f.kind);
  if (org) members = members.filter((m) => orgsOf(m).some((id) => (f.direct ? id === org.id : tree.isWithin(id, org.id))));
  let views = members.map((m) => memberView(m, tree, domains, s.now));
  if (needle) views = views.filter((v) => [v.name, v.email, v.title ?? '', v.org ?? '', ...v.orgs].some((t) => t.normalize('NFKC').toLowerCase().includes(needle)));
  if (f.status === 'deleted') views.sort((a, b) => (a.restorableUntil ?? '').localeCompare(b.restorableUntil ?? ''));
  return views;
}

// ------------------------------------------------------------------ the workspace

const TITLES = [
  'Manager, Sales', 'The "Boss"', 'line one\nline two', '課長', 'yes', '123', '2030-01-01', '- dash', '# hash', 'null', 'a: b',
  `long ${'word '.repeat(30)}end`, 'Ünïcödé ☃ 🎉', 'tab\there', 'bidi \u202e reversed \u2028 sep', ' ', 'quote\'s', 'back\\slash', 'cr\r\nlf', 'lone\rcr',
];

async function variedWorkspace(): Promise<Harness> {
  const h = await newHarness({ seatLimit: 500, allowExternal: true });
  await h.orgs('Sales/Tokyo', 'Sales/大阪', 'Engineering/Platform, Core', '開発/"Quoted"');
  await h.addMember({ email: 'sam@acme.example', name: 'Sam Scope', role: 'site-admin', scope: ['Sales'], status: 'active', org: 'Sales' });
  const orgs = ['Sales', 'Sales/Tokyo', 'Sales/大阪', 'Engineering/Platform, Core', '開発/"Quoted"', null];
  const statuses = ['invited', 'active', 'suspended', 'deleted', 'pending', 'invited'] as const;
  await h.addMembers(Array.from({ length: 64 }, (_, i) => ({
    email: i % 9 === 4 ? `ext${i}@other.example` : `m${String(i).padStart(2, '0')}@acme.example`,
    name: i % 3 === 0 ? `山田 太郎 ${i}` : i % 3 === 1 ? `O'Brien, "Pat" ${i}` : `Zoë ${i}`,
    title: i % 8 === 7 ? null : TITLES[i % TITLES.length],
    org: orgs[i % orgs.length],
    orgs: i % 5 === 0 ? ['Sales/Tokyo', '開発/"Quoted"'] : [],
    status: statuses[i % statuses.length],
  })));
  return h;
}

/** The unit of work with its scans in batches of `size` (undefined: the store's default). */
function inBatches(s: UnitOfWork, size: number | undefined): UnitOfWork {
  const tx = new Proxy(s.tx, {
    get: (t, k) => (k === 'scanMembers' ? (_?: number, which?: 'all' | 'removed') => t.scanMembers(size, which) : (t as any)[k].bind(t)),
  }) as Tx;
  return new UnitOfWork(tx, s.now, s.actor, () => s.batch);
}

function capture(json: boolean): { render: Renderer; text: () => string } {
  let out = '';
  const io = { stdout: { write: (t: string) => { out += t; return true; } }, stderr: { write: () => true }, env: {}, cwd: '/' } as unknown as IO;
  return { render: new Renderer(io, json, true, new Date('2030-01-07T09:00:00.000Z')), text: () => out };
}

const BATCHES = [1, 2, 3, undefined];

describe('streamed reads write what the whole-list code wrote', () => {
  it('export: every format, byte for byte, for the first admin and a scoped admin, in batches of any size', async () => {
    const h = await variedWorkspace();
    expect([...EXPORT_FORMATS]).toEqual(Object.keys(OLD_WRITERS));
    for (const who of [h.admin.email, 'sam@acme.example']) {
      for (const format of EXPORT_FORMATS) {
        const want = await h.read(who, async (s) => OLD_WRITERS[format](await oldExportData(s)));
        expect(want.length).toBeGreaterThan(200);
        for (const size of BATCHES) {
          const pieces: string[] = [];
          await h.read(who, (s) => exportRoster(inBatches(s, size), format, (t) => pieces.push(t)));
          expect(pieces.join(''), `${format} as ${who}, batches of ${size}`).toBe(want);
        }
      }
    }
  });

  it('export of a workspace where the viewer sees no member writes the empty documents as before', async () => {
    const h = await newHarness();
    await h.orgs('Sales');
    await h.addMember({ email: 'sam@acme.example', name: 'Sam', role: 'site-admin', scope: ['Sales'], status: 'active' }); // outside: no org
    for (const format of EXPORT_FORMATS) {
      const want = await h.read('sam@acme.example', async (s) => OLD_WRITERS[format](await oldExportData(s)));
      const pieces: string[] = [];
      await h.read('sam@acme.example', (s) => exportRoster(s, format, (t) => pieces.push(t)));
      expect(pieces.join(''), format).toBe(want);
    }
  });

  it('member list: JSON and tab-separated text, with every filter, as the whole list rendered them', async () => {
    const h = await variedWorkspace();
    const filters: ListFilter[] = [{}, { status: 'deleted' }, { status: 'Suspended' }, { org: 'Sales' }, { org: 'Sales', direct: true }, { kind: 'external' }, { search: 'pat' }, { role: 'viewer' }, { search: 'nobody-matches' }];
    for (const who of [h.admin.email, 'sam@acme.example']) {
      for (const filter of filters) {
        const deleted = filter.status?.toLowerCase() === 'deleted';
        const list = await h.read(who, (s) => oldList(s, filter));
        expect(await h.read(who, (s) => listMembers(s, filter))).toEqual(list);
        for (const json of [true, false]) {
          const old = capture(json);
          await old.render.members(list, { deleted });
          if (json) expect(old.text()).toBe(toJson(list) + '\n');
          for (const size of BATCHES) {
            const now = capture(json);
            await now.render.memberStream((out) => h.read(who, (s) => streamMembers(inBatches(s, size), filter, out)), { deleted });
            expect(now.text(), `${JSON.stringify(filter)} as ${who}, ${json ? 'JSON' : 'text'}, batches of ${size}`).toBe(old.text());
          }
        }
      }
    }
  });
});
