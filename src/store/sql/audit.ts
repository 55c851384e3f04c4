// The audit log's SQL (Tx's audit methods), the same on both backends, over the two formats
// (core/audit/chain.ts): compact entries in `audit`, their batches as seq ranges in `audit_batches`
// (one row per write, not a column and an index entry per entry), and the entries written before
// schema version 4, untouched, in `audit_v1` (in `audit` itself on a workspace read at an older
// version, see layout.ts). Every old entry comes before every compact one: lists and pages read the
// compact table and the old one in turn, never a UNION that would sort them together.
import type { AuditRecord } from '../../core/model.js';
import type { AuditFilter } from '../../core/store.js';
import { auditWhere } from './audit-filter.js';
import { chunks, mapBatches, mapped, type SqlDriver } from './driver.js';
import type { Layout } from './layout.js';

const OLD_COLUMNS = 'seq, at, actor, action, target, batch, body, prev_hash, hash';
const COMPACT_COLUMNS = ['seq', 'at', 'actor', 'action', 'target', 'body', 'hash'] as const;
const BATCH_COLUMNS = ['first_seq', 'last_seq', 'batch'] as const;
/**
 * An entry's batch: that of the range with the greatest first_seq at or below it, if the range
 * reaches it ('' otherwise: only a damaged table leaves an entry outside every range, and then its
 * hash, which covers the batch, no longer matches). batchSpans and the scan resolve it the same way.
 */
const BATCH_OF = `COALESCE((SELECT CASE WHEN b.last_seq >= audit.seq THEN b.batch END FROM audit_batches b
  WHERE b.first_seq <= audit.seq ORDER BY b.first_seq DESC LIMIT 1), '')`;
const COMPACT_SELECT = `SELECT seq, at, actor, action, target, ${BATCH_OF}, body, hash FROM audit`;
/** Ranges of a batch per query (an invocation writes one a transaction; a long one may write many). */
const SPANS_PER_QUERY = 200;

/** A stored hash as hex: a BLOB/bytea as written, or text should someone have put text there. */
const hexOf = (v: unknown): string => (typeof v === 'string' ? v : Buffer.from(v as Uint8Array).toString('hex'));

const oldFromValues = (v: any[]): AuditRecord => ({
  seq: Number(v[0]), at: v[1], actor: v[2] ?? null, action: v[3], target: v[4], batch: v[5], body: v[6], hash: v[8], prevHash: v[7],
});
const compactFromValues = (v: any[]): AuditRecord => ({
  seq: Number(v[0]), at: v[1], actor: v[2] ?? null, action: v[3], target: v[4], batch: v[5], body: v[6], hash: hexOf(v[7]),
});

