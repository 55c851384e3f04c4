// The audit log as tamper tests reach it: with SQL on the workspace's own database, as someone who
// holds the database (not the program) would. Compact entries are in `audit` (the hash as 32 bytes,
// the batch as a range in audit_batches), entries from before schema version 4 in `audit_v1`.
import { createHash } from 'node:crypto';
import type { World } from './world.js';

/** SQL for a column holding bytes, as lower-case hex text. */
export const hexSql = (w: World, column: string) => (w.isPg ? `encode(${column}, 'hex')` : `lower(hex(${column}))`);
/** SQL for hex text as bytes. */
export const bytesSql = (w: World, hex: string) => (w.isPg ? `decode('${hex}', 'hex')` : `X'${hex}'`);
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** An entry's batch, as the program resolves it: the range with the greatest first_seq at or below it. */
const batchSql = `(SELECT b.batch FROM audit_batches b WHERE b.first_seq <= a.seq ORDER BY b.first_seq DESC LIMIT 1)`;

export interface StoredEntry {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  target: string;
  batch: string;
  body: string;
}

/** Compact entries from `seq` on, oldest first, each column as stored. */
export function compactEntries(w: World, fromSeq: number): StoredEntry[] {
  const json = w.isPg
    ? `SELECT json_build_array(a.seq, a.at, a.actor, a.action, a.target, ${batchSql}, a.body)::text FROM audit a WHERE a.seq >= ${fromSeq} ORDER BY a.seq`
    : `SELECT json_array(a.seq, a.at, a.actor, a.action, a.target, ${batchSql}, a.body) FROM audit a WHERE a.seq >= ${fromSeq} ORDER BY a.seq`;
  const out = w.sql(json);
  return out ? out.split('\n').map((line) => {
    const [seq, at, actor, action, target, batch, body] = JSON.parse(line);
    return { seq, at, actor, action, target, batch, body };
  }) : [];
}

/** The compact hash, computed outside the program (core/audit/chain.ts entryHash). */
export function compactHash(prev: string, e: StoredEntry): string {
  return createHash('sha256').update(prev + '\n' + JSON.stringify([e.seq, e.at, e.actor, e.action, e.target, e.batch]) + '\n' + e.body).digest('hex');
}

/** The stored hash of entry `seq`, in hex, whichever table holds it. */
export function storedHash(w: World, seq: number): string {
  return w.sql(`SELECT ${hexSql(w, 'hash')} FROM audit WHERE seq = ${seq}`) || w.sql(`SELECT hash FROM audit_v1 WHERE seq = ${seq}`);
}

/**
 * Changes compact entry `seq` (`change` edits its stored columns and body), then recomputes every
 * later hash and the chain head, as someone with the database and the code would.
 */
export function rewriteCompact(w: World, seq: number, change: (e: StoredEntry) => void) {
  let prev = seq > 1 ? storedHash(w, seq - 1) : '';
  const updates: string[] = [];
  for (const e of compactEntries(w, seq)) {
    if (e.seq === seq) change(e);
    const hash = compactHash(prev, e);
    updates.push(`UPDATE audit SET body = ${literal(e.body)}, target = ${literal(e.target)}, hash = ${bytesSql(w, hash)} WHERE seq = ${e.seq}`);
    prev = hash;
  }
  updates.push(`UPDATE chain_head SET hash = ${literal(prev)} WHERE id = 1`);
  w.sql(updates.join('; '));
}
