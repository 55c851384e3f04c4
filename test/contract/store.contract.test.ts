// The storage contract (src/core/store.ts), once, for every backend: the same cases run against the
// SQLite store (a fresh file per case) and the PostgreSQL store (a fresh schema per case, in a
// database of its own). Each case is a statement of what the port promises, checked by reading the
// values back; the intended semantics come from the shared SQL (src/store/sql/tx.ts).
//
// PostgreSQL needs ROLLCALL_TEST_PG (a server URL without a database, e.g. postgres://postgres@127.0.0.1:5432;
// start one with: eval "$(bash scripts/pg-server.sh start)"). Without it the PostgreSQL cases are
// reported as skipped locally, and fail in CI (CI=true): a missing server there would otherwise
// hide every PostgreSQL regression behind a green run.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RollcallError } from '../../src/core/errors.js';
import type {
  AuditRecord, Credentials, CustomRole, Group, InviteRecord, LoginCode, Member, Org, SessionRecord, TokenRecord,
} from '../../src/core/model.js';
import { MemberFact, type Store, type TableName, type Tx } from '../../src/core/store.js';
import { openStore } from '../../src/store/open.js';
import { ALL_TABLES } from '../../src/store/sql/tables.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/migrations/index.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { oldFormatRecords, oldRows } from '../helpers/old-audit.js';
import { chainEvents, entryOf, verifyChain, type AuditEvent as AuditEventIn } from '../../src/core/audit/chain.js';

const SERVER = process.env.ROLLCALL_TEST_PG?.replace(/\/+$/, '') || null;
const IN_CI = process.env.CI === 'true';

// ------------------------------------------------------------------------------------------ backends

interface Backend {
  kind: Store['kind'];
  /** Why this backend cannot run here, or null when it can. */
  missing: string | null;
  /** Once before the cases: what they share (a database on the server). */
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** A workspace nothing uses yet, to open with create: a file in `dir`, or a URL with a new schema. */
  fresh(dir: string): string;
}

function sqliteBackend(): Backend {
  let n = 0;
  return {
    kind: 'sqlite',
    missing: null,
    async setup() {},
    async teardown() {},
    fresh: (dir) => join(dir, `ws-${++n}.db`),
  };
}

function postgresBackend(): Backend {
  let admin: pg.Client | null = null;
  let db = '';
  let n = 0;
  return {
    kind: 'postgres',
    missing: SERVER ? null : 'ROLLCALL_TEST_PG is not set (eval "$(bash scripts/pg-server.sh start)")',
    async setup() {
      admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
      await admin.connect();
      db = `rc_contract_${randomBytes(6).toString('hex')}`;
      // A linguistic (ICU en-US) default collation where the server has one, as most managed servers
      // do: the store's orderings must stay bytewise, like SQLite's, regardless.
      try {
        await admin.query(`CREATE DATABASE ${db} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`);
      } catch {
        await admin.query(`CREATE DATABASE ${db}`);
      }
    },
    async teardown() {
      if (!admin) return;
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    },
    fresh: () => `${SERVER}/${db}?schema=ws_${++n}`,
  };
}

const BACKENDS: Backend[] = [sqliteBackend(), postgresBackend()];

// ------------------------------------------------------------------------------------------ builders

const T0 = '2030-01-07T09:00:00.000Z';
/** The id the schema migrations give every workspace (SPEC §14, saved plans). */
const WORKSPACE_ID = expect.stringMatching(/^ws_[0-9a-f]{32}$/);
/** An instant `minutes` after T0. */
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const pad = (i: number) => String(i).padStart(6, '0');
const ADMIN = 'alice@acme.example';

const LONG = 'x'.repeat(10_000);
const LONG_JA = '長い文字列🙂'.repeat(5_000); // 35,000 UTF-16 units, 80,000 bytes of UTF-8
/** Text a store must carry unchanged: quoting, escapes, SQL, Unicode (Japanese, emoji, combining, RTL). */
const AWKWARD: string[] = [
  ' ', 'Engineer, Platform', 'The "Boss"', "O'Brien", 'line one\nline two', 'crlf\r\nend', 'tab\there',
  'back\\slash', '\\.', 'x\n\\.\ny', '\\N', 'NULL', 'null', '"', ',', ' leading and trailing ', '?', '$1 ? $2',
  "'; DROP TABLE members; --", '営業部 部長', '山田 太郎', '🙂 emoji 👩‍👩‍👧‍👦', 'e\u0301 combining', '\u202Eright-to-left',
];
/** For nullable text columns: null and '' must stay apart from each other and from text. */
const TEXTS: Array<string | null> = [null, '', ...AWKWARD];

function member(i: number, over: Partial<Member> = {}): Member {
  return {
    id: `m${pad(i)}`, email: `user${pad(i)}@acme.example`, name: `User ${i}`, title: null, orgId: null, orgIds: [],
    role: 'member', scope: [], registered: true, suspendedAt: null, suspendedReason: null, deletedAt: null,
    removedBy: null, removedBatch: null, startDate: null, twoFactor: false, externalId: null, createdAt: T0, updatedAt: T0, ...over,
  };
}

/** n members numbered from `from`, with awkward text, both booleans and lists in their fields. */
function crowd(n: number, from = 0): Member[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return member(i, {
      name: i % 5 === 0 ? `山田 太郎 ${i}` : `User, "${i}"`,
      title: TEXTS[i % TEXTS.length],
      suspendedReason: i % 7 === 0 ? '' : null,
      orgIds: i % 4 === 0 ? ['o1', '営業'] : [],
      scope: i % 6 === 0 ? ['o2'] : [],
      registered: i % 2 === 0,
      twoFactor: i % 3 === 0,
      startDate: i % 2 ? '2030-01-01' : null,
    });
  });
}

function creds(memberId: string, over: Partial<Credentials> = {}): Credentials {
  return { memberId, passwordHash: null, passwordSetAt: null, tempHash: null, tempIssuedAt: null, failedLogins: 0, ...over };
}

function session(hash: string, memberId: string, over: Partial<SessionRecord> = {}): SessionRecord {
  return { hash, memberId, createdAt: T0, expiresAt: at(60), ...over };
}

function token(i: number, memberId: string, over: Partial<TokenRecord> = {}): TokenRecord {
  return { id: `tk${pad(i)}`, name: `token ${i}`, memberId, hash: `th${pad(i)}`, createdAt: T0, expiresAt: null, revokedAt: null, ...over };
}

function invite(i: number, memberId: string, over: Partial<InviteRecord> = {}): InviteRecord {
  return { id: `iv${pad(i)}`, memberId, hash: `ih${pad(i)}`, createdAt: T0, expiresAt: at(7 * 24 * 60), usedAt: null, revokedAt: null, ...over };
}

function loginCode(memberId: string, over: Partial<LoginCode> = {}): LoginCode {
  return { memberId, hash: `scrypt$code-${memberId}`, createdAt: T0, expiresAt: at(10), ...over };
}

function org(id: string, name: string, parentId: string | null = null, over: Partial<Org> = {}): Org {
  return { id, parentId, name, createdAt: T0, ...over };
}

function group(i: number, over: Partial<Group> = {}): Group {
  return {
    id: `g${pad(i)}`, name: `Group ${i}`, description: null, internalOnly: false, suspended: false,
    ownerId: member(1).id, externalId: null, createdAt: T0, updatedAt: T0, ...over,
  };
}

type AuditEvent = Partial<Pick<AuditRecord, 'at' | 'actor' | 'action' | 'target' | 'batch'>> & { note?: string; body?: Record<string, unknown> };

/**
 * Compact records that continue the chain from `head`, each with a SHA-256 of the previous hash and
 * its body (the store keeps what it is given: which hash the core computes is not its business).
 */
function auditChain(head: { seq: number; hash: string }, events: AuditEvent[]): AuditRecord[] {
  const out: AuditRecord[] = [];
  let prev = head;
  for (const { note = '', body: more = {}, ...e } of events) {
    const seq = prev.seq + 1;
    const fields = { at: T0, actor: ADMIN as string | null, action: 'member.add', target: `t${seq}`, batch: `b${seq}`, ...e };
    const body = JSON.stringify({ note, ...more });
    const record: AuditRecord = { seq, ...fields, body, hash: createHash('sha256').update(prev.hash + body).digest('hex') };
    out.push(record);
    prev = record;
  }
  return out;
}

/** Entries of the format written before schema version 4, put where an upgraded workspace keeps them (audit_v1), with the head on the last. */
async function loadOldLog(tx: Tx, records: AuditRecord[]) {
  await tx.loadTable('audit_v1', oldRows(records));
  const last = records[records.length - 1];
  await tx.loadTable('chain_head', [{ id: 1, seq: last.seq, hash: last.hash }]);
}

/** Byte order of the UTF-8 encodings: how both backends compare text (SQLite BINARY, PostgreSQL COLLATE "C"). */
function bytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
const byEmail = (a: Member, b: Member) => bytewise(a.email, b.email);
const byId = (a: { id: string }, b: { id: string }) => bytewise(a.id, b.id);

// The sort key of each table's dump pages: its primary key.
const TABLE_KEYS: Record<TableName, readonly string[]> = {
  meta: ['key'], domains: ['domain'], orgs: ['id'], roles: ['name'], members: ['id'], credentials: ['member_id'],
  password_history: ['member_id', 'n'], sessions: ['hash'], tokens: ['id'], invites: ['id'],
  workgroups: ['id'], group_members: ['group_id', 'member_id'], purged: ['email'], audit_v1: ['seq'], audit: ['seq'],
  audit_batches: ['first_seq'], chain_head: ['id'], login_codes: ['member_id'],
};

function compareKeys(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : bytewise(String(x), String(y));
    if (c !== 0) return c;
  }
  return 0;
}

type Rows = Record<string, unknown>[];

/** Every row of a table, following dumpTable's cursor page by page. */
async function dumpPages(tx: Tx, table: TableName, limit: number): Promise<{ rows: Rows; pages: number }> {
  const rows: Rows = [];
  let after: unknown = null;
  let pages = 0;
  do {
    const page = await tx.dumpTable(table, after, limit);
    rows.push(...page.rows);
    after = page.next;
    if (++pages > 100_000) throw new Error(`dumpTable(${table}) never ends`);
  } while (after !== null);
  return { rows, pages };
}

/** Every table, raw, as a copy sees it. */
async function dumpAll(store: Store): Promise<Record<string, Rows>> {
  return store.read(async (tx) => {
    const out: Record<string, Rows> = {};
    for (const table of ALL_TABLES) out[table] = (await dumpPages(tx, table, 100_000)).rows;
    return out;
  });
}

/** What the domain methods read of a workspace that fill() wrote. */
async function domainView(store: Store) {
  return store.read(async (tx) => ({
    meta: await tx.getMeta(),
    domains: await tx.listDomains(),
    members: await tx.listMembers(),
    seats: await tx.countSeats(),
    credentials: await tx.getCredentials(member(1).id),
    history: await tx.passwordHistory(member(1).id, 100),
    session: await tx.getSession('s1'),
    codes: [await tx.getLoginCode(member(1).id), await tx.getLoginCode(member(2).id)],
    tokens: await tx.listTokens(),
    invites: await tx.listInvites(),
    orgs: await tx.listOrgs(),
    roles: await tx.listCustomRoles(),
    groups: await tx.listGroups(),
    memberships: await tx.listGroupMemberships({}),
    purged: await tx.getPurged('gone@acme.example'),
    head: await tx.auditHead(),
    audit: await tx.auditPage(0, 100_000),
  }));
}

const FILL_MEMBERS = 620; // over 500: PostgreSQL's COPY path, and several dump pages
const FILL_AUDIT = 130;
const FILL_OLD_AUDIT = 12; // entries from before schema version 4, in the old format

