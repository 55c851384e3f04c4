// The audit format written before schema version 4, exactly as main's chain.ts made it (4648b70 …
// c532ee2): a body repeating every column (`JSON.stringify` of the whole entry, in this key order),
// the previous hash stored beside it, and hash = sha256(prevHash + "\n" + body). Tests build old
// entries with it, to check that the current code reads and verifies a log that began in that format.
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../src/core/audit/chain.js';
import type { AuditRecord } from '../../src/core/model.js';

export function oldFormatRecords(head: { seq: number; hash: string }, at: string, actor: string | null, batch: string, events: readonly AuditEvent[]): AuditRecord[] {
  let { seq, hash } = head;
  return events.map((e) => {
    seq += 1;
    const entry = {
      seq, at, actor: e.actor !== undefined ? e.actor : actor, action: e.action, target: e.target, targetId: e.targetId ?? null,
      before: e.before ?? null, after: e.after ?? null, reason: e.reason ?? null, batch,
    };
    const body = JSON.stringify(entry);
    const record: AuditRecord = {
      seq, at, actor: entry.actor, action: e.action, target: e.target, batch, body, prevHash: hash,
      hash: createHash('sha256').update(hash + '\n' + body).digest('hex'),
    };
    hash = record.hash;
    return record;
  });
}

/** Old records as rows of the audit_v1 table (what loadTable takes, and what they were in `audit` before). */
export const oldRows = (records: readonly AuditRecord[]) => records.map((r) => ({
  seq: r.seq, at: r.at, actor: r.actor, action: r.action, target: r.target, batch: r.batch, body: r.body, prev_hash: r.prevHash, hash: r.hash,
}));
