// src/core/audit/anchor.ts: recorded heads (SPEC §14, audit anchors), parsed and checked against the chain.
import { describe, expect, it } from 'vitest';
import { checkHeads, formatHead, headProblem, parseHead, parseHeadList, readHead, verifyAnchored, type AuditHead } from '../../src/core/audit/anchor.js';
import { chainEvents, entryHash, verifyChain, type AuditEvent } from '../../src/core/audit/chain.js';
import { refusal } from '../helpers/refusal.js';
import type { AuditRecord } from '../../src/core/model.js';
import type { Tx } from '../../src/core/store.js';

const AT = '2030-01-07T09:00:00.000Z';
const H = (c: string) => c.repeat(64);
const events = (n: number, who = 'bob'): AuditEvent[] => Array.from({ length: n }, (_, i) => ({ action: 'member.add', target: `${who}${i}@acme.example` }));

/** What the chain and head checks read: the log in pages, the newest entries, the chain head. Counts page reads. */
class FakeTx {
  pageReads = 0;
  constructor(public rows: AuditRecord[], public head: AuditHead) {}
  async auditPage(afterSeq: number, limit: number) {
    this.pageReads++;
    return this.rows.filter((r) => r.seq > afterSeq).sort((a, b) => a.seq - b.seq).slice(0, limit);
  }
  async listAudit(filter: { limit?: number }) {
    return [...this.rows].sort((a, b) => b.seq - a.seq).slice(0, filter.limit);
  }
  async auditHead() {
    return this.head;
  }
  get tx(): Tx {
    return this as unknown as Tx;
  }
  /** The head as `rollcall audit head` would print it now. */
  top(): AuditHead {
    const last = this.rows[this.rows.length - 1];
    return last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: '' };
  }
}

/** A chain of n entries, written in batches of 2. */
function chainOf(n: number): FakeTx {
  const rows: AuditRecord[] = [];
  let head: AuditHead = { seq: 0, hash: '' };
  for (let i = 0; i < n; i += 2) {
    const batch = chainEvents(head, AT, 'alice@acme.example', `b${i}`, events(Math.min(2, n - i)).map((e, j) => ({ ...e, target: `m${i + j}@acme.example` })));
    rows.push(...batch);
    head = { seq: batch[batch.length - 1].seq, hash: batch[batch.length - 1].hash };
  }
  return new FakeTx(rows, head);
}

/** What someone with the database and the code does: change entry `seq`'s target, recompute every later hash and the head. */
function rewriteFrom(tx: FakeTx, seq: number) {
  let prev = seq > 1 ? tx.rows[seq - 2].hash : '';
  for (const r of tx.rows.filter((x) => x.seq >= seq)) {
    if (r.seq === seq) r.target = `eve-${r.target}`;
    r.hash = entryHash(prev, r);
    prev = r.hash;
  }
  tx.head = tx.top();
}

/** Deletes the newest entries and moves the head onto the new last one. */
function truncateTo(tx: FakeTx, seq: number) {
  tx.rows = tx.rows.filter((r) => r.seq <= seq);
  tx.head = tx.top();
}