/** 64 lower-case hex digits (what /^[0-9a-f]{64}$/ matches), checked without a regex: once per entry written. */
function isSha256Hex(h: string): boolean {
  if (typeof h !== 'string' || h.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = h.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/** Compact entries' column values (COMPACT_COLUMNS), the hash as its 32 bytes. */
function compactValues(a: AuditRecord): unknown[] {
  if (a.prevHash !== undefined) throw new Error(`appendAudit: entry ${a.seq} is in the old format, which is never written`);
  if (!isSha256Hex(a.hash)) throw new Error(`appendAudit: entry ${a.seq} has no SHA-256 hash in hex`);
  return [a.seq, a.at, a.actor, a.action, a.target, a.body, Buffer.from(a.hash, 'hex')];
}

export class AuditSql {
  constructor(private readonly db: SqlDriver, private readonly layout: Layout) {}

  /** The table of old-format entries. */
  private get old(): string {
    return this.layout.compactAudit ? 'audit_v1' : 'audit';
  }

  async head() {
    const [r] = await this.db.all('SELECT seq, hash FROM chain_head WHERE id = 1');
    return { seq: Number(r?.seq ?? 0), hash: (r?.hash as string) ?? '' };
  }

  async append(rows: Iterable<AuditRecord>) {
    if (!this.layout.compactAudit) throw new Error('appendAudit: the workspace was not upgraded to schema version 4');
    const ranges: [first: number, last: number, batch: string][] = [];
    let last: AuditRecord | undefined;
    await this.db.insertRows('audit', COMPACT_COLUMNS, mapped(rows, (a) => {
      const range = ranges[ranges.length - 1];
      if (range && range[2] === a.batch && range[1] === a.seq - 1) range[1] = a.seq;
      else ranges.push([a.seq, a.seq, a.batch]);
      last = a;
      return compactValues(a);
    }));
    if (!last) return;
    // Ranges past the head name no entry (a log truncated by hand leaves them): the new ones replace them.
    await this.db.run('DELETE FROM audit_batches WHERE first_seq >= ?', [ranges[0][0]]);
    await this.db.insertRows('audit_batches', BATCH_COLUMNS, ranges);
    await this.db.run('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1', [last.seq, last.hash]);
  }

  /** Newest first: the compact entries, then the old ones, within the limit. */
  async list(f: AuditFilter): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    for await (const batch of this.listBatches(f, Infinity)) out.push(...batch);
    return out;
  }

  /** list(), a batch of `batchSize` at a time as consumed (Infinity: each query's rows at once). */
  async *listBatches(f: AuditFilter, batchSize: number): AsyncGenerator<AuditRecord[]> {
    let left = f.limit ?? 100;
    for await (const [sql, params, fromValues] of this.listQueries(f)) {
      if (left <= 0) return;
      const rows = batchSize === Infinity ? [await this.db.arrays(sql, [...params, left])] : this.db.scan(sql, [...params, left], batchSize);
      for await (const batch of rows) {
        if (!batch.length) continue;
        left -= batch.length;
        yield batch.map(fromValues);
      }
    }
  }

  /** The queries a listing runs in turn, newest entries first, each ending in a LIMIT to bind. */
  private async *listQueries(f: AuditFilter): AsyncGenerator<[string, unknown[], (v: any[]) => AuditRecord]> {
    const { where, params } = auditWhere(f);
    const byBatch = f.batch !== undefined && f.batch !== '';
    if (this.layout.compactAudit) {
      const query = (extra: string[], extraParams: unknown[]): [string, unknown[], (v: any[]) => AuditRecord] => {
        const all = [...where, ...extra];
        return [`${COMPACT_SELECT}${all.length ? ' WHERE ' + all.join(' AND ') : ''} ORDER BY seq DESC LIMIT ?`, [...params, ...extraParams], compactFromValues];
      };
      if (!byBatch) yield query([], []);
      // A batch's entries: its ranges, newest first, each as far as the next range begins.
      else for (const spans of chunks(await this.batchSpans(f.batch!), SPANS_PER_QUERY)) yield query([`(${spans.map(() => 'seq BETWEEN ? AND ?').join(' OR ')})`], spans.flat());
    }
    const old = byBatch ? [...where, 'batch = ?'] : where;
    yield [`SELECT ${OLD_COLUMNS} FROM ${this.old}${old.length ? ' WHERE ' + old.join(' AND ') : ''} ORDER BY seq DESC LIMIT ?`, byBatch ? [...params, f.batch] : params, oldFromValues];
  }

  /** The seq spans whose entries belong to a batch, newest first (BATCH_OF's rule). */
  private async batchSpans(batch: string): Promise<[number, number][]> {
    const rows = await this.db.arrays(`SELECT b.first_seq, b.last_seq, (SELECT MIN(n.first_seq) FROM audit_batches n WHERE n.first_seq > b.first_seq)
      FROM audit_batches b WHERE b.batch = ? ORDER BY b.first_seq DESC`, [batch]);
    return rows.map(([first, last, next]): [number, number] => [Number(first), next == null ? Number(last) : Math.min(Number(last), Number(next) - 1)])
      .filter(([first, last]) => first <= last);
  }

  /** Oldest first after a seq: the old entries, then the compact ones. */
  async page(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    const out = (await this.db.arrays(`SELECT ${OLD_COLUMNS} FROM ${this.old} WHERE seq > ? ORDER BY seq LIMIT ?`, [afterSeq, limit])).map(oldFromValues);
    if (this.layout.compactAudit && out.length < limit) {
      out.push(...(await this.db.arrays(`${COMPACT_SELECT} WHERE seq > ? ORDER BY seq LIMIT ?`, [afterSeq, limit - out.length])).map(compactFromValues));
    }
    return out;
  }

  /** The chain after a seq, oldest first, in batches of `batchSize` across both tables. */
  async *scan(afterSeq: number, batchSize: number): AsyncGenerator<AuditRecord[]> {
    let buffer: AuditRecord[] = [];
    for (const source of [() => this.scanOld(afterSeq, batchSize), () => this.scanCompact(afterSeq, batchSize)]) {
      // One scan at a time: the next starts (and its ranges are read) once the previous has ended.
      for await (const batch of source()) {
        for (const r of batch) {
          buffer.push(r);
          if (buffer.length >= batchSize) {
            yield buffer;
            buffer = [];
          }
        }
      }
    }
    if (buffer.length) yield buffer;
  }

  private scanOld(afterSeq: number, batchSize: number) {
    return mapBatches(this.db.scan(`SELECT ${OLD_COLUMNS} FROM ${this.old} WHERE seq > ? ORDER BY seq`, [afterSeq], batchSize), oldFromValues);
  }

  /** Compact entries with their batches, from the ranges read first (one per write: few) and walked alongside. */
  private async *scanCompact(afterSeq: number, batchSize: number): AsyncGenerator<AuditRecord[]> {
    if (!this.layout.compactAudit) return;
    const ranges = await this.db.arrays(`SELECT first_seq, last_seq, batch FROM audit_batches
      WHERE first_seq >= COALESCE((SELECT MAX(first_seq) FROM audit_batches WHERE first_seq <= ?), 0) ORDER BY first_seq`, [afterSeq + 1]);
    let i = 0;
    const batchOf = (seq: number): string => {
      while (i + 1 < ranges.length && Number(ranges[i + 1][0]) <= seq) i++;
      const r = ranges[i];
      return r && Number(r[0]) <= seq && Number(r[1]) >= seq ? (r[2] as string) : '';
    };
    const sql = `SELECT ${COMPACT_COLUMNS.join(', ')} FROM audit WHERE seq > ? ORDER BY seq`;
    for await (const batch of this.db.scan(sql, [afterSeq], batchSize)) {
      yield batch.map((v: any[]) => {
        const seq = Number(v[0]);
        return { seq, at: v[1], actor: v[2] ?? null, action: v[3], target: v[4], batch: batchOf(seq), body: v[5], hash: hexOf(v[6]) };
      });
    }
  }
}
