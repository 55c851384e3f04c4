// src/core/audit/chain.ts: the hash chain of SPEC §9, built by chainEvents and checked by
// verifyChain, in the compact format, and across a log that began in the old one (schema < 4).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bodyOf, chainEvents, columnsText, entryHash, entryOf, verifyChain, type AuditEvent } from '../../src/core/audit/chain.js';
import { sha256 } from '../../src/core/credentials.js';
import type { AuditRecord } from '../../src/core/model.js';
import type { Tx } from '../../src/core/store.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { oldFormatRecords } from '../helpers/old-audit.js';

const AT = '2030-01-07T09:00:00.000Z';
const events: AuditEvent[] = [
  { action: 'member.add', target: 'bob@acme.example', targetId: 'm_1', after: { name: 'Bob' } },
  { action: 'member.suspend', target: 'bob@acme.example', reason: 'on leave' },
  { action: 'member.lockout', target: 'carol@acme.example', actor: null },
];

/** Just what verifyChain reads: the log in pages and the chain head. */
class FakeTx {
  constructor(public rows: AuditRecord[], public head: { seq: number; hash: string }) {}
  async auditPage(afterSeq: number, limit: number) {
    return this.rows.filter((r) => r.seq > afterSeq).sort((a, b) => a.seq - b.seq).slice(0, limit);
  }
  async auditHead() {
    return this.head;
  }
}

const top = (rows: AuditRecord[]) => ({ seq: rows[rows.length - 1].seq, hash: rows[rows.length - 1].hash });

function chain(): { rows: AuditRecord[]; tx: FakeTx } {
  const first = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events.slice(0, 2));
  const second = chainEvents(top(first), AT, 'alice@acme.example', 'b2', events.slice(2));
  const rows = [...first, ...second];
  return { rows, tx: new FakeTx(rows.map((r) => ({ ...r })), top(rows)) };
}