describe('parseHead and formatHead', () => {
  it('read SEQ:HASH back as formatHead writes it', () => {
    const head = { seq: 42, hash: H('a1').slice(0, 64) };
    expect(formatHead(head)).toBe(`42:${head.hash}`);
    expect(parseHead(formatHead(head))).toEqual(head);
  });

  it('trims spaces and takes hex in either case, keeping it lower-case', () => {
    expect(parseHead(`  7:${H('AB').slice(0, 64)}\n`)).toEqual({ seq: 7, hash: H('ab').slice(0, 64) });
  });

  it('reads 0: as the empty log, which audit head prints before any entry', () => {
    expect(parseHead('0:')).toEqual({ seq: 0, hash: '' });
  });

  it('refuses anything else as INVALID_INPUT pointing at the head field', () => {
    for (const bad of ['', '7', `7${H('a')}`, `:${H('a')}`, `-1:${H('a')}`, `1.5:${H('a')}`, `7:${H('a').slice(1)}`, `7:${H('a')}0`, `7:${H('g')}`,
      `7: ${H('a')}`, '0:abc', `7:`, `1234567890123456:${H('a')}`, `7:${H('a')} 8:${H('b')}`]) {
      const e = refusal(() => parseHead(bad));
      expect({ bad, code: e.code, field: e.field }).toEqual({ bad, code: 'INVALID_INPUT', field: 'head' });
      expect(e.message).toContain('not an audit head');
    }
  });

  it('shows at most 80 characters of what it refuses', () => {
    expect(refusal(() => parseHead('x'.repeat(5000))).message.length).toBeLessThan(120);
  });
});

describe('parseHeadList', () => {
  it('reads one head a line, skipping blank lines and # comments, whole-line or after the head', () => {
    const text = `\uFEFF# heads kept by CI\n\n3:${H('a')}\r\n  5:${H('b')}   # after the deploy\n#7:${H('c')}\n`;
    expect(parseHeadList(text, 'heads.txt')).toEqual([{ seq: 3, hash: H('a') }, { seq: 5, hash: H('b') }]);
  });

  it('reads no heads from a file of comments', () => {
    expect(parseHeadList('# nothing yet\n\n', 'heads.txt')).toEqual([]);
  });

  it('names the source and the line of a malformed head', () => {
    const e = refusal(() => parseHeadList(`3:${H('a')}\n\n3:${H('a').slice(2)}\n`, 'heads.txt'));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.field).toBe('head');
    expect(e.message).toMatch(/^heads\.txt, line 3: not an audit head/);
  });
});

describe('checkHeads', () => {
  it('holds every head taken from an honest chain, however many entries came after', async () => {
    const tx = chainOf(3);
    const early = tx.top();
    const grown = chainOf(9);
    // chainOf is deterministic: the first 3 entries of a 9-entry chain are the 3-entry chain.
    expect(await checkHeads(grown.tx, [early, grown.top()])).toEqual([{ ...early, ok: true }, { ...grown.top(), ok: true }]);
  });

  it('looks each head up once, without walking the chain', async () => {
    const tx = chainOf(40);
    const heads = [5, 17, 40].map((seq) => ({ seq, hash: tx.rows[seq - 1].hash }));
    tx.pageReads = 0;
    expect((await checkHeads(tx.tx, heads)).every((c) => c.ok)).toBe(true);
    expect(tx.pageReads).toBe(3);
  });

  it('checks a head given twice once', async () => {
    const tx = chainOf(4);
    expect(await checkHeads(tx.tx, [tx.top(), { ...tx.top() }])).toHaveLength(1);
  });

  it('finds a truncation that also moved the chain head: the recorded entry is missing, the chain shorter', async () => {
    const tx = chainOf(8);
    const recorded = tx.top();
    truncateTo(tx, 5);
    expect(await verifyChain(tx.tx)).toEqual({ ok: true, entries: 5 }); // the chain alone cannot tell
    const [check] = await checkHeads(tx.tx, [recorded]);
    expect(check).toMatchObject({ seq: 8, ok: false });
    expect(check.problem).toMatch(/entry 8 is missing: the chain is shorter, it ends at entry 5/);
  });

  it('finds a rewrite with recomputed hashes below the head: a different hash', async () => {
    const tx = chainOf(8);
    const recorded = tx.top();
    const before = { seq: 2, hash: tx.rows[1].hash };
    rewriteFrom(tx, 3);
    expect(await verifyChain(tx.tx)).toEqual({ ok: true, entries: 8 });
    const [still, broken] = await checkHeads(tx.tx, [before, recorded]);
    expect(still).toEqual({ ...before, ok: true }); // entries 1..2 are untouched
    expect(broken).toMatchObject({ seq: 8, ok: false });
    expect(broken.problem).toMatch(/entry 8 has a different hash: .*rewritten, or rolled back/);
  });

  it('finds a rollback to an older copy that has since grown past the head: a different hash', async () => {
    const later = chainOf(6);
    const recorded = later.top();
    // The older copy had 4 entries; different work then went on from there.
    const older = chainOf(4);
    const more = chainEvents(older.top(), AT, 'mallory@acme.example', 'bx', events(3, 'eve'));
    older.rows.push(...more);
    older.head = older.top();
    expect(await verifyChain(older.tx)).toEqual({ ok: true, entries: 7 });
    const [check] = await checkHeads(older.tx, [recorded]);
    expect(check).toMatchObject({ seq: 6, ok: false });
    expect(check.problem).toMatch(/different hash/);
  });

  it('says "missing" without "shorter" when an entry is gone from the middle', async () => {
    const tx = chainOf(6);
    const recorded = { seq: 3, hash: tx.rows[2].hash };
    tx.rows.splice(2, 1);
    const [check] = await checkHeads(tx.tx, [recorded]);
    expect(check.problem).toBe('entry 3 is missing from the chain');
  });

  it('holds the empty head 0: for any chain', async () => {
    expect(await checkHeads(chainOf(3).tx, [{ seq: 0, hash: '' }])).toEqual([{ seq: 0, hash: '', ok: true }]);
  });
});