/** Some of every table, awkward values included. */
async function fill(tx: Tx) {
  await tx.setMeta('name', 'Acme, "Inc." 株式会社 🙂');
  await tx.setMeta('empty', '');
  await tx.addDomain('acme.example', T0);
  await tx.addDomain('ACME.example', T0);
  await tx.addDomain('例え.jp', at(1));
  // Names whose order differs between bytewise and linguistic collations.
  await tx.insertOrgs(['b', 'B', 'a', '_x', 'é', 'Z', '営業'].map((name, i) => org(`o${i}`, name, i > 4 ? 'o0' : null)));
  await tx.insertMembers(crowd(FILL_MEMBERS));
  await tx.saveCredentials([
    creds(member(1).id, { passwordHash: 'scrypt$x', passwordSetAt: T0, failedLogins: 2 }),
    creds(member(2).id, { tempHash: 'sha256$t', tempIssuedAt: T0 }),
  ]);
  // Repeated hashes at one instant: every row is kept, in order.
  for (let i = 0; i < 5; i++) await tx.addPasswordHistory(member(1).id, 'scrypt$same', T0);
  await tx.addPasswordHistory(member(1).id, 'scrypt$other', at(1));
  await tx.addPasswordHistory(member(0).id, 'scrypt$a', T0);
  await tx.addPasswordHistory(member(2).id, 'scrypt$b', T0);
  await tx.insertSession(session('s1', member(1).id));
  await tx.saveLoginCode(loginCode(member(1).id));
  await tx.saveLoginCode(loginCode(member(2).id, { hash: 'scrypt$"quoted"\n', expiresAt: at(11) }));
  await tx.insertToken(token(1, member(1).id));
  await tx.insertToken(token(2, member(1).id, { expiresAt: at(60), revokedAt: at(5) }));
  await tx.insertInvite(invite(1, member(3).id));
  await tx.insertCustomRole({ name: 'auditor', permissions: ['audit.view', 'members.view'], createdAt: T0 });
  await tx.insertCustomRole({ name: 'nobody', permissions: [], createdAt: T0 });
  await tx.insertGroup(group(1, { name: 'Design', description: '', internalOnly: true }));
  await tx.insertGroup(group(2, { name: 'デザイン', description: 'line\nbreak', suspended: true }));
  await tx.saveGroupMemberships([
    { groupId: group(1).id, memberId: member(1).id, role: 'admin' },
    { groupId: group(1).id, memberId: member(2).id, role: 'member' },
    { groupId: group(2).id, memberId: member(2).id, role: 'admin' },
  ]);
  await tx.addPurged([{ email: 'gone@acme.example', memberId: 'm999999', deletedAt: null, purgedAt: T0 }]);
  await loadOldLog(tx, oldFormatRecords({ seq: 0, hash: '' }, T0, ADMIN, 'b-old', Array.from({ length: FILL_OLD_AUDIT }, (_, k) => ({
    action: 'member.add', target: `old${k}@acme.example`, targetId: `m-old${k}`, after: { note: `事象 ${k}\n"quoted"` },
  }))));
  await tx.appendAudit(auditChain(await tx.auditHead(), Array.from({ length: FILL_AUDIT }, (_, k) => ({
    at: at(k), actor: k % 10 === 0 ? null : ADMIN, note: `事象 ${k}\n"quoted"`,
  }))));
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

// --------------------------------------------------------------------------------------------- suite

for (const b of BACKENDS) {
  if (b.missing && !IN_CI) console.warn(`store.contract.test.ts: the ${b.kind} cases are skipped: ${b.missing}`);
}

describe.each(BACKENDS)('Store contract on $kind', (backend) => {
  if (backend.missing && IN_CI) {
    it(`has a ${backend.kind} server to test against`, () => {
      throw new Error(`${backend.missing}, and CI=true: the ${backend.kind} store must be tested in CI`);
    });
  }

  describe.skipIf(backend.missing !== null)(backend.missing ? `skipped: ${backend.missing}` : `${backend.kind} store`, () => {
    let dir = '';
    const opened: Store[] = [];
    /** This case's store: a new, empty workspace. */
    let store: Store;
    /** Where it is: the file path or URL it was opened with. */
    let target = '';

    async function open(where: string, create = false): Promise<Store> {
      const s = await openStore(where, { create });
      opened.push(s);
      return s;
    }
    const read = <T>(fn: (tx: Tx) => Promise<T>) => store.read(fn);
    const write = <T>(fn: (tx: Tx) => Promise<T>) => store.write(fn);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rollcall-contract-'));
      await backend.setup();
    });
    afterAll(async () => {
      await backend.teardown();
      rmSync(dir, { recursive: true, force: true });
    });
    beforeEach(async () => {
      target = backend.fresh(dir);
      store = await open(target, true);
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    // ------------------------------------------------------------------ settings and domains

    describe('settings and domains', () => {
      it('a new store holds only its schema version in meta, and no domains, members or other rows; its audit chain is empty (seq 0, hash "")', async () => {
        const seen = await read(async (tx) => ({
          meta: await tx.getMeta(),
          domains: await tx.listDomains(),
          members: await tx.listMembers(),
          seats: await tx.countSeats(),
          admins: await tx.listAdmins(),
          tokens: await tx.listTokens(),
          invites: await tx.listInvites(),
          orgs: await tx.listOrgs(),
          roles: await tx.listCustomRoles(),
          groups: await tx.listGroups(),
          memberships: await tx.listGroupMemberships({}),
          head: await tx.auditHead(),
          audit: await tx.listAudit({}),
          chain: await tx.auditPage(0, 10),
        }));
        expect(seen).toEqual({
          meta: { schema_version: String(SCHEMA_VERSION), workspace_id: WORKSPACE_ID }, domains: [], members: [], seats: 0, admins: [], tokens: [],
          invites: [], orgs: [], roles: [], groups: [], memberships: [], head: { seq: 0, hash: '' }, audit: [], chain: [],
        });
      });

      it('setMeta adds a key and replaces its value; values keep "", Unicode and long text exactly', async () => {
        await write(async (tx) => {
          await tx.setMeta('name', 'Acme');
          await tx.setMeta('empty', '');
          await tx.setMeta('名前', '株式会社 🙂\n"quoted"');
          await tx.setMeta('long', LONG_JA);
        });
        await write((tx) => tx.setMeta('name', 'Acme, "Inc."'));
        expect(await read((tx) => tx.getMeta())).toEqual({
          schema_version: String(SCHEMA_VERSION), workspace_id: WORKSPACE_ID, name: 'Acme, "Inc."', empty: '', 名前: '株式会社 🙂\n"quoted"', long: LONG_JA,
        });
      });

      it('listDomains lists domains by when they were added, then bytewise; removeDomain removes exactly that one (case-sensitive), an unknown one is a no-op', async () => {
        await write(async (tx) => {
          await tx.addDomain('old.example', T0);
          for (const d of ['b.example', '例え.jp', 'a.example', 'acme.example', 'Z.example', 'ACME.example']) await tx.addDomain(d, at(1));
          await tx.addDomain('new.example', at(2));
        });
        expect(await read((tx) => tx.listDomains())).toEqual([
          'old.example', 'ACME.example', 'Z.example', 'a.example', 'acme.example', 'b.example', '例え.jp', 'new.example',
        ]);
        await write(async (tx) => {
          await tx.removeDomain('acme.example');
          await tx.removeDomain('nowhere.example');
        });
        expect(await read((tx) => tx.listDomains())).toEqual([
          'old.example', 'ACME.example', 'Z.example', 'a.example', 'b.example', '例え.jp', 'new.example',
        ]);
      });

      it('addDomain refuses a domain that is already there: the write fails and keeps nothing of what it did', async () => {
        await write((tx) => tx.addDomain('acme.example', T0));
        await expect(write(async (tx) => {
          await tx.addDomain('other.example', T0);
          await tx.addDomain('acme.example', at(1));
        })).rejects.toThrow();
        expect(await read((tx) => tx.listDomains())).toEqual(['acme.example']);
      });
    });

    // ----------------------------------------------------------------------------- members

    describe('members', () => {
      it('insertMembers and getMember round-trip every field: lists, booleans both ways, each nullable field set or null; an unknown id is null', async () => {
        const full = member(1, {
          name: '山田 太郎', title: 'CTO', orgId: 'o1', orgIds: ['o2', '営業'], role: 'admin', scope: ['o1', 'o2'],
          registered: true, suspendedAt: at(1), suspendedReason: 'on leave', deletedAt: at(2), removedBy: 'bob@acme.example',
          removedBatch: 'batch-1', startDate: '2030-02-01', twoFactor: true, externalId: 'ext-1', createdAt: T0, updatedAt: at(3),
        });
        const bare = member(2, { registered: false, twoFactor: false });
        const mixed = member(3, { registered: true, twoFactor: false, orgIds: [], scope: ['o9'] });
        const other = member(4, { registered: false, twoFactor: true });
        await write((tx) => tx.insertMembers([full, bare, mixed, other]));
        const back = await read(async (tx) => Promise.all([full, bare, mixed, other].map((m) => tx.getMember(m.id))));
        expect(back).toEqual([full, bare, mixed, other]);
        expect(await read((tx) => tx.getMember('m999999'))).toBeNull();
        expect(await read((tx) => tx.getMember(''))).toBeNull();
      });

      it('getMembersByExternalId finds the members a provisioning client knows by that id, removed ones included, by email; updateMembers sets and clears it', async () => {
        await write((tx) => tx.insertMembers([
          member(1, { externalId: 'e-1' }), member(2, { externalId: 'E-1' }), member(3, { externalId: 'e-1', deletedAt: T0 }), member(4),
        ]));
        expect((await read((tx) => tx.getMembersByExternalId('e-1'))).map((m) => m.id)).toEqual(['m000001', 'm000003']);
        expect(await read((tx) => tx.getMembersByExternalId('nobody'))).toEqual([]);
        await write((tx) => tx.updateMembers([member(1, { externalId: null }), member(4, { externalId: 'e-1' })]));
        expect((await read((tx) => tx.getMembersByExternalId('e-1'))).map((m) => m.id)).toEqual(['m000003', 'm000004']);
        await write(async (tx) => {
          await tx.insertGroup(group(1, { externalId: 'g-ext' }));
          await tx.insertGroup(group(2));
          await tx.updateGroup(group(2, { externalId: 'g-2' }));
        });
        expect((await read((tx) => tx.listGroups())).map((g) => g.externalId)).toEqual(['g-ext', 'g-2']);
      });

      it('text keeps null, "" and awkward text apart and unchanged: quotes, newlines, backslashes, SQL, Japanese, emoji, long strings', async () => {
        const values = [...TEXTS, LONG, LONG_JA];
        const list = values.map((v, i) => member(i, {
          name: v ?? 'named', title: v, suspendedReason: v, removedBy: v, removedBatch: v, startDate: v,
          suspendedAt: v, role: v ?? 'member', orgIds: v === null ? [] : [v], scope: v === null ? [] : [v, v],
        }));
        // Ids and emails too.
        list.push(member(900, { id: 'メンバー🙂', email: 'ユーザー🙂@例え.jp', name: '絵文字 👩‍👩‍👧‍👦' }));
        await write((tx) => tx.insertMembers(list));
        const back = await read(async (tx) => Promise.all(list.map((m) => tx.getMember(m.id))));
        expect(back).toEqual(list);
        expect(back[0]!.title).toBeNull();
        expect(back[1]!.title).toBe('');
        expect(await read((tx) => tx.getMemberByEmail('ユーザー🙂@例え.jp'))).toEqual(list[list.length - 1]);
      });

      it('an empty orgId reads back as null (no org); an empty title stays ""', async () => {
        await write((tx) => tx.insertMembers([member(1, { orgId: '', title: '' })]));
        const back = await read((tx) => tx.getMember(member(1).id));
        expect(back).toMatchObject({ orgId: null, title: '' });
      });

      it('getMemberByEmail finds the exact email only: lookups are bytewise and case-sensitive; an unknown one is null', async () => {
        await write((tx) => tx.insertMembers([member(1, { email: 'amy@acme.example' }), member(2, { email: 'Amy@acme.example' })]));
        expect((await read((tx) => tx.getMemberByEmail('amy@acme.example')))?.id).toBe(member(1).id);
        expect((await read((tx) => tx.getMemberByEmail('Amy@acme.example')))?.id).toBe(member(2).id);
        expect(await read((tx) => tx.getMemberByEmail('AMY@acme.example'))).toBeNull();
        expect(await read((tx) => tx.getMemberByEmail('amy@acme.example '))).toBeNull();
        expect(await read((tx) => tx.getMemberByEmail(''))).toBeNull();
      });

      it('getMembersByEmails finds every listed member across IN-list chunks (1,234 emails, 500 a chunk) and skips unknown ones; an empty list finds none', async () => {
        const all = crowd(1200);
        await write((tx) => tx.insertMembers(all));
        const wanted = all.filter((_, i) => i % 10 !== 3); // 1,080 known, spread over every chunk
        const unknown = Array.from({ length: 154 }, (_, i) => `nobody${i}@acme.example`);
        const asked = wanted.flatMap((m, i) => (i < unknown.length ? [m.email, unknown[i]] : [m.email]));
        expect(asked).toHaveLength(1234);
        const found = await read((tx) => tx.getMembersByEmails(asked));
        expect([...found].sort(byEmail)).toEqual([...wanted].sort(byEmail));
        expect(await read((tx) => tx.getMembersByEmails([]))).toEqual([]);
        expect(await read((tx) => tx.getMembersByEmails(unknown))).toEqual([]);
        expect(await read((tx) => tx.getMembersByEmails([all[7].email.toUpperCase()]))).toEqual([]);
      });

      it('getMembersByEmails gives each member once, however often and in however many chunks its email is asked for', async () => {
        const all = crowd(600);
        await write((tx) => tx.insertMembers(all));
        const asked = [...all.map((m) => m.email), ...all.slice(0, 100).map((m) => m.email)];
        expect([...(await read((tx) => tx.getMembersByEmails(asked)))].sort(byEmail)).toEqual([...all].sort(byEmail));
      });

      it('listMembers lists every member, suspended and removed ones included, bytewise by email', async () => {
        const emails = ['émile@acme.example', 'amy@acme.example', 'Zed@acme.example', '_x@acme.example', 'Amy@acme.example', '山田@acme.example', 'bob@acme.example', 'a.b@acme.example'];
        const list = emails.map((email, i) => member(i, { email, suspendedAt: i === 1 ? T0 : null, deletedAt: i === 2 ? T0 : null }));
        await write((tx) => tx.insertMembers(list));
        const back = await read((tx) => tx.listMembers());
        expect(back.map((m) => m.email)).toEqual([
          'Amy@acme.example', 'Zed@acme.example', '_x@acme.example', 'a.b@acme.example', 'amy@acme.example',
          'bob@acme.example', 'émile@acme.example', '山田@acme.example',
        ]);
        expect(back).toEqual([...list].sort(byEmail));
      });

      it('scanMembers yields every member as listMembers lists them, in batches of at most the size asked, read inside the transaction', async () => {
        const emails = ['émile@acme.example', 'amy@acme.example', 'Zed@acme.example', '_x@acme.example', 'Amy@acme.example', '山田@acme.example', 'bob@acme.example'];
        const list = [
          ...emails.map((email, i) => member(i, { email, suspendedAt: i === 1 ? T0 : null, deletedAt: i === 2 ? T0 : null, title: i === 3 ? 'a, "b"\nc' : null })),
          ...crowd(1203, 100),
        ];
        await write((tx) => tx.insertMembers(list));
        const scanned = async (size?: number) => read(async (tx) => {
          const batches: Member[][] = [];
          for await (const batch of tx.scanMembers(size)) batches.push(batch);
          return batches;
        });
        const listed = await read((tx) => tx.listMembers());
        expect(listed).toEqual([...list].sort(byEmail));
        for (const size of [undefined, 1, 500, 1210, 5000]) {
          const batches = await scanned(size);
          expect(batches.flat(), `batches of ${size}`).toEqual(listed);
          if (size) expect(batches.every((b) => b.length > 0 && b.length <= size)).toBe(true);
          if (size === 500) expect(batches.map((b) => b.length)).toEqual([500, 500, 210]);
        }
        expect(await read(async (tx) => {
          const n = [];
          for await (const b of tx.scanMembers(10)) n.push(b.length);
          return n.length;
        })).toBe(121);
      });

      it("scanMembers(size, 'removed') yields the removed members only, by the time of their removal, then by address", async () => {
        const removedAt = ['2030-01-03T00:00:00.000Z', '2030-01-01T00:00:00.000Z', '2030-01-02T00:00:00.000Z'];
        const list = [
          ...['zoe', 'amy', 'bob', 'cat', 'dan', 'eve', 'fay'].map((n, i) => member(i, { email: `${n}@acme.example`, deletedAt: i < 6 ? removedAt[i % 3] : null })),
          ...crowd(300, 50),
        ];
        await write((tx) => tx.insertMembers(list));
        const want = list.filter((m) => m.deletedAt).sort((a, b) => (a.deletedAt! < b.deletedAt! ? -1 : a.deletedAt! > b.deletedAt! ? 1 : byEmail(a, b)));
        expect(want.map((m) => m.email)).toEqual(['amy@acme.example', 'dan@acme.example', 'bob@acme.example', 'eve@acme.example', 'cat@acme.example', 'zoe@acme.example']);
        for (const size of [undefined, 1, 4]) {
          const batches = await read(async (tx) => {
            const out: Member[][] = [];
            for await (const b of tx.scanMembers(size, 'removed')) out.push(b);
            return out;
          });
          expect(batches.flat(), `batches of ${size}`).toEqual(want);
        }
      });

      it('scanMembers left early frees the transaction for other reads; on an empty table it yields nothing', async () => {
        expect(await read(async (tx) => {
          const seen: Member[][] = [];
          for await (const b of tx.scanMembers()) seen.push(b);
          return seen;
        })).toEqual([]);
        await write((tx) => tx.insertMembers(crowd(50)));
        const { first, count, again } = await read(async (tx) => {
          let first: Member[] = [];
          for await (const b of tx.scanMembers(10)) {
            first = b;
            break;
          }
          const count = await tx.countSeats();
          const again: Member[] = [];
          for await (const b of tx.scanMembers(20)) again.push(...b);
          return { first, count, again };
        });
        expect(first).toEqual((await read((tx) => tx.listMembers())).slice(0, 10));
        expect(count).toBe(50);
        expect(again).toHaveLength(50);
        // and in a write transaction, a scan sees what it wrote before
        expect(await write(async (tx) => {
          await tx.insertMembers([member(9999)]);
          let n = 0;
          for await (const b of tx.scanMembers()) n += b.length;
          return n;
        })).toBe(51);
      });

      it('memberFacts gives the members named by address or id (removed ones included), each once, across IN-list chunks: the compared fields exactly, lists parsed, an empty orgId as null', async () => {
        const all = [...crowd(1200), member(1900, { email: 'Émile@acme.example', orgId: '', deletedAt: T0, suspendedAt: at(1), title: '' }), member(1901, { orgId: 'o7', email: 'a@acme.example' })];
        await write((tx) => tx.insertMembers(all));
        const whole = await read((tx) => tx.listMembers());
        const factsOf = (m: Member) => [m.id, m.email, m.name, m.title, m.orgId, m.orgIds, m.role, m.scope, m.startDate, m.suspendedAt, m.deletedAt, m.twoFactor];
        const byId = (a: unknown[], b: unknown[]) => String(a[MemberFact.id]).localeCompare(String(b[MemberFact.id]));
        // 700 by address (with one asked twice, and one no member has), 600 by id, overlapping by 100: 1,200 members once each.
        const emails = [...whole.slice(0, 700).map((m) => m.email), whole[0].email, 'nobody@acme.example'];
        const ids = [...whole.slice(600, 1200).map((m) => m.id), 'nobody'];
        const facts = await read((tx) => tx.memberFacts(emails, ids));
        expect([...facts].sort(byId)).toEqual(whole.slice(0, 1200).map(factsOf).sort(byId));
        expect(await read((tx) => tx.memberFacts(['Émile@acme.example', 'émile@acme.example'], []))).toEqual([['m001900', 'Émile@acme.example', 'User 1900', '', null, [], 'member', [], null, at(1), T0, false]]);
        expect(await read((tx) => tx.memberFacts([], []))).toEqual([]);
        expect(await read((tx) => tx.getMembers([]))).toEqual([]);
      });

      it('liveMemberIds gives the id of every member not removed', async () => {
        const all = [...crowd(30), member(900, { deletedAt: T0 }), member(901, { suspendedAt: T0 })];
        await write((tx) => tx.insertMembers(all));
        expect((await read((tx) => tx.liveMemberIds())).sort()).toEqual(all.filter((m) => !m.deletedAt).map((m) => m.id).sort());
      });

      it('getMembers reads whole members by id across IN-list chunks (1,100 of 1,200), in the order asked, once each, skipping unknown ids', async () => {
        const all = crowd(1200);
        await write((tx) => tx.insertMembers(all));
        const asked = all.filter((_, i) => i % 12 !== 5).reverse().map((m) => m.id);
        const found = await read((tx) => tx.getMembers([...asked.slice(0, 600), 'nobody', ...asked.slice(600), asked[0]]));
        expect(found.map((m) => m.id)).toEqual([...asked, asked[0]]);
        expect(found.slice(0, -1)).toEqual(asked.map((id) => all.find((m) => m.id === id)));
        expect(await read((tx) => tx.getMembers(['nobody', '']))).toEqual([]);
      });

      it('countSeats counts the members not removed: suspended and pending members hold a seat, removed ones do not', async () => {
        await write((tx) => tx.insertMembers([
          member(1), member(2, { suspendedAt: T0 }), member(3, { deletedAt: T0 }), member(4, { startDate: '2099-01-01', registered: false }),
          member(5, { deletedAt: at(1), suspendedAt: T0 }),
        ]));
        expect(await read((tx) => tx.countSeats())).toBe(3);
        await write((tx) => tx.updateMembers([member(1, { deletedAt: at(2) })]));
        expect(await read((tx) => tx.countSeats())).toBe(2);
      });

      it('listDeletedBefore lists removed members whose deletedAt is strictly before the cutoff, oldest first, then by id', async () => {
        await write((tx) => tx.insertMembers([
          member(1, { deletedAt: at(30) }), member(2, { deletedAt: at(10) }), member(3), member(4, { deletedAt: at(10) }),
          member(5, { deletedAt: at(60) }), member(6, { suspendedAt: at(1) }), member(0, { deletedAt: at(10) }),
        ]));
        const ids = async (cutoff: string) => (await read((tx) => tx.listDeletedBefore(cutoff))).map((m) => m.id);
        expect(await ids(at(60))).toEqual([member(0).id, member(2).id, member(4).id, member(1).id]);
        expect(await ids(at(30))).toEqual([member(0).id, member(2).id, member(4).id]); // at(30) itself is not before
        expect(await ids(at(10))).toEqual([]);
        expect(await ids(at(61))).toHaveLength(5);
        const whole = await read((tx) => tx.listDeletedBefore(at(11)));
        expect(whole[0]).toEqual(member(0, { deletedAt: at(10) }));
      });

      it('countWithRole counts every member with exactly that role, suspended and removed (restorable) ones included', async () => {
        await write((tx) => tx.insertMembers([
          member(1, { role: 'admin' }), member(2, { role: 'admin', suspendedAt: T0 }), member(3, { role: 'admin', deletedAt: T0 }),
          member(4, { role: 'auditor' }), member(5, { role: 'Admin' }), member(6),
        ]));
        expect(await read((tx) => Promise.all(['admin', 'auditor', 'member', 'Admin', 'nobody', ''].map((r) => tx.countWithRole(r)))))
          .toEqual([3, 1, 1, 1, 0, 0]);
      });

      it('listAdmins returns the whole member of every registered admin neither suspended nor removed; an admin still pending (start date ahead) is included, the core checks that', async () => {
        const active = member(1, { role: 'admin', title: 'Boss', orgIds: ['o1'], twoFactor: true });
        const pending = member(2, { role: 'admin', startDate: '2099-01-01' });
        await write((tx) => tx.insertMembers([
          active, pending,
          member(3, { role: 'admin', registered: false }),
          member(4, { role: 'admin', suspendedAt: T0 }),
          member(5, { role: 'admin', deletedAt: T0 }),
          member(6, { role: 'member' }),
          member(7, { role: 'Admin' }),
        ]));
        const admins = await read((tx) => tx.listAdmins());
        expect([...admins].sort(byId)).toEqual([active, pending]);
      });

      it('insertMembers takes 5,000 members in one call and reads every one back unchanged', async () => {
        const list = crowd(5000);
        await write((tx) => tx.insertMembers(list));
        const back = await read((tx) => tx.listMembers());
        expect(back).toHaveLength(5000);
        expect(back).toEqual([...list].sort(byEmail));
        expect(await read((tx) => tx.countSeats())).toBe(5000);
        expect(await read((tx) => tx.getMember(member(4321).id))).toEqual(list[4321]);
      });

      it('insertMembers of an empty list changes nothing; a repeated id or email fails the write, which then keeps nothing', async () => {
        await write((tx) => tx.insertMembers([]));
        expect(await read((tx) => tx.listMembers())).toEqual([]);
        await write((tx) => tx.insertMembers([member(1)]));
        for (const dup of [member(1, { email: 'other@acme.example' }), member(2, { email: member(1).email })]) {
          await expect(write(async (tx) => {
            await tx.insertMembers([member(3)]);
            await tx.insertMembers([dup]);
          })).rejects.toThrow();
        }
        // In one batch too, large enough for the bulk path.
        const batch = crowd(600, 10);
        await expect(write((tx) => tx.insertMembers([...batch, { ...batch[0], email: 'dup@acme.example' }]))).rejects.toThrow();
        expect(await read((tx) => tx.listMembers())).toEqual([member(1)]);
      });

      it('updateMembers rewrites whole members by id: every field, booleans both ways, fields back to null', async () => {
        const before = member(1, {
          title: 'CTO', orgId: 'o1', orgIds: ['o2'], role: 'admin', scope: ['o1'], registered: true, suspendedAt: T0,
          suspendedReason: 'why', deletedAt: T0, removedBy: ADMIN, removedBatch: 'b', startDate: '2030-01-01', twoFactor: true,
        });
        const untouched = member(2, { title: 'stays' });
        await write((tx) => tx.insertMembers([before, untouched]));
        const after = member(1, {
          email: 'renamed@acme.example', name: '新しい名前', title: null, orgId: null, orgIds: [], role: 'member', scope: [],
          registered: false, twoFactor: false, updatedAt: at(5),
        });
        await write((tx) => tx.updateMembers([after]));
        expect(await read((tx) => tx.getMember(before.id))).toEqual(after);
        expect(await read((tx) => tx.getMemberByEmail(before.email))).toBeNull();
        const again = { ...after, registered: true, twoFactor: true, suspendedReason: '', title: '' };
        await write((tx) => tx.updateMembers([again]));
        expect(await read((tx) => tx.listMembers())).toEqual([again, untouched].sort(byEmail));
        await write((tx) => tx.updateMembers([]));
        expect(await read((tx) => tx.listMembers())).toEqual([again, untouched].sort(byEmail));
      });

      it('updateMembers is an upsert: it inserts a member it does not know; of a repeated id the last one wins (1,500 members)', async () => {
        await write((tx) => tx.insertMembers(crowd(1500)));
        const changed = crowd(1500).map((m, i) => ({ ...m, title: i % 2 ? `新しい "title", ${i}\n` : '', updatedAt: '2030-02-01T00:00:00.000Z' }));
        const repeat = { ...changed[10], title: 'the last one' };
        const added = member(999_999, { name: 'new' });
        await write((tx) => tx.updateMembers([...changed, repeat, added]));
        const back = await read((tx) => tx.listMembers());
        expect(back).toEqual([...changed.map((m, i) => (i === 10 ? repeat : m)), added].sort(byEmail));
        // Small batches too, repeated key included.
        await write((tx) => tx.updateMembers([{ ...added, title: 'one' }, { ...added, title: 'two' }]));
        expect((await read((tx) => tx.getMember(added.id)))?.title).toBe('two');
      });

      it('deleteMembers purges the members and everything that hangs off them: credentials, password history, sessions, sign-in codes, tokens, invites, group memberships; others keep theirs', async () => {
        const [gone, kept] = [member(1), member(2)];
        await write(async (tx) => {
          await tx.insertMembers([gone, kept]);
          await tx.insertGroup(group(1, { ownerId: gone.id }));
          for (const m of [gone, kept]) {
            const n = Number(m.id.slice(1));
            await tx.saveCredentials([creds(m.id, { passwordHash: `h${n}` })]);
            await tx.addPasswordHistory(m.id, `old${n}`, T0);
            await tx.insertSession(session(`s${n}`, m.id));
            await tx.saveLoginCode(loginCode(m.id));
            await tx.insertToken(token(n, m.id));
            await tx.insertInvite(invite(n, m.id));
            await tx.saveGroupMemberships([{ groupId: group(1).id, memberId: m.id, role: 'member' }]);
          }
          await tx.addPurged([{ email: gone.email, memberId: gone.id, deletedAt: T0, purgedAt: at(1) }]);
          await tx.appendAudit(auditChain(await tx.auditHead(), [{ target: gone.email }]));
        });
        await write((tx) => tx.deleteMembers([gone.id]));
        const seen = await read(async (tx) => ({
          members: await tx.listMembers(),
          gone: await tx.getMember(gone.id),
          creds: [await tx.getCredentials(gone.id), await tx.getCredentials(kept.id)],
          history: [await tx.passwordHistory(gone.id, 10), await tx.passwordHistory(kept.id, 10)],
          sessions: [await tx.getSession('s1'), await tx.getSession('s2')],
          codes: [await tx.getLoginCode(gone.id), await tx.getLoginCode(kept.id)],
          tokens: await tx.listTokens(),
          invites: await tx.listInvites(),
          memberships: await tx.listGroupMemberships({}),
          groups: await tx.listGroups(),
          purged: await tx.getPurged(gone.id),
          audit: (await tx.listAudit({})).length,
        }));
        expect(seen).toEqual({
          members: [kept], gone: null, creds: [null, creds(kept.id, { passwordHash: 'h2' })], history: [[], ['old2']],
          sessions: [null, session('s2', kept.id)], codes: [null, loginCode(kept.id)], tokens: [token(2, kept.id)], invites: [invite(2, kept.id)],
          memberships: [{ groupId: group(1).id, memberId: kept.id, role: 'member' }],
          // Not the store's to clean: the group it owned, what is remembered of it, the audit trail.
          groups: [group(1, { ownerId: gone.id })],
          purged: { email: gone.email, memberId: gone.id, deletedAt: T0, purgedAt: at(1) },
          audit: 1,
        });
        // A fresh history starts over for a new member with the same id.
        await write(async (tx) => {
          await tx.insertMembers([gone]);
          await tx.addPasswordHistory(gone.id, 'fresh', at(9));
        });
        expect(await read((tx) => tx.passwordHistory(gone.id, 10))).toEqual(['fresh']);
      });

      it('deleteMembers takes more ids than one IN-list chunk (1,250 of 1,300), unknown ids and an empty list', async () => {
        const all = crowd(1300);
        // A session for every 10th member, and the last: some in each chunk of ids, some kept.
        const withSession = all.filter((_, i) => i % 10 === 0 || i === 1299);
        await write(async (tx) => {
          await tx.insertMembers(all);
          for (const m of withSession) await tx.insertSession(session(`s-${m.id}`, m.id));
        });
        const doomed = all.slice(0, 1250).map((m) => m.id);
        await write((tx) => tx.deleteMembers([...doomed, 'm999999']));
        await write((tx) => tx.deleteMembers([]));
        expect(await read((tx) => tx.listMembers())).toEqual(all.slice(1250).sort(byEmail));
        const sessions = await read((tx) => Promise.all(withSession.map((m) => tx.getSession(`s-${m.id}`))));
        expect(sessions.filter((x) => x !== null).map((x) => x!.memberId)).toEqual([all[1250].id, all[1260].id, all[1270].id, all[1280].id, all[1290].id, all[1299].id]);
      });
    });

    // ------------------------------------------------------------------------- credentials

    describe('credentials', () => {
      it('getCredentials is null until saveCredentials; saveCredentials inserts and replaces by member, keeping nulls and the failure count', async () => {
        expect(await read((tx) => tx.getCredentials(member(1).id))).toBeNull();
        const a = creds(member(1).id, { passwordHash: 'scrypt$N=16384$salt$hash', passwordSetAt: T0, failedLogins: 3 });
        const b = creds(member(2).id, { tempHash: 'sha256$abc', tempIssuedAt: at(1) });
        await write((tx) => tx.saveCredentials([a, b]));
        expect(await read((tx) => Promise.all([tx.getCredentials(a.memberId), tx.getCredentials(b.memberId)]))).toEqual([a, b]);
        const a2 = creds(member(1).id, { passwordHash: null, passwordSetAt: null, tempHash: 't', tempIssuedAt: at(2), failedLogins: 0 });
        await write(async (tx) => {
          await tx.saveCredentials([a2]);
          await tx.saveCredentials([]);
        });
        expect(await read((tx) => Promise.all([tx.getCredentials(a.memberId), tx.getCredentials(b.memberId)]))).toEqual([a2, b]);
        expect(await read((tx) => tx.getCredentials('m999999'))).toBeNull();
      });

      it('passwordHistory lists hashes newest first in the order they were added, even at one instant, up to the limit, per member', async () => {
        await write(async (tx) => {
          for (const h of ['h1', 'h2', 'h3', 'h2', 'h4']) await tx.addPasswordHistory(member(1).id, h, T0); // one instant
          await tx.addPasswordHistory(member(1).id, 'h5', at(-60)); // an earlier clock: still the newest
          await tx.addPasswordHistory(member(2).id, 'other', at(1));
        });
        expect(await read((tx) => tx.passwordHistory(member(1).id, 100))).toEqual(['h5', 'h4', 'h2', 'h3', 'h2', 'h1']);
        expect(await read((tx) => tx.passwordHistory(member(1).id, 3))).toEqual(['h5', 'h4', 'h2']);
        expect(await read((tx) => tx.passwordHistory(member(1).id, 0))).toEqual([]);
        expect(await read((tx) => tx.passwordHistory(member(2).id, 5))).toEqual(['other']);
        expect(await read((tx) => tx.passwordHistory('m999999', 5))).toEqual([]);
      });
    });

    // ------------------------------------------------------------------------ sign-in codes

    describe('sign-in codes', () => {
      it('getLoginCode is null until saveLoginCode; saveLoginCode keeps one code per member, a new one replacing it; deleteLoginCode removes that member\'s only', async () => {
        expect(await read((tx) => tx.getLoginCode(member(1).id))).toBeNull();
        const a = loginCode(member(1).id);
        const b = loginCode(member(2).id, { hash: "scrypt$16384$8$1$c2FsdA==$a2V5'", createdAt: at(1), expiresAt: at(11) });
        await write(async (tx) => {
          await tx.saveLoginCode(a);
          await tx.saveLoginCode(b);
        });
        expect(await read((tx) => Promise.all([tx.getLoginCode(a.memberId), tx.getLoginCode(b.memberId)]))).toEqual([a, b]);
        const newer = loginCode(member(1).id, { hash: 'scrypt$newer', createdAt: at(5), expiresAt: at(15) });
        await write((tx) => tx.saveLoginCode(newer)); // a new sign-in supersedes the code before
        expect(await read((tx) => tx.getLoginCode(a.memberId))).toEqual(newer);
        expect((await read((tx) => tx.dumpTable('login_codes', null, 10))).rows).toHaveLength(2);
        await write(async (tx) => {
          await tx.deleteLoginCode(a.memberId);
          await tx.deleteLoginCode('m999999'); // none: a no-op
        });
        expect(await read((tx) => Promise.all([tx.getLoginCode(a.memberId), tx.getLoginCode(b.memberId)]))).toEqual([null, b]);
      });
    });

    // -------------------------------------------------------------------- sessions and tokens

    describe('sessions and tokens', () => {
      it('insertSession and getSession round-trip a session; deleteSession ends that one only; an unknown hash is null', async () => {
        const a = session('hash-a', member(1).id, { createdAt: at(1), expiresAt: at(61) });
        const b = session('hash-b', member(1).id);
        await write(async (tx) => {
          await tx.insertSession(a);
          await tx.insertSession(b);
        });
        expect(await read((tx) => Promise.all([tx.getSession('hash-a'), tx.getSession('hash-b'), tx.getSession('hash-c')]))).toEqual([a, b, null]);
        await write(async (tx) => {
          await tx.deleteSession('hash-a');
          await tx.deleteSession('hash-c');
        });
        expect(await read((tx) => Promise.all([tx.getSession('hash-a'), tx.getSession('hash-b')]))).toEqual([null, b]);
      });

      it('deleteSessionsOf ends every session of the listed members only, for more members than one IN-list chunk', async () => {
        const ids = Array.from({ length: 1100 }, (_, i) => member(i).id);
        // Two sessions for every 25th member: some in each chunk of the ids listed below, some not listed.
        const withSessions = ids.filter((_, i) => i % 25 === 0);
        await write(async (tx) => {
          for (const id of withSessions) {
            await tx.insertSession(session(`${id}-1`, id));
            await tx.insertSession(session(`${id}-2`, id));
          }
        });
        await write((tx) => tx.deleteSessionsOf([...ids.slice(0, 1050), 'm999999']));
        await write((tx) => tx.deleteSessionsOf([]));
        const left = await read((tx) => Promise.all(withSessions.flatMap((id) => [tx.getSession(`${id}-1`), tx.getSession(`${id}-2`)])));
        expect(left.filter((x) => x !== null).map((x) => x!.hash)).toEqual([
          `${member(1050).id}-1`, `${member(1050).id}-2`, `${member(1075).id}-1`, `${member(1075).id}-2`,
        ]);
      });

      it('insertToken and getTokenByHash round-trip a token, expiry null or set; an unknown hash is null; a hash already used is refused', async () => {
        const a = token(1, member(1).id, { name: 'CI 🙂 "deploy"' });
        const b = token(2, member(2).id, { expiresAt: at(60), revokedAt: at(30) });
        await write(async (tx) => {
          await tx.insertToken(a);
          await tx.insertToken(b);
        });
        expect(await read((tx) => Promise.all([tx.getTokenByHash(a.hash), tx.getTokenByHash(b.hash), tx.getTokenByHash('nope')]))).toEqual([a, b, null]);
        await expect(write((tx) => tx.insertToken(token(3, member(1).id, { hash: a.hash })))).rejects.toThrow();
        expect(await read((tx) => tx.listTokens())).toEqual([a, b]);
      });

      it('listTokens lists every token, revoked ones included, by createdAt, then by id', async () => {
        const list = [
          token(5, member(1).id, { createdAt: at(2) }), token(3, member(2).id, { createdAt: at(1), revokedAt: at(3) }),
          token(4, member(1).id, { createdAt: at(1) }), token(1, member(3).id, { createdAt: at(9) }),
        ];
        await write(async (tx) => {
          for (const t of list) await tx.insertToken(t);
        });
        expect(await read((tx) => tx.listTokens())).toEqual([list[1], list[2], list[0], list[3]]);
      });

      it('revokeTokens revokes the listed tokens at that instant and keeps an earlier revocation as it was', async () => {
        const list = [token(1, member(1).id), token(2, member(1).id, { revokedAt: at(1) }), token(3, member(2).id), token(4, member(2).id)];
        await write(async (tx) => {
          for (const t of list) await tx.insertToken(t);
        });
        await write(async (tx) => {
          await tx.revokeTokens([list[0].id, list[1].id, 'tk-unknown'], at(5));
          await tx.revokeTokens([], at(6));
        });
        expect((await read((tx) => tx.listTokens())).map((t) => t.revokedAt)).toEqual([at(5), at(1), null, null]);
        // More ids than one IN-list chunk: 700 listed, every 10th of them a token.
        const many = Array.from({ length: 700 }, (_, i) => token(100 + i, member(3).id));
        await write(async (tx) => {
          for (const t of many.filter((_, i) => i % 10 === 0)) await tx.insertToken(t);
        });
        await write((tx) => tx.revokeTokens(many.map((t) => t.id), at(7)));
        const after = await read((tx) => tx.listTokens());
        expect(after.filter((t) => t.revokedAt === at(7)).map((t) => t.id)).toEqual(many.filter((_, i) => i % 10 === 0).map((t) => t.id));
        expect(after.filter((t) => t.revokedAt === null).map((t) => t.id)).toEqual([list[2].id, list[3].id]);
      });

      it('revokeTokensOf revokes every live token of the listed members only, keeping earlier revocations', async () => {
        const list = [
          token(1, member(1).id), token(2, member(1).id, { revokedAt: at(1) }), token(3, member(2).id), token(4, member(3).id),
        ];
        await write(async (tx) => {
          for (const t of list) await tx.insertToken(t);
        });
        await write(async (tx) => {
          await tx.revokeTokensOf([member(1).id, member(2).id, 'm999999'], at(5));
          await tx.revokeTokensOf([], at(6));
        });
        expect((await read((tx) => tx.listTokens())).map((t) => t.revokedAt)).toEqual([at(5), at(1), at(5), null]);
        // More members than one IN-list chunk: 600 listed, every 10th of them with a token.
        const owners = Array.from({ length: 600 }, (_, i) => member(1000 + i).id);
        await write(async (tx) => {
          for (const [i, id] of owners.entries()) if (i % 10 === 0) await tx.insertToken(token(1000 + i, id));
        });
        await write((tx) => tx.revokeTokensOf(owners, at(8)));
        const after = await read((tx) => tx.listTokens());
        expect(after.filter((t) => t.revokedAt === at(8)).map((t) => t.memberId)).toEqual(owners.filter((_, i) => i % 10 === 0));
        expect(after.find((t) => t.id === list[3].id)?.revokedAt).toBeNull();
      });
    });

    // ------------------------------------------------------------------------- invitations

    describe('invitations', () => {
      it('insertInvite and getInviteByHash round-trip an invitation; an unknown hash is null; listInvites lists all by createdAt, then by id', async () => {
        const list = [
          invite(3, member(1).id, { createdAt: at(2) }), invite(2, member(2).id, { createdAt: at(1), usedAt: at(3) }),
          invite(1, member(3).id, { createdAt: at(2), revokedAt: at(4) }),
        ];
        await write(async (tx) => {
          for (const i of list) await tx.insertInvite(i);
        });
        expect(await read((tx) => Promise.all(list.map((i) => tx.getInviteByHash(i.hash))))).toEqual(list);
        expect(await read((tx) => tx.getInviteByHash('nope'))).toBeNull();
        expect(await read((tx) => tx.listInvites())).toEqual([list[1], list[2], list[0]]);
        await expect(write((tx) => tx.insertInvite(invite(4, member(1).id, { hash: list[0].hash })))).rejects.toThrow();
      });

      it('updateInvite records its use and revocation by id, and changes nothing else', async () => {
        const a = invite(1, member(1).id);
        const b = invite(2, member(2).id);
        await write(async (tx) => {
          await tx.insertInvite(a);
          await tx.insertInvite(b);
        });
        await write((tx) => tx.updateInvite({ ...a, usedAt: at(5), revokedAt: at(6), hash: 'changed', memberId: 'other', expiresAt: at(1), createdAt: at(1) }));
        expect(await read((tx) => tx.listInvites())).toEqual([{ ...a, usedAt: at(5), revokedAt: at(6) }, b]);
        await write((tx) => tx.updateInvite({ ...a, usedAt: null, revokedAt: null }));
        expect(await read((tx) => tx.getInviteByHash(a.hash))).toEqual(a);
      });
    });

    // ---------------------------------------------------------------- org chart, roles, groups

    describe('orgs', () => {
      it('insertOrgs and listOrgs: every org, bytewise by name, then by id; a null parent reads back as null', async () => {
        const list = [
          org('o1', 'b'), org('o2', 'B'), org('o3', 'a', 'o1'), org('o4', '_x'), org('o5', 'é', 'o1'), org('o6', 'Z'),
          org('o7', '営業', null, { createdAt: at(1) }), org('o0', 'a', 'o2'), org('o8', 'Sales, "EMEA"\n🙂'),
        ];
        await write(async (tx) => {
          await tx.insertOrgs(list);
          await tx.insertOrgs([]);
        });
        expect(await read((tx) => tx.listOrgs())).toEqual([
          list[1], list[8], list[5], list[3], list[7], list[2], list[0], list[4], list[6],
        ]);
      });

      it('the same name twice under one parent is refused, at the top level too; under different parents it is allowed', async () => {
        await write((tx) => tx.insertOrgs([org('o1', 'Sales'), org('o2', 'Ops'), org('o3', 'Team', 'o1'), org('o4', 'Team', 'o2')]));
        await expect(write((tx) => tx.insertOrgs([org('o5', 'Sales')]))).rejects.toThrow();
        await expect(write((tx) => tx.insertOrgs([org('o6', 'Team', 'o1')]))).rejects.toThrow();
        await expect(write((tx) => tx.insertOrgs([org('o7', 'X'), org('o8', 'X')]))).rejects.toThrow();
        expect((await read((tx) => tx.listOrgs())).map((o) => o.id)).toEqual(['o2', 'o1', 'o3', 'o4']);
      });

      it('insertOrgs takes 600 orgs in one call', async () => {
        const list = Array.from({ length: 600 }, (_, i) => org(`o${pad(i)}`, `部署 ${pad(i)}`, i % 2 ? 'o000000' : null));
        await write((tx) => tx.insertOrgs(list));
        expect(await read((tx) => tx.listOrgs())).toEqual(list);
      });

      it('updateOrg renames and moves an org, to the top level too, keeping its createdAt', async () => {
        await write((tx) => tx.insertOrgs([org('o1', 'Sales'), org('o2', 'Ops'), org('o3', 'Team', 'o1', { createdAt: at(1) })]));
        await write((tx) => tx.updateOrg(org('o3', 'Crew 🚀', 'o2', { createdAt: at(99) })));
        expect((await read((tx) => tx.listOrgs())).find((o) => o.id === 'o3')).toEqual(org('o3', 'Crew 🚀', 'o2', { createdAt: at(1) }));
        await write((tx) => tx.updateOrg(org('o3', 'Crew 🚀', null)));
        expect(await read((tx) => tx.listOrgs())).toEqual([org('o3', 'Crew 🚀', null, { createdAt: at(1) }), org('o2', 'Ops'), org('o1', 'Sales')]);
      });

      it('deleteOrgs removes exactly the listed orgs; unknown ids and an empty list are no-ops', async () => {
        const list = Array.from({ length: 700 }, (_, i) => org(`o${pad(i)}`, `Org ${pad(i)}`));
        await write((tx) => tx.insertOrgs(list));
        await write(async (tx) => {
          await tx.deleteOrgs([...list.slice(0, 650).map((o) => o.id), 'o-unknown']);
          await tx.deleteOrgs([]);
        });
        expect(await read((tx) => tx.listOrgs())).toEqual(list.slice(650));
      });
    });

    describe('custom roles', () => {
      it('insertCustomRole and listCustomRoles: bytewise by name, permissions in their order, [] kept; deleteCustomRole removes one', async () => {
        const roles: CustomRole[] = [
          { name: 'auditor', permissions: ['members.view', 'audit.view'], createdAt: T0 },
          { name: 'Billing', permissions: [], createdAt: at(1) },
          { name: '監査', permissions: ['audit.view'], createdAt: at(2) },
          { name: 'ops-lead', permissions: ['members.edit', 'members.view', 'groups.*'], createdAt: T0 },
        ];
        await write(async (tx) => {
          for (const r of roles) await tx.insertCustomRole(r);
        });
        expect(await read((tx) => tx.listCustomRoles())).toEqual([roles[1], roles[0], roles[3], roles[2]]);
        await expect(write((tx) => tx.insertCustomRole({ ...roles[0], permissions: [] }))).rejects.toThrow();
        await write(async (tx) => {
          await tx.deleteCustomRole('auditor');
          await tx.deleteCustomRole('unknown');
        });
        expect(await read((tx) => tx.listCustomRoles())).toEqual([roles[1], roles[3], roles[2]]);
      });
    });

    describe('groups and memberships', () => {
      it('insertGroup and listGroups: bytewise by name, both flags both ways, a description null, "" or text', async () => {
        const list = [
          group(1, { name: 'design', description: null, internalOnly: true, suspended: false }),
          group(2, { name: 'Design', description: '', internalOnly: false, suspended: true }),
          group(3, { name: 'デザイン 🎨', description: 'line\nbreak, "quoted"', internalOnly: true, suspended: true, ownerId: member(3).id }),
          group(4, { name: 'ops', description: LONG }),
        ];
        await write(async (tx) => {
          for (const g of list) await tx.insertGroup(g);
        });
        expect(await read((tx) => tx.listGroups())).toEqual([list[1], list[0], list[3], list[2]]);
        await expect(write((tx) => tx.insertGroup(group(5, { name: 'ops' })))).rejects.toThrow();
      });

      it('updateGroup rewrites name, description, flags, owner and updatedAt by id, never createdAt', async () => {
        const g = group(1, { description: 'old', internalOnly: true, suspended: false });
        await write(async (tx) => {
          await tx.insertGroup(g);
          await tx.insertGroup(group(2));
        });
        const changed = { ...g, name: '新しい名前', description: null, internalOnly: false, suspended: true, ownerId: member(9).id, createdAt: at(50), updatedAt: at(5) };
        await write((tx) => tx.updateGroup(changed));
        expect(await read((tx) => tx.listGroups())).toEqual([group(2), { ...changed, createdAt: g.createdAt }]);
        const back = { ...changed, internalOnly: true, suspended: false, description: '', createdAt: g.createdAt };
        await write((tx) => tx.updateGroup(back));
        expect((await read((tx) => tx.listGroups()))[1]).toEqual(back);
      });

      it('deleteGroup removes the group and its memberships, and nothing of other groups', async () => {
        await write(async (tx) => {
          await tx.insertGroup(group(1));
          await tx.insertGroup(group(2));
          await tx.saveGroupMemberships([
            { groupId: group(1).id, memberId: member(1).id, role: 'admin' }, { groupId: group(1).id, memberId: member(2).id, role: 'member' },
            { groupId: group(2).id, memberId: member(1).id, role: 'member' },
          ]);
        });
        await write(async (tx) => {
          await tx.deleteGroup(group(1).id);
          await tx.deleteGroup('g-unknown');
        });
        expect(await read((tx) => tx.listGroups())).toEqual([group(2)]);
        expect(await read((tx) => tx.listGroupMemberships({}))).toEqual([{ groupId: group(2).id, memberId: member(1).id, role: 'member' }]);
      });

      it('saveGroupMemberships adds memberships and changes the role of one already there, by (group, member)', async () => {
        const g = group(1).id;
        await write((tx) => tx.saveGroupMemberships([
          { groupId: g, memberId: member(1).id, role: 'member' }, { groupId: g, memberId: member(2).id, role: 'member' },
        ]));
        await write(async (tx) => {
          await tx.saveGroupMemberships([{ groupId: g, memberId: member(1).id, role: 'admin' }, { groupId: g, memberId: member(3).id, role: 'admin' }]);
          await tx.saveGroupMemberships([]);
        });
        expect(await read((tx) => tx.listGroupMemberships({}))).toEqual([
          { groupId: g, memberId: member(1).id, role: 'admin' }, { groupId: g, memberId: member(2).id, role: 'member' },
          { groupId: g, memberId: member(3).id, role: 'admin' },
        ]);
        // A pair repeated in one call: the last one wins.
        await write((tx) => tx.saveGroupMemberships([
          { groupId: g, memberId: member(2).id, role: 'admin' }, { groupId: g, memberId: member(2).id, role: 'member' },
        ]));
        expect(await read((tx) => tx.listGroupMemberships({ memberId: member(2).id }))).toEqual([{ groupId: g, memberId: member(2).id, role: 'member' }]);
      });

      it('listGroupMemberships lists all by group then member, or only those of a group, of a member, or of both', async () => {
        const [g1, g2, g3] = [group(1).id, group(2).id, group(3).id];
        const [a, b, c] = [member(1).id, member(2).id, member(3).id];
        const rows = [
          { groupId: g2, memberId: b, role: 'admin' as const }, { groupId: g1, memberId: c, role: 'member' as const },
          { groupId: g1, memberId: a, role: 'admin' as const }, { groupId: g2, memberId: a, role: 'member' as const },
          { groupId: g3, memberId: c, role: 'member' as const },
        ];
        await write((tx) => tx.saveGroupMemberships(rows));
        const list = (f: { groupId?: string; memberId?: string }) => read((tx) => tx.listGroupMemberships(f));
        expect(await list({})).toEqual([rows[2], rows[1], rows[3], rows[0], rows[4]]);
        expect(await list({ groupId: g1 })).toEqual([rows[2], rows[1]]);
        expect(await list({ memberId: a })).toEqual([rows[2], rows[3]]);
        expect(await list({ groupId: g2, memberId: a })).toEqual([rows[3]]);
        expect(await list({ groupId: g3, memberId: a })).toEqual([]);
        expect(await list({ groupId: 'g-unknown' })).toEqual([]);
      });

      it('deleteGroupMemberships removes exactly the listed (group, member) pairs, more than one chunk of them', async () => {
        const [g1, g2] = [group(1).id, group(2).id];
        const ids = Array.from({ length: 600 }, (_, i) => member(i).id);
        await write((tx) => tx.saveGroupMemberships([
          ...ids.map((memberId) => ({ groupId: g1, memberId, role: 'member' as const })),
          ...ids.slice(0, 3).map((memberId) => ({ groupId: g2, memberId, role: 'admin' as const })),
        ]));
        await write(async (tx) => {
          // (g1, ids 0..579) and (g2, ids[1]); not (g2, ids[0]) nor (g1, ids[580..]).
          await tx.deleteGroupMemberships([...ids.slice(0, 580).map((memberId) => ({ groupId: g1, memberId })), { groupId: g2, memberId: ids[1] }, { groupId: g2, memberId: 'm999999' }]);
          await tx.deleteGroupMemberships([]);
        });
        expect(await read((tx) => tx.listGroupMemberships({}))).toEqual([
          ...ids.slice(580).map((memberId) => ({ groupId: g1, memberId, role: 'member' })),
          { groupId: g2, memberId: ids[0], role: 'admin' }, { groupId: g2, memberId: ids[2], role: 'admin' },
        ]);
      });
    });

    // ----------------------------------------------------------------------- purged memory

    describe('purged-email memory', () => {
      it('getPurged finds what is remembered of a purged member by its email or by its id, deletedAt null or set; an unknown one is null', async () => {
        const a = { email: 'gone@acme.example', memberId: 'm000001', deletedAt: null, purgedAt: T0 };
        const b = { email: 'ユーザー🙂@例え.jp', memberId: 'm000002', deletedAt: at(-10), purgedAt: at(1) };
        await write(async (tx) => {
          await tx.addPurged([a, b]);
          await tx.addPurged([]);
        });
        expect(await read((tx) => Promise.all([
          tx.getPurged(a.email), tx.getPurged(a.memberId), tx.getPurged(b.email), tx.getPurged(b.memberId),
          tx.getPurged('GONE@acme.example'), tx.getPurged('m000003'),
        ]))).toEqual([a, a, b, b, null, null]);
      });

      it('addPurged replaces what is remembered of an email; of several emails of one id, the latest purge is found', async () => {
        await write((tx) => tx.addPurged([
          { email: 'old@acme.example', memberId: 'm1', deletedAt: T0, purgedAt: at(1) },
          { email: 'new@acme.example', memberId: 'm1', deletedAt: at(2), purgedAt: at(3) },
          { email: 'mid@acme.example', memberId: 'm1', deletedAt: null, purgedAt: at(2) },
        ]));
        expect(await read((tx) => tx.getPurged('m1'))).toEqual({ email: 'new@acme.example', memberId: 'm1', deletedAt: at(2), purgedAt: at(3) });
        await write((tx) => tx.addPurged([{ email: 'old@acme.example', memberId: 'm2', deletedAt: null, purgedAt: at(9) }]));
        expect(await read((tx) => tx.getPurged('old@acme.example'))).toEqual({ email: 'old@acme.example', memberId: 'm2', deletedAt: null, purgedAt: at(9) });
        expect(await read((tx) => tx.getPurged('m2'))).toEqual({ email: 'old@acme.example', memberId: 'm2', deletedAt: null, purgedAt: at(9) });
        expect((await read((tx) => tx.getPurged('m1')))?.email).toBe('new@acme.example');
      });
    });

    // --------------------------------------------------------------------------- audit chain

    describe('audit chain', () => {
      it('appendAudit stores records unchanged and moves the head to the last one; an empty append changes nothing', async () => {
        const first = auditChain({ seq: 0, hash: '' }, [{ actor: null, note: '事象\n"quoted" 🙂' }, { target: 'ユーザー@例え.jp', batch: '' }]);
        await write(async (tx) => {
          await tx.appendAudit(first);
          await tx.appendAudit([]);
        });
        expect(await read((tx) => tx.auditHead())).toEqual({ seq: 2, hash: first[1].hash });
        const next = auditChain(first[1], Array.from({ length: 600 }, (_, k) => ({ note: LONG.slice(0, k) })));
        await write(async (tx) => tx.appendAudit(next));
        expect(await read((tx) => tx.auditHead())).toEqual({ seq: 602, hash: next[599].hash });
        const chain = await read((tx) => tx.auditPage(0, 10_000));
        expect(chain).toEqual([...first, ...next]);
        expect(typeof chain[0].seq).toBe('number');
      });

      it('appendAudit takes records one at a time from a generator, as few (3) or as many (1,234) as come, and a generator that throws keeps nothing', async () => {
        const few = auditChain({ seq: 0, hash: '' }, [{}, {}, {}]);
        const many = auditChain(few[2], Array.from({ length: 1234 }, (_, k) => ({ note: `n${k}` })));
        let taken = 0;
        function* lazily(records: AuditRecord[]) {
          for (const r of records) {
            taken++;
            yield r;
          }
        }
        await write((tx) => tx.appendAudit(lazily(few)));
        await write((tx) => tx.appendAudit(lazily(many)));
        expect(taken).toBe(1237);
        expect(await read((tx) => tx.auditHead())).toEqual({ seq: 1237, hash: many[1233].hash });
        expect(await read((tx) => tx.auditPage(0, 10_000))).toEqual([...few, ...many]);
        const more = auditChain(many[1233], Array.from({ length: 900 }, () => ({})));
        function* broken() {
          yield* more.slice(0, 700);
          throw new Error('no more');
        }
        await expect(write((tx) => tx.appendAudit(broken()))).rejects.toThrow();
        expect(await read((tx) => tx.auditHead())).toEqual({ seq: 1237, hash: many[1233].hash });
        expect(await read((tx) => tx.auditPage(1237, 10))).toEqual([]);
      });

      it('listAudit returns the newest first (by seq), 100 unless a limit says otherwise', async () => {
        const chain = auditChain({ seq: 0, hash: '' }, Array.from({ length: 150 }, (_, k) => ({ at: at(150 - k) }))); // clock going backwards
        await write((tx) => tx.appendAudit(chain));
        const seqs = async (limit?: number) => (await read((tx) => tx.listAudit(limit === undefined ? {} : { limit }))).map((a) => a.seq);
        expect(await seqs()).toEqual(Array.from({ length: 100 }, (_, i) => 150 - i));
        expect(await seqs(3)).toEqual([150, 149, 148]);
        expect(await seqs(1000)).toHaveLength(150);
        expect(await seqs(0)).toEqual([]);
        expect((await read((tx) => tx.listAudit({ limit: 1 })))[0]).toEqual(chain[149]);
      });

      it('listAudit filters by since (inclusive), actor, target, action and batch, each alone or combined (AND), newest first, within the limit', async () => {
        const chain = auditChain({ seq: 0, hash: '' }, [
          { at: at(0), actor: ADMIN, action: 'member.add', target: 'bob@acme.example', batch: 'b1' },
          { at: at(1), actor: 'bob@acme.example', action: 'member.suspend', target: 'carol@acme.example', batch: 'b1' },
          { at: at(2), actor: null, action: 'member.purge', target: 'bob@acme.example', batch: 'b2' },
          { at: at(3), actor: ADMIN, action: 'member.suspend', target: 'bob@acme.example', batch: 'b3' },
          { at: at(4), actor: ADMIN, action: 'group.create', target: 'デザイン', batch: 'b3' },
        ]);
        await write((tx) => tx.appendAudit(chain));
        const seqs = async (f: Parameters<Tx['listAudit']>[0]) => (await read((tx) => tx.listAudit(f))).map((a) => a.seq);
        expect(await seqs({ since: at(2) })).toEqual([5, 4, 3]);
        expect(await seqs({ since: '2030-01-07T09:02:30.000Z' })).toEqual([5, 4]);
        expect(await seqs({ actor: ADMIN })).toEqual([5, 4, 1]);
        expect(await seqs({ actor: 'ALICE@acme.example' })).toEqual([]);
        expect(await seqs({ actor: null })).toEqual([3]); // the system, acting by itself
        expect(await seqs({ actor: null, action: 'member.purge', target: 'bob@acme.example' })).toEqual([3]);
        expect(await seqs({ target: 'bob@acme.example' })).toEqual([4, 3, 1]);
        expect(await seqs({ target: 'デザイン' })).toEqual([5]);
        expect(await seqs({ action: 'member.suspend' })).toEqual([4, 2]);
        expect(await seqs({ batch: 'b1' })).toEqual([2, 1]);
        expect(await seqs({ actor: ADMIN, target: 'bob@acme.example' })).toEqual([4, 1]);
        expect(await seqs({ since: at(1), action: 'member.suspend', batch: 'b3' })).toEqual([4]);
        expect(await seqs({ actor: ADMIN, action: 'member.purge' })).toEqual([]);
        expect(await seqs({ target: 'bob@acme.example', limit: 2 })).toEqual([4, 3]);
        expect((await read((tx) => tx.listAudit({ batch: 'b2' })))).toEqual([chain[2]]);
      });

      it('listAudit filters by any of several actions, and by what an entry involves: its target, or the group or member a membership event names', async () => {
        const BOB = 'bob@acme.example';
        const membership = ['group.add-member', 'group.remove-member', 'group.set-role'];
        const chain = auditChain({ seq: 0, hash: '' }, [
          { action: 'group.create', target: 'De_sign%!' },
          { action: 'group.add-member', target: 'De_sign%!', body: { after: { member: BOB, role: 'member' } } }, // as recorded before 23.9
          { action: 'group.set-role', target: BOB, body: { before: { group: 'De_sign%!', role: 'member' }, after: { group: 'De_sign%!', role: 'admin' } } },
          { action: 'group.add-member', target: 'carol@acme.example', body: { after: { group: 'DeXsignX!', role: 'member' } } }, // _ and % are not wildcards
          { action: 'member.remove', target: 'dave@acme.example', body: { before: { groups: [{ group: 'De_sign%!', role: 'member' }] } } }, // not a membership event
          { action: 'member.suspend', target: BOB },
          { action: 'group.create', target: 'De_sign%! Team' },
        ]);
        await write((tx) => tx.appendAudit(chain));
        const seqs = async (f: Parameters<Tx['listAudit']>[0]) => (await read((tx) => tx.listAudit(f))).map((a) => a.seq);
        expect(await seqs({ actions: ['group.create', 'member.suspend'] })).toEqual([7, 6, 1]);
        expect(await seqs({ actions: [] })).toEqual([]);
        expect(await seqs({ involving: { name: 'De_sign%!', membershipActions: membership } })).toEqual([3, 2, 1]);
        expect(await seqs({ involving: { name: BOB, membershipActions: membership } })).toEqual([6, 3, 2]);
        expect(await seqs({ involving: { name: BOB, membershipActions: [] } })).toEqual([6, 3]);
        expect(await seqs({ involving: { name: BOB, membershipActions: membership }, actions: ['group.add-member'], limit: 1 })).toEqual([2]);
      });

      it('auditPage returns the chain oldest first after a seq, a page at a time; past the end it is empty', async () => {
        const chain = auditChain({ seq: 0, hash: '' }, Array.from({ length: 25 }, () => ({})));
        await write((tx) => tx.appendAudit(chain));
        expect(await read((tx) => tx.auditPage(0, 10))).toEqual(chain.slice(0, 10));
        expect(await read((tx) => tx.auditPage(10, 10))).toEqual(chain.slice(10, 20));
        expect(await read((tx) => tx.auditPage(20, 10))).toEqual(chain.slice(20));
        expect(await read((tx) => tx.auditPage(25, 10))).toEqual([]);
        expect(await read((tx) => tx.auditPage(0, 0))).toEqual([]);
        const walked: AuditRecord[] = [];
        let after = 0;
        for (;;) {
          const page = await read((tx) => tx.auditPage(after, 7));
          if (!page.length) break;
          walked.push(...page);
          after = page[page.length - 1].seq;
        }
        expect(walked).toEqual(chain);
      });

      it('scanAudit yields the chain after a seq, oldest first, in batches as auditPage pages it; left early, the transaction reads on', async () => {
        const chain = auditChain({ seq: 0, hash: '' }, Array.from({ length: 25 }, () => ({})));
        await write((tx) => tx.appendAudit(chain));
        const scanned = (after: number, size?: number) => read(async (tx) => {
          const batches: AuditRecord[][] = [];
          for await (const b of tx.scanAudit(after, size)) batches.push(b);
          return batches;
        });
        expect((await scanned(0)).flat()).toEqual(chain);
        expect(await scanned(0, 10)).toEqual([chain.slice(0, 10), chain.slice(10, 20), chain.slice(20)]);
        expect((await scanned(12, 7)).flat()).toEqual(chain.slice(12));
        expect(await scanned(25)).toEqual([]);
        expect(await read(async (tx) => {
          for await (const b of tx.scanAudit(0, 3)) if (b.length) break;
          return tx.auditHead();
        })).toEqual({ seq: 25, hash: chain[24].hash });
      });
    });

    describe('audit chain begun before schema version 4 (old entries in audit_v1, compact ones after)', () => {
      const BOB = 'bob@acme.example';
      const OLD_EVENTS: AuditEventIn[] = [
        { action: 'member.add', target: BOB, targetId: 'm1', after: { email: BOB, name: 'Bob' } },
        { action: 'member.suspend', target: BOB, reason: 'on leave' },
        { action: 'group.add-member', target: 'carol@acme.example', after: { group: 'Design', role: 'member' } },
      ];
      /** 5 old entries (batches b-old, b-old2), then 5 compact ones chained onto them as the core writes them (batches b1, b2). */
      async function mixedLog(): Promise<AuditRecord[]> {
        const old = oldFormatRecords({ seq: 0, hash: '' }, T0, ADMIN, 'b-old', OLD_EVENTS);
        old.push(...oldFormatRecords(old[2], at(1), null, 'b-old2', OLD_EVENTS.slice(0, 2)));
        await write((tx) => loadOldLog(tx, old));
        const next = chainEvents(old[4], at(2), ADMIN, 'b1', OLD_EVENTS);
        next.push(...chainEvents(next[2], at(3), 'dave@acme.example', 'b2', OLD_EVENTS.slice(1)));
        await write(async (tx) => {
          await tx.appendAudit(next.slice(0, 3));
          await tx.appendAudit(next.slice(3));
        });
        return [...old, ...next];
      }

      it('every read gives the old entries as stored (prevHash set, the whole event in body), then the compact ones; the chain verifies across', async () => {
        const all = await mixedLog();
        expect(all.slice(0, 5).every((r) => r.prevHash !== undefined) && all.slice(5).every((r) => r.prevHash === undefined)).toBe(true);
        expect(await read((tx) => tx.auditHead())).toEqual({ seq: 10, hash: all[9].hash });
        expect(await read((tx) => tx.auditPage(0, 100))).toEqual(all);
        expect(await read((tx) => tx.auditPage(3, 4))).toEqual(all.slice(3, 7));
        expect(await read((tx) => tx.auditPage(5, 2))).toEqual(all.slice(5, 7));
        const scanned = await read(async (tx) => {
          const batches: AuditRecord[][] = [];
          for await (const b of tx.scanAudit(1, 4)) batches.push(b);
          return batches;
        });
        expect(scanned).toEqual([all.slice(1, 5), all.slice(5, 9), all.slice(9)]);
        expect(await read((tx) => tx.listAudit({}))).toEqual([...all].reverse());
        expect(await read((tx) => tx.listAudit({ limit: 7 }))).toEqual([...all].reverse().slice(0, 7));
        expect(await read((tx) => verifyChain(tx))).toEqual({ ok: true, entries: 10 });
        expect(all.map((r) => entryOf(r).reason)).toEqual([null, 'on leave', null, null, 'on leave', null, 'on leave', null, 'on leave', null]);
      });

      it('listAudit filters both formats alike: batch, target, actor, since, action, and what an entry involves', async () => {
        await mixedLog();
        const seqs = async (f: Parameters<Tx['listAudit']>[0]) => (await read((tx) => tx.listAudit(f))).map((a) => a.seq);
        expect(await seqs({ batch: 'b-old' })).toEqual([3, 2, 1]);
        expect(await seqs({ batch: 'b-old2' })).toEqual([5, 4]);
        expect(await seqs({ batch: 'b1' })).toEqual([8, 7, 6]);
        expect(await seqs({ batch: 'b2' })).toEqual([10, 9]);
        expect(await seqs({ target: BOB })).toEqual([9, 7, 6, 5, 4, 2, 1]);
        expect(await seqs({ target: BOB, limit: 4 })).toEqual([9, 7, 6, 5]);
        expect(await seqs({ actor: ADMIN })).toEqual([8, 7, 6, 3, 2, 1]);
        expect(await seqs({ since: at(1), action: 'member.suspend' })).toEqual([9, 7, 5]);
        expect(await seqs({ involving: { name: 'Design', membershipActions: ['group.add-member'] } })).toEqual([10, 8, 3]);
      });

      it('scanAuditList yields what listAudit lists, in batches of at most the size asked, across both formats and every filter', async () => {
        await mixedLog();
        const filters: Array<Parameters<Tx['listAudit']>[0]> = [
          {}, { limit: 7 }, { limit: 3 }, { batch: 'b-old' }, { batch: 'b1' }, { batch: 'b2', limit: 1 }, { target: BOB }, { target: BOB, limit: 4 },
          { actor: ADMIN }, { since: at(1), action: 'member.suspend' }, { involving: { name: 'Design', membershipActions: ['group.add-member'] } }, { batch: 'nope' },
        ];
        for (const f of filters) {
          const listed = await read((tx) => tx.listAudit(f));
          for (const size of [1, 2, 4, undefined]) {
            const batches = await read(async (tx) => {
              const out: AuditRecord[][] = [];
              for await (const b of tx.scanAuditList(f, size)) out.push(b);
              return out;
            });
            expect(batches.flat(), `${JSON.stringify(f)} in batches of ${size}`).toEqual(listed);
            if (size) expect(batches.every((b) => b.length > 0 && b.length <= size)).toBe(true);
          }
        }
      });

      it('appendAudit writes the compact format only: an old-format record is refused, and nothing is kept', async () => {
        const all = await mixedLog();
        const more = oldFormatRecords(all[9], T0, ADMIN, 'bx', OLD_EVENTS.slice(0, 1));
        await expect(write((tx) => tx.appendAudit(more))).rejects.toThrow(/old format/);
        await expect(write((tx) => tx.appendAudit([{ ...auditChain(all[9], [{}])[0], hash: 'not hex' }]))).rejects.toThrow(/hash/);
        expect(await read((tx) => tx.auditHead())).toEqual({ seq: 10, hash: all[9].hash });
      });
    });

    describe('audit batches as seq ranges', () => {
      it("listAudit({batch}) finds each range of a batch, written by several appends between other batches' entries, and only those; each entry carries its batch", async () => {
        const a = auditChain({ seq: 0, hash: '' }, [{ batch: 'bA' }, { batch: 'bA' }]);
        const b = auditChain(a[1], [{ batch: 'bB' }]);
        const c = auditChain(b[0], [{ batch: 'bA' }, { batch: 'bC' }, { batch: 'bA' }]);
        for (const part of [a, b, c]) await write((tx) => tx.appendAudit(part));
        const seqs = async (f: Parameters<Tx['listAudit']>[0]) => (await read((tx) => tx.listAudit(f))).map((r) => r.seq);
        expect(await seqs({ batch: 'bA' })).toEqual([6, 4, 2, 1]);
        expect(await seqs({ batch: 'bA', limit: 3 })).toEqual([6, 4, 2]);
        expect(await seqs({ batch: 'bA', target: 't4' })).toEqual([4]);
        expect(await seqs({ batch: 'bC' })).toEqual([5]);
        expect(await seqs({ batch: 'nope' })).toEqual([]);
        expect((await read((tx) => tx.auditPage(0, 100))).map((r) => r.batch)).toEqual(['bA', 'bA', 'bB', 'bA', 'bC', 'bA']);
        expect((await read((tx) => tx.dumpTable('audit_batches', null, 100))).rows).toEqual([
          { first_seq: 1, last_seq: 2, batch: 'bA' }, { first_seq: 3, last_seq: 3, batch: 'bB' }, { first_seq: 4, last_seq: 4, batch: 'bA' },
          { first_seq: 5, last_seq: 5, batch: 'bC' }, { first_seq: 6, last_seq: 6, batch: 'bA' },
        ]);
      });

      it('a batch of many ranges (900 entries, two batches taking turns) is listed whole, newest first, within the limit', async () => {
        const chain = auditChain({ seq: 0, hash: '' }, Array.from({ length: 900 }, (_, k) => ({ batch: k % 2 ? 'odd' : 'even' })));
        await write((tx) => tx.appendAudit(chain));
        const seqs = async (f: Parameters<Tx['listAudit']>[0]) => (await read((tx) => tx.listAudit(f))).map((r) => r.seq);
        expect(await seqs({ batch: 'even', limit: 1000 })).toEqual(Array.from({ length: 450 }, (_, i) => 899 - 2 * i));
        expect(await seqs({ batch: 'odd', limit: 301 })).toEqual(Array.from({ length: 301 }, (_, i) => 900 - 2 * i));
        expect((await read((tx) => tx.auditPage(0, 1000))).map((r) => r.batch)).toEqual(chain.map((r) => r.batch));
      });
    });

    // ----------------------------------------------------------------------- raw table access

    describe('raw tables (dumpTable, loadTable)', () => {
      it('dumpTable pages every table in key order: following next returns every row once, and next is null after the last page', async () => {
        await write(fill);
        await read(async (tx) => {
          for (const table of ALL_TABLES) {
            const whole = await tx.dumpTable(table, null, 100_000);
            expect(whole.next, table).toBeNull();
            // Pages of a single row for the small tables only (password_history among them); the large ones page at 2, 7 and 250.
            for (const limit of whole.rows.length <= 20 ? [1, 2, 7, 250] : [2, 7, 250]) {
              const { rows, pages } = await dumpPages(tx, table, limit);
              expect(rows, `${table} in pages of ${limit}`).toEqual(whole.rows);
              expect(pages, `${table} in pages of ${limit}`).toBe(Math.floor(whole.rows.length / limit) + 1);
            }
            const keys = whole.rows.map((r) => TABLE_KEYS[table].map((c) => r[c]));
            for (let i = 1; i < keys.length; i++) expect(compareKeys(keys[i - 1], keys[i]), `${table} row ${i} after row ${i - 1}`).toBeLessThan(0);
          }
          const count = async (t: TableName) => (await dumpPages(tx, t, 100_000)).rows.length;
          expect(await count('members')).toBe(FILL_MEMBERS);
          expect(await count('audit')).toBe(FILL_AUDIT);
          expect(await count('audit_v1')).toBe(FILL_OLD_AUDIT);
          expect(await count('audit_batches')).toBe(FILL_AUDIT); // each of fill's entries has a batch of its own
          expect(await count('password_history')).toBe(8);
          expect(await count('orgs')).toBe(7);
          expect(await count('meta')).toBe(4); // schema_version, workspace_id, and fill's two
          expect(await count('chain_head')).toBe(1);
        });
      });

      it('dumpTable ends on an empty page with next null when the rows fill the last page exactly; an empty table is one empty page', async () => {
        await write(async (tx) => {
          for (const d of ['a.example', 'b.example', 'c.example', 'd.example', 'e.example', 'f.example']) await tx.addDomain(d, T0);
        });
        await read(async (tx) => {
          const first = await tx.dumpTable('domains', null, 3);
          expect(first.rows.map((r) => r.domain)).toEqual(['a.example', 'b.example', 'c.example']);
          expect(first.next).not.toBeNull();
          const second = await tx.dumpTable('domains', first.next, 3);
          expect(second.rows.map((r) => r.domain)).toEqual(['d.example', 'e.example', 'f.example']);
          expect(second.next).not.toBeNull();
          expect(await tx.dumpTable('domains', second.next, 3)).toEqual({ rows: [], next: null });
          expect(await tx.dumpTable('tokens', null, 5)).toEqual({ rows: [], next: null });
        });
      });

      it('dumpTable returns rows exactly as stored: column names, 0/1 booleans, JSON text lists, "" for a top-level parent, numbers for numbers', async () => {
        await write(async (tx) => {
          await tx.insertMembers([member(1, { orgId: 'o1', orgIds: ['o2', '営業'], role: 'admin', scope: [], registered: true, twoFactor: false, title: '' })]);
          await tx.insertOrgs([org('o1', 'Sales'), org('o2', 'Team', 'o1')]);
          await tx.insertGroup(group(1, { internalOnly: true, suspended: false }));
          await tx.addPasswordHistory(member(1).id, 'h', T0);
          await tx.saveCredentials([creds(member(1).id, { failedLogins: 4 })]);
          await tx.appendAudit(auditChain({ seq: 0, hash: '' }, [{ actor: null }]));
        });
        await read(async (tx) => {
          const rows = async (t: TableName) => (await tx.dumpTable(t, null, 10)).rows;
          expect(await rows('members')).toEqual([{
            id: 'm000001', email: 'user000001@acme.example', name: 'User 1', title: '', org_id: 'o1', org_ids: '["o2","営業"]',
            role: 'admin', scope: '[]', registered: 1, suspended_at: null, suspended_reason: null, deleted_at: null, removed_by: null,
            removed_batch: null, start_date: null, two_factor: 0, created_at: T0, updated_at: T0, external_id: null,
          }]);
          expect(await rows('orgs')).toEqual([
            { id: 'o1', parent_id: '', name: 'Sales', created_at: T0 }, { id: 'o2', parent_id: 'o1', name: 'Team', created_at: T0 },
          ]);
          expect(await rows('workgroups')).toEqual([{
            id: 'g000001', name: 'Group 1', description: null, internal_only: 1, suspended: 0, owner_id: 'm000001', created_at: T0, updated_at: T0, external_id: null,
          }]);
          expect(await rows('password_history')).toEqual([{ member_id: 'm000001', n: 1, hash: 'h', set_at: T0 }]);
          expect(await rows('credentials')).toEqual([{
            member_id: 'm000001', password_hash: null, password_set_at: null, temp_hash: null, temp_issued_at: null, failed_logins: 4,
          }]);
          const [a] = await rows('audit');
          expect(a).toMatchObject({ seq: 1, actor: null });
          expect(Object.keys(a)).toEqual(['seq', 'at', 'actor', 'action', 'target', 'body', 'hash']);
          expect(Buffer.isBuffer(a.hash) && (a.hash as Buffer).length).toBe(32); // the SHA-256 as its bytes
          expect(await rows('chain_head')).toEqual([{ id: 1, seq: 1, hash: (a.hash as Buffer).toString('hex') }]);
          expect(await rows('audit_batches')).toEqual([{ first_seq: 1, last_seq: 1, batch: 'b1' }]);
          expect(await rows('meta')).toEqual([{ key: 'schema_version', value: String(SCHEMA_VERSION) }, { key: 'workspace_id', value: WORKSPACE_ID }]);
        });
      });

      it('loadTable writes dumped rows into a new store unchanged; its meta and chain_head rows are replaced by key', async () => {
        await write(fill);
        const source = await dumpAll(store);
        const other = await open(backend.fresh(dir), true);
        await store.read(async (src) => other.write(async (dst) => {
          for (const table of ALL_TABLES) {
            let after: unknown = null;
            do {
              const page = await src.dumpTable(table, after, 500); // members: one page over PostgreSQL's COPY threshold, one under
              await dst.loadTable(table, page.rows);
              after = page.next;
            } while (after !== null);
          }
        }));
        expect(await dumpAll(other)).toEqual(source);
        expect(await domainView(other)).toEqual(await domainView(store));
        expect((await other.read((tx) => tx.auditHead())).seq).toBe(FILL_OLD_AUDIT + FILL_AUDIT);
      });

      it('loadTable of no rows changes nothing; it refuses an unknown table and a column name that is not plain, writing nothing', async () => {
        const before = await dumpAll(store);
        await write((tx) => tx.loadTable('members', []));
        expect(await dumpAll(store)).toEqual(before);
        const row = { key: 'name', value: 'x' };
        await expect(write((tx) => tx.loadTable('nope' as TableName, [row]))).rejects.toThrow(/unknown table/);
        await expect(write((tx) => tx.dumpTable('nope' as TableName, null, 10))).rejects.toThrow(/unknown table/);
        for (const bad of ['value; DROP TABLE meta', 'Value', '"value"', 'value--', '']) {
          await expect(write((tx) => tx.loadTable('meta', [{ key: 'name', [bad]: 'x' }])), bad).rejects.toThrow(/bad column name/);
        }
        expect(await dumpAll(store)).toEqual(before);
      });
    });

    // ------------------------------------------------------------------------ transactions

    describe('transactions (read, write)', () => {
      it('read and write return what their function returns', async () => {
        expect(await store.write(async (tx) => {
          await tx.insertMembers([member(1)]);
          return { n: 42, list: ['a'], none: null };
        })).toEqual({ n: 42, list: ['a'], none: null });
        expect(await store.read(async (tx) => (await tx.getMember(member(1).id))?.email)).toBe(member(1).email);
        expect(await store.read(async () => undefined)).toBeUndefined();
      });

      it('an error thrown in a write rolls back everything written in it, in every table, and is rethrown as it was', async () => {
        await write(async (tx) => {
          await tx.insertMembers([member(9000), member(9001)]);
          await tx.saveCredentials([creds(member(9001).id, { passwordHash: 'h' })]);
          await tx.setMeta('name', 'before');
        });
        const before = await dumpAll(store);
        for (const thrown of [new Error('boom'), new RollcallError('LAST_ADMIN', 'no')]) {
          const e = await rejection(store.write(async (tx) => {
            await fill(tx);
            await tx.updateMembers([member(9000, { name: 'changed' })]);
            await tx.deleteMembers([member(9001).id]);
            await tx.setMeta('name', 'after');
            throw thrown;
          }));
          expect(e).toBe(thrown);
        }
        expect(await dumpAll(store)).toEqual(before);
        // A failed write leaves the store working: the next one commits.
        await write((tx) => tx.setMeta('name', 'next'));
        expect((await read((tx) => tx.getMeta())).name).toBe('next');
      });

      it('inside a write, read and write join it: they see its rows before the commit, and it all commits together', async () => {
        const seen = await store.write(async (tx) => {
          await tx.insertMembers([member(1)]);
          const inner = await store.read((t) => t.getMember(member(1).id));
          await store.write((t) => t.insertMembers([member(2)]));
          return { inner, count: await tx.countSeats() };
        });
        expect(seen).toEqual({ inner: member(1), count: 2 });
        expect(await read((tx) => tx.listMembers())).toEqual([member(1), member(2)]);
        // And roll back together.
        await expect(store.write(async (tx) => {
          await store.write((t) => t.insertMembers([member(3)]));
          await tx.insertMembers([member(4)]);
          throw new Error('boom');
        })).rejects.toThrow('boom');
        expect(await read((tx) => tx.listMembers())).toEqual([member(1), member(2)]);
      });

      it('another connection to the workspace sees a write only once it commits', async () => {
        const other = await open(target);
        const during = await store.write(async (tx) => {
          await tx.insertMembers([member(1)]);
          await tx.setMeta('name', 'new');
          return other.read(async (t) => ({ members: await t.listMembers(), name: (await t.getMeta()).name ?? null }));
        });
        expect(during).toEqual({ members: [], name: null });
        expect(await other.read(async (t) => ({ members: await t.listMembers(), name: (await t.getMeta()).name ?? null })))
          .toEqual({ members: [member(1)], name: 'new' });
      });
    });

    // ------------------------------------------------------------------------------- the store

    describe('the store', () => {
      it('kind names the backend; location names the workspace (the file path, or the URL, which has no password here)', async () => {
        expect(store.kind).toBe(backend.kind);
        expect(store.location).toBe(target);
      });

      it('backup writes a new SQLite workspace with the same data, and refuses a file that exists, leaving it as it was', async () => {
        await write(fill);
        const dest = join(dir, `backup-${randomBytes(4).toString('hex')}.db`);
        await store.backup(dest);
        const copy = SqliteStore.open(dest);
        opened.push(copy);
        expect(copy.kind).toBe('sqlite');
        expect(await dumpAll(copy)).toEqual(await dumpAll(store));
        expect(await domainView(copy)).toEqual(await domainView(store));
        await copy.close();
        const bytes = readFileSync(dest);
        const e = await rejection(store.backup(dest));
        expect(e).toBeInstanceOf(RollcallError);
        expect((e as RollcallError).code).toBe('ALREADY_EXISTS');
        expect(readFileSync(dest).equals(bytes)).toBe(true);
      });

      it('copyInto copies every table row for row into a new, empty workspace, and refuses one that is not empty, leaving it as it was', async () => {
        await write(fill);
        const to = await open(backend.fresh(dir), true);
        await store.copyInto(to);
        expect(await dumpAll(to)).toEqual(await dumpAll(store));
        expect(await domainView(to)).toEqual(await domainView(store));
        const before = await dumpAll(to);
        const e = await rejection(store.copyInto(to));
        expect(e).toBeInstanceOf(RollcallError);
        expect((e as RollcallError).code).toBe('ALREADY_EXISTS');
        expect(await dumpAll(to)).toEqual(before);
      });

      it('discard removes a workspace this store created, so that creating it again works; a store that only opened one just closes', async () => {
        await write(async (tx) => tx.setMeta('name', 'half-made'));
        await store.discard();
        if (backend.kind === 'sqlite') expect(existsSync(target)).toBe(false);
        const again = await open(target, true);
        expect((await again.read((tx) => tx.getMeta())).name).toBeUndefined();
        await again.close();
        const reopened = await open(target);
        await reopened.discard(); // opened, not created: only closed
        const kept = await open(target);
        expect((await kept.read((tx) => tx.getMeta())).schema_version).toBeDefined();
      });

      it('ownerAccessProblem: the creator of a workspace has direct access to it (recover needs it); others are told why not', async () => {
        expect(await store.ownerAccessProblem()).toBeNull();
        // the refusals themselves (another user's file, a role that does not own the tables) need
        // another user or role: test/e2e/recover.test.ts makes one
      });

      it('close ends the store: what was written is there on the next open, and the closed store does no more work', async () => {
        await write(async (tx) => {
          await tx.insertMembers([member(1)]);
          await tx.setMeta('name', 'kept');
        });
        await store.close();
        await expect(store.read((tx) => tx.getMeta())).rejects.toThrow();
        await expect(store.write((tx) => tx.setMeta('name', 'lost'))).rejects.toThrow();
        await store.close(); // a second close is harmless
        const again = await open(target);
        expect(await again.read(async (tx) => ({ members: await tx.listMembers(), name: (await tx.getMeta()).name }))).toEqual({ members: [member(1)], name: 'kept' });
        if (backend.kind === 'sqlite') expect(existsSync(target)).toBe(true);
      });
    });
  });
});

// Every method of the port (src/core/store.ts) has a case above: a method added to the port fails this
// until the contract covers it.
describe('the contract suite', () => {
  it('exercises every method of Tx and Store named in src/core/store.ts', () => {
    const port = readFileSync(new URL('../../src/core/store.ts', import.meta.url), 'utf8');
    const block = (name: string) => {
      const m = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(port);
      if (!m) throw new Error(`interface ${name} not found in src/core/store.ts`);
      return [...m[1].matchAll(/^ {2}(?:readonly )?(\w+)[(<:]/gm)].map((x) => x[1]);
    };
    const txMethods = block('Tx');
    const storeMembers = block('Store');
    expect(txMethods.length).toBeGreaterThan(50);
    expect(storeMembers).toEqual(['kind', 'location', 'read', 'write', 'backup', 'copyInto', 'discard', 'close', 'ownerAccessProblem']);
    const self = readFileSync(new URL(import.meta.url), 'utf8');
    const missing = [
      ...txMethods.filter((m) => !self.includes(`tx.${m}(`) && !self.includes(`t.${m}(`)),
      ...storeMembers.filter((m) => !self.includes(`store.${m}`)),
    ];
    expect(missing).toEqual([]);
  });
});