/** 3 old-format entries (written before schema version 4), then 3 compact ones chained onto them. */
function mixed(): FakeTx {
  const old = oldFormatRecords({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b0', events);
  const next = chainEvents(top(old), AT, 'alice@acme.example', 'b1', events);
  const rows = [...old, ...next];
  return new FakeTx(rows.map((r) => ({ ...r })), top(rows));
}

const verify = (tx: FakeTx) => verifyChain(tx as unknown as Tx);

describe('chainEvents', () => {
  it('numbers events after the head and links each to the one before', () => {
    const rows = chainEvents({ seq: 41, hash: 'h41' }, AT, 'alice@acme.example', 'b1', events);
    expect(rows.map((r) => r.seq)).toEqual([42, 43, 44]);
    expect(rows[0].hash).toBe(entryHash('h41', rows[0]));
    expect(rows[1].hash).toBe(entryHash(rows[0].hash, rows[1]));
    expect(rows[2].hash).toBe(entryHash(rows[1].hash, rows[2]));
    for (const r of rows) expect(r.prevHash).toBeUndefined();
  });

  it('hashes the previous hash, the columns as one JSON array and the stored body, a line each, with SHA-256', () => {
    const [r] = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events.slice(0, 1));
    expect(columnsText(r)).toBe(`[1,"${AT}","alice@acme.example","member.add","bob@acme.example","b1"]`);
    expect(r.hash).toBe(sha256('\n' + columnsText(r) + '\n' + r.body));
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps in the body only what has no column, nulls left out, in a fixed order', () => {
    const rows = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events);
    expect(rows.map((r) => r.body)).toEqual(['{"targetId":"m_1","after":{"name":"Bob"}}', '{"reason":"on leave"}', '{}']);
    expect(bodyOf({ action: 'member.update', target: 't', targetId: 'm_2', before: { n: 1 }, after: { n: 2 }, reason: 'r' }))
      .toBe('{"targetId":"m_2","before":{"n":1},"after":{"n":2},"reason":"r"}');
    // false, 0 and '' are values, not absences.
    expect(bodyOf({ action: 'member.update', target: 't', before: false, after: 0, reason: '' })).toBe('{"before":false,"after":0,"reason":""}');
  });

  it('records time, actor, action, target, reason and batch: entryOf gives the whole entry back', () => {
    const rows = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events);
    expect(entryOf(rows[1])).toEqual({
      seq: 2, at: AT, actor: 'alice@acme.example', action: 'member.suspend', target: 'bob@acme.example', targetId: null,
      before: null, after: null, reason: 'on leave', batch: 'b1',
    });
    expect(rows[1]).toMatchObject({ at: AT, actor: 'alice@acme.example', action: 'member.suspend', target: 'bob@acme.example', batch: 'b1' });
    expect(entryOf(rows[0])).toMatchObject({ targetId: 'm_1', after: { name: 'Bob' }, before: null, reason: null });
  });

  it('gives an old-format entry back as it was recorded', () => {
    const [old] = oldFormatRecords({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b0', events);
    expect(entryOf(old)).toEqual({
      seq: 1, at: AT, actor: 'alice@acme.example', action: 'member.add', target: 'bob@acme.example', targetId: 'm_1',
      before: null, after: { name: 'Bob' }, reason: null, batch: 'b0',
    });
    expect(entryOf(chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b0', events)[0])).toEqual(entryOf(old));
  });

  it('lets an event override the actor: null for what the system does', () => {
    const rows = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events);
    expect(rows[2].actor).toBeNull();
    expect(entryOf(rows[2]).actor).toBeNull();
  });

  it('changes every later hash when an earlier entry differs, in a column alone too', () => {
    const a = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events);
    for (const b of [
      chainEvents({ seq: 0, hash: '' }, AT, 'mallory@acme.example', 'b1', events),
      chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b2', events),
      chainEvents({ seq: 0, hash: '' }, '2030-01-07T09:00:00.001Z', 'alice@acme.example', 'b1', events),
    ]) for (let i = 0; i < a.length; i++) expect(a[i].hash).not.toBe(b[i].hash);
  });

  it('never hashes two different entries alike by moving text between a column and the body', () => {
    const [a] = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', [{ action: 'member.add', target: 'x', reason: 'y' }]);
    const [b] = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', [{ action: 'member.add', target: 'x\n{"reason":"y"}' }]);
    expect(a.hash).not.toBe(b.hash);
  });
});

describe('verifyChain', () => {
  it('passes an untouched chain', async () => {
    const { tx } = chain();
    expect(await verify(tx)).toEqual({ ok: true, entries: 3 });
  });

  it('passes an empty log', async () => {
    expect(await verify(new FakeTx([], { seq: 0, hash: '' }))).toEqual({ ok: true, entries: 0 });
  });

  it('finds any column changed, the batch included: the hash covers them all', async () => {
    for (const change of [{ target: 'x' }, { actor: null }, { action: 'member.remove' }, { at: AT.replace('09', '10') }, { batch: 'b9' }]) {
      const { tx } = chain();
      Object.assign(tx.rows[1], change);
      expect(await verify(tx), JSON.stringify(change)).toMatchObject({ ok: false, seq: 2, problem: 'entry 2 was altered: its hash does not match its content' });
    }
  });

  it('finds a body changed (its hash no longer matches)', async () => {
    const { tx } = chain();
    tx.rows[0].body = tx.rows[0].body.replace('Bob', 'Eve');
    expect(await verify(tx)).toMatchObject({ ok: false, seq: 1 });
  });

  it('finds a body re-serialised with its keys in another order, though it means the same', async () => {
    const { tx } = chain();
    tx.rows[0].body = '{"after":{"name":"Bob"},"targetId":"m_1"}';
    expect(entryOf(tx.rows[0])).toEqual(entryOf(chain().rows[0]));
    expect(await verify(tx)).toMatchObject({ ok: false, seq: 1 });
  });

  it('finds a body rewritten with a fresh hash: the next link breaks', async () => {
    const { tx } = chain();
    tx.rows[0].body = tx.rows[0].body.replace('Bob', 'Eve');
    tx.rows[0].hash = entryHash('', tx.rows[0]);
    expect(await verify(tx)).toMatchObject({ ok: false, seq: 2 });
  });

  it('finds a deleted entry in the middle', async () => {
    const { tx } = chain();
    tx.rows.splice(1, 1);
    expect(await verify(tx)).toMatchObject({ ok: false, seq: 3, problem: 'entry 2 is missing (found 3 next)' });
  });

  it('finds deleted entries at the end, by the chain head', async () => {
    const { tx } = chain();
    tx.rows.pop();
    expect(await verify(tx)).toMatchObject({ ok: false });
  });

  it('finds entries swapped in order', async () => {
    const { tx } = chain();
    const [a, b] = [tx.rows[0], tx.rows[1]];
    tx.rows[0] = { ...b, seq: 1 };
    tx.rows[1] = { ...a, seq: 2 };
    expect(await verify(tx)).toMatchObject({ ok: false, seq: 1 });
  });
});

describe('verifyChain across the upgrade: old-format entries, then compact ones chained onto them', () => {
  it('passes an untouched mixed chain; the first compact entry links to the last old hash', async () => {
    const tx = mixed();
    expect(await verify(tx)).toEqual({ ok: true, entries: 6 });
    expect(tx.rows[3].hash).toBe(entryHash(tx.rows[2].hash, tx.rows[3]));
  });

  it('finds an old entry changed: a column (against its body), its body, its stored prevHash', async () => {
    const cases: Array<[(r: AuditRecord) => void, string]> = [
      [(r) => { r.target = 'x'; }, 'entry 2 was altered: its columns differ from its hashed content'],
      [(r) => { r.batch = 'b9'; }, 'entry 2 was altered: its columns differ from its hashed content'],
      [(r) => { r.body = r.body.replace('on leave', 'fired'); }, 'entry 2 was altered: its hash does not match its content'],
      [(r) => { r.prevHash = 'f'.repeat(64); }, 'entry 2 does not link to the entry before it'],
    ];
    for (const [change, problem] of cases) {
      const tx = mixed();
      change(tx.rows[1]);
      expect(await verify(tx)).toEqual({ ok: false, entries: 1, seq: 2, problem });
    }
  });

  it('finds the last old entry deleted, or the first compact one', async () => {
    for (const gone of [2, 3]) {
      const tx = mixed();
      tx.rows.splice(gone, 1);
      expect(await verify(tx)).toMatchObject({ ok: false, seq: gone + 2, problem: `entry ${gone + 1} is missing (found ${gone + 2} next)` });
    }
  });

  it('finds an old entry rewritten with a fresh hash: the first compact entry no longer links', async () => {
    const tx = mixed();
    const r = tx.rows[2];
    r.body = r.body.replace('"reason":null', '"reason":"quietly added"');
    r.hash = sha256(r.prevHash + '\n' + r.body);
    expect(await verify(tx)).toMatchObject({ ok: false, seq: 4, problem: 'entry 4 was altered: its hash does not match its content' });
  });

  it('finds entries swapped across the boundary, and an old-format entry after a compact one', async () => {
    const swapped = mixed();
    [swapped.rows[2], swapped.rows[3]] = [{ ...swapped.rows[3], seq: 3 }, { ...swapped.rows[2], seq: 4 }];
    expect(await verify(swapped)).toMatchObject({ ok: false, seq: 3 });
    // An old entry made to follow the compact ones (all hashes right for its own format) is still out of place.
    const old = oldFormatRecords(top(mixed().rows), AT, 'alice@acme.example', 'bx', events.slice(0, 1));
    const tx = mixed();
    tx.rows.push(...old);
    tx.head = top(tx.rows);
    expect(await verify(tx)).toEqual({ ok: false, entries: 6, seq: 7, problem: 'entry 7 is out of place: an entry in the old format after newer ones' });
  });
});

describe('through the SQLite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rc-unit-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let n = 0;
  async function logged(): Promise<SqliteStore> {
    const store = SqliteStore.open(join(dir, `ws${++n}.db`), { create: true });
    await store.write(async (tx) => tx.appendAudit(chainEvents(await tx.auditHead(), AT, 'alice@acme.example', 'b1', events.slice(0, 2))));
    await store.write(async (tx) => tx.appendAudit(chainEvents(await tx.auditHead(), AT, 'alice@acme.example', 'b2', events.slice(2))));
    return store;
  }

  it('appends chained events compact (a 32-byte hash, one batch range per write) and verifies them', async () => {
    const store = await logged();
    try {
      expect(await store.read((tx) => verifyChain(tx))).toEqual({ ok: true, entries: 3 });
      expect(await store.read((tx) => tx.auditHead())).toMatchObject({ seq: 3 });
      expect(store.db.prepare('SELECT first_seq, last_seq, batch FROM audit_batches ORDER BY first_seq').raw().all()).toEqual([[1, 2, 'b1'], [3, 3, 'b2']]);
      expect(store.db.prepare('SELECT length(hash) FROM audit').pluck().all()).toEqual([32, 32, 32]);
    } finally {
      await store.close();
    }
  });

  it.each([
    ["UPDATE audit SET target = 'x' WHERE seq = 2", 2],
    ["UPDATE audit SET body = replace(body, 'Bob', 'Eve') WHERE seq = 1", 1],
    ["UPDATE audit SET hash = zeroblob(32) WHERE seq = 3", 3],
    ["UPDATE audit_batches SET batch = 'b9' WHERE first_seq = 3", 3],
    ['UPDATE audit_batches SET last_seq = 1 WHERE first_seq = 1', 2],
    ['UPDATE audit_batches SET first_seq = 2 WHERE first_seq = 3', 2],
    ['DELETE FROM audit_batches WHERE first_seq = 1', 1],
    ["INSERT INTO audit_batches VALUES (2, 2, 'b2')", 2],
  ])('sees tampering done with SQL: %s (broken at %i)', async (sql, seq) => {
    const store = await logged();
    try {
      store.db.exec(sql as string);
      expect(await store.read((tx) => verifyChain(tx))).toMatchObject({ ok: false, seq });
    } finally {
      await store.close();
    }
  });
});
