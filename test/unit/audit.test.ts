// src/core/audit.ts: the hash chain of SPEC §9, built by chainEvents and checked by verifyChain.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chainEvents, chainHash, entryOf, verifyChain, type AuditEvent } from '../../src/core/audit/chain.js';
import { sha256 } from '../../src/core/credentials.js';
import type { AuditRecord } from '../../src/core/model.js';
import type { Tx } from '../../src/core/store.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';

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

function chain(): { rows: AuditRecord[]; tx: FakeTx } {
  const first = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events.slice(0, 2));
  const last = first[first.length - 1];
  const second = chainEvents({ seq: last.seq, hash: last.hash }, AT, 'alice@acme.example', 'b2', events.slice(2));
  const rows = [...first, ...second];
  const top = rows[rows.length - 1];
  return { rows, tx: new FakeTx(rows.map((r) => ({ ...r })), { seq: top.seq, hash: top.hash }) };
}

const verify = (tx: FakeTx) => verifyChain(tx as unknown as Tx);

describe('chainEvents', () => {
  it('numbers events after the head and links each to the one before', () => {
    const rows = chainEvents({ seq: 41, hash: 'h41' }, AT, 'alice@acme.example', 'b1', events);
    expect(rows.map((r) => r.seq)).toEqual([42, 43, 44]);
    expect(rows[0].prevHash).toBe('h41');
    expect(rows[1].prevHash).toBe(rows[0].hash);
    expect(rows[2].prevHash).toBe(rows[1].hash);
    for (const r of rows) expect(r.hash).toBe(chainHash(r.prevHash, r.body));
  });

  it('hashes the previous hash and the stored body with SHA-256', () => {
    const [r] = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events.slice(0, 1));
    expect(r.hash).toBe(sha256('' + '\n' + r.body));
  });

  it('records time, actor, action, target, reason and batch in the hashed body', () => {
    const rows = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events);
    const e = entryOf(rows[1]);
    expect(e).toMatchObject({ seq: 2, at: AT, actor: 'alice@acme.example', action: 'member.suspend', target: 'bob@acme.example', reason: 'on leave', batch: 'b1' });
    expect(rows[1]).toMatchObject({ at: AT, actor: 'alice@acme.example', action: 'member.suspend', target: 'bob@acme.example', batch: 'b1' });
    expect(entryOf(rows[0]).after).toEqual({ name: 'Bob' });
  });

  it('lets an event override the actor: null for what the system does', () => {
    const rows = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events);
    expect(rows[2].actor).toBeNull();
    expect(entryOf(rows[2]).actor).toBeNull();
  });

  it('changes every later hash when an earlier body differs', () => {
    const a = chainEvents({ seq: 0, hash: '' }, AT, 'alice@acme.example', 'b1', events);
    const b = chainEvents({ seq: 0, hash: '' }, AT, 'mallory@acme.example', 'b1', events);
    for (let i = 0; i < a.length; i++) expect(a[i].hash).not.toBe(b[i].hash);
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

  it('finds a column changed outside its hashed body', async () => {
    const { tx } = chain();
    tx.rows[1].target = 'x';
    expect(await verify(tx)).toMatchObject({ ok: false, seq: 2 });
  });

  it('finds a body changed (its hash no longer matches)', async () => {
    const { tx } = chain();
    tx.rows[0].body = tx.rows[0].body.replace('Bob', 'Eve');
    expect(await verify(tx)).toMatchObject({ ok: false, seq: 1 });
  });

  it('finds a body rewritten with a fresh hash: the next link breaks', async () => {
    const { tx } = chain();
    tx.rows[0].body = tx.rows[0].body.replace('Bob', 'Eve');
    tx.rows[0].hash = chainHash(tx.rows[0].prevHash, tx.rows[0].body);
    expect(await verify(tx)).toMatchObject({ ok: false, seq: 2 });
  });

  it('finds a deleted entry in the middle', async () => {
    const { tx } = chain();
    tx.rows.splice(1, 1);
    expect(await verify(tx)).toMatchObject({ ok: false });
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

describe('through the SQLite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rc-unit-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('appends chained events, verifies them, and sees tampering done with SQL', async () => {
    const store = SqliteStore.open(join(dir, 'ws.db'), { create: true });
    try {
      await store.write(async (tx) => tx.appendAudit(chainEvents(await tx.auditHead(), AT, 'alice@acme.example', 'b1', events.slice(0, 2))));
      await store.write(async (tx) => tx.appendAudit(chainEvents(await tx.auditHead(), AT, 'alice@acme.example', 'b2', events.slice(2))));
      expect(await store.read((tx) => verifyChain(tx))).toEqual({ ok: true, entries: 3 });
      expect(await store.read((tx) => tx.auditHead())).toMatchObject({ seq: 3 });
      store.db.prepare("UPDATE audit SET target = 'x' WHERE seq = 2").run();
      expect(await store.read((tx) => verifyChain(tx))).toMatchObject({ ok: false, seq: 2 });
    } finally {
      await store.close();
    }
  });
});