describe('verifyAnchored', () => {
  it('is verifyChain exactly when no heads are given', async () => {
    const tx = chainOf(5);
    expect(await verifyAnchored(tx.tx)).toEqual(await verifyChain(tx.tx));
  });

  it('adds heads: [{seq, hash, ok}] when heads are given, even none', async () => {
    const tx = chainOf(5);
    expect(await verifyAnchored(tx.tx, [])).toEqual({ ok: true, entries: 5, heads: [] });
    expect(await verifyAnchored(tx.tx, [tx.top()])).toEqual({ ok: true, entries: 5, heads: [{ ...tx.top(), ok: true }] });
  });

  it('fails on a head that no longer holds, naming it in seq and problem', async () => {
    const tx = chainOf(5);
    const recorded = tx.top();
    truncateTo(tx, 3);
    const result = await verifyAnchored(tx.tx, [recorded]);
    expect(result).toMatchObject({ ok: false, entries: 3, seq: 5, heads: [{ seq: 5, ok: false }] });
    if (result.ok) throw new Error('unreachable');
    expect(result.problem).toBe(headProblem(result.heads![0]));
    expect(result.problem).toContain(`recorded head ${formatHead(recorded)} no longer holds`);
  });

  it('reports the chain\'s own broken link first, and still checks the heads', async () => {
    const tx = chainOf(5);
    const recorded = tx.top();
    tx.rows[1].target = 'x';
    const result = await verifyAnchored(tx.tx, [recorded]);
    expect(result).toMatchObject({ ok: false, seq: 2, heads: [{ seq: 5, ok: true }] });
  });
});

describe('readHead', () => {
  it('is the chain head when it names the last entry', async () => {
    const tx = chainOf(5);
    expect(await readHead(tx.tx)).toEqual(tx.top());
    expect(await readHead(new FakeTx([], { seq: 0, hash: '' }).tx)).toEqual({ seq: 0, hash: '' });
  });

  it('refuses a head that does not match the last entry (INVALID_STATE): it would anchor a broken log', async () => {
    const behind = chainOf(5);
    behind.head = { seq: 4, hash: behind.rows[3].hash };
    const wrongHash = chainOf(5);
    wrongHash.head = { seq: 5, hash: H('0') };
    const ahead = chainOf(5);
    ahead.rows.pop();
    for (const tx of [behind, wrongHash, ahead]) await expect(readHead(tx.tx)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });
});
