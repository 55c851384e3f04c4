// The append-only, hash-chained audit log (SPEC §9). Each entry's hash covers the previous hash, the
// entry's columns in one canonical form, and the exact body text stored (never a re-serialisation,
// which a database may reorder), so any edit, deletion or reordering breaks the chain at that point.
//
// Two formats, one chain. Entries are written compact: the columns (seq, at, actor, action, target,
// batch) once, and a body holding only what has no column. Entries written before schema version 4
// keep the old format they were hashed in: a body repeating every column, and the previous hash
// stored beside it (`prevHash`). The first compact entry chains onto the last old one's hash, so a
// head recorded before the upgrade still holds after it.
import { sha256 } from '../credentials.js';
import type { AuditRecord } from '../model.js';
import type { AuditFilter, Tx } from '../store.js';
import type { AuditAction } from './actions.js';

export interface AuditEvent {
  action: AuditAction;
  /** An email, group name, org path or role name; a member's email for its group memberships. */
  target: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  /** Overrides the acting member: null for what the system does by itself (automatic purge, lockout). */
  actor?: string | null;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  target: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  batch: string;
}

/** The fields an entry's columns hold. */
export type AuditColumns = Pick<AuditRecord, 'seq' | 'at' | 'actor' | 'action' | 'target' | 'batch'>;

/** An old-format entry's hash (entries written before schema version 4): the previous hash and the whole-event body. */
export function chainHash(prevHash: string, body: string): string {
  return sha256(prevHash + '\n' + body);
}

/** A value as JSON.stringify writes it inside an array (where undefined is null). */
const json = (v: unknown): string => (v === undefined ? 'null' : JSON.stringify(v));

/**
 * The columns in their canonical form from each column's JSON: the array JSON.stringify writes for
 * [seq, at, actor, action, target, batch]. A writer of many entries makes the JSON of the columns
 * they share (at, batch, mostly the actor) once (chainedRecords).
 */
function columnsOfJson(seq: string, at: string, actor: string, action: string, target: string, batch: string): string {
  return `[${seq},${at},${actor},${action},${target},${batch}]`;
}

/**
 * The columns in their canonical form: a JSON array in a fixed order. One line (JSON escapes every
 * line break), and never the start of an old-format body (`{`), so the two formats cannot be confused.
 */
export function columnsText(r: AuditColumns): string {
  return columnsOfJson(json(r.seq), json(r.at), json(r.actor), json(r.action), json(r.target), json(r.batch));
}

/** A compact entry's hash from its columns text: the previous hash, the columns and the stored body, a line each. */
function compactHash(prevHash: string, columns: string, body: string): string {
  return sha256(prevHash + '\n' + columns + '\n' + body);
}

/** A compact entry's hash. */
export function entryHash(prevHash: string, r: AuditColumns & { body: string }): string {
  return compactHash(prevHash, columnsText(r), r.body);
}

/** A compact entry's body: what has no column, in this order, nulls left out. */
export function bodyOf(e: AuditEvent): string {
  // Written out, not through a helper closure made per call: one body per entry, 100,000 in an apply.
  let body = '';
  if (e.targetId !== null && e.targetId !== undefined) body = '{"targetId":' + JSON.stringify(e.targetId);
  if (e.before !== null && e.before !== undefined) body += (body ? ',"before":' : '{"before":') + JSON.stringify(e.before);
  if (e.after !== null && e.after !== undefined) body += (body ? ',"after":' : '{"after":') + JSON.stringify(e.after);
  if (e.reason !== null && e.reason !== undefined) body += (body ? ',"reason":' : '{"reason":') + JSON.stringify(e.reason);
  return body ? body + '}' : '{}';
}

/**
 * Pending events as chained records after the current head, made one at a time as they are written
 * (a 100,000-member apply never holds all of its records and their bodies at once).
 */
export function* chainedRecords(head: { seq: number; hash: string }, at: string, actor: string | null, batch: string, events: Iterable<AuditEvent>): Generator<AuditRecord> {
  let { seq, hash } = head;
  // `at`, `batch` and mostly the actor are the same in every entry: their JSON is made once.
  const atJson = json(at);
  const batchJson = json(batch);
  const actorJson = json(actor);
  for (const e of events) {
    seq += 1;
    const record: AuditRecord = {
      seq, at, actor: e.actor !== undefined ? e.actor : actor, action: e.action, target: e.target, batch, body: bodyOf(e), hash: '',
    };
    const columns = columnsOfJson(json(seq), atJson, e.actor !== undefined ? json(e.actor) : actorJson, json(e.action), json(e.target), batchJson);
    hash = record.hash = compactHash(hash, columns, record.body);
    yield record;
  }
}

/** Turns pending events into chained records after the current head. */
export function chainEvents(head: { seq: number; hash: string }, at: string, actor: string | null, batch: string, events: AuditEvent[]): AuditRecord[] {
  return [...chainedRecords(head, at, actor, batch, events)];
}

/** The whole entry: an old-format body as it is, a compact one with its columns. */
export function entryOf(record: AuditRecord): AuditEntry {
  if (record.prevHash !== undefined) return JSON.parse(record.body) as AuditEntry;
  const b = JSON.parse(record.body) as Partial<AuditEntry>;
  return {
    seq: record.seq, at: record.at, actor: record.actor, action: record.action, target: record.target,
    targetId: b.targetId ?? null, before: b.before ?? null, after: b.after ?? null, reason: b.reason ?? null, batch: record.batch,
  };
}

export async function listAudit(tx: Tx, filter: AuditFilter): Promise<AuditEntry[]> {
  return (await tx.listAudit(filter)).map(entryOf);
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; seq: number; problem: string };

/** What verifyChain reads: the chain head, and the log a batch at a time (scanAudit, else auditPage's pages). */
export type ChainReader = Pick<Tx, 'auditHead' | 'auditPage'> & Partial<Pick<Tx, 'scanAudit'>>;

const PAGE = 5000;

async function* pagesOf(tx: ChainReader): AsyncGenerator<AuditRecord[]> {
  for (let page = await tx.auditPage(0, PAGE); page.length; page = await tx.auditPage(page[page.length - 1].seq, PAGE)) yield page;
}

/** Why an old-format entry does not hold (it links by its stored prevHash, and its body repeats its columns), or null. */
function oldFormatProblem(r: AuditRecord, prev: string): string | null {
  if (r.prevHash !== prev) return `entry ${r.seq} does not link to the entry before it`;
  if (chainHash(prev, r.body) !== r.hash) return `entry ${r.seq} was altered: its hash does not match its content`;
  let e: AuditEntry;
  try {
    e = entryOf(r);
  } catch {
    return `entry ${r.seq} is not readable`;
  }
  if (e.seq !== r.seq || e.at !== r.at || e.actor !== r.actor || e.action !== r.action || e.target !== r.target || e.batch !== r.batch) {
    return `entry ${r.seq} was altered: its columns differ from its hashed content`;
  }
  return null;
}

/** Walks the whole chain; reports the first broken link. */
export async function verifyChain(tx: ChainReader): Promise<VerifyResult> {
  let prev = '';
  let expectedSeq = 1;
  let count = 0;
  let compact = false;
  const broken = (r: AuditRecord, problem: string): VerifyResult => ({ ok: false, entries: count, seq: r.seq, problem });
  // A store streams the log; a reader with pages only (a test's double) is paged through.
  for await (const page of tx.scanAudit ? tx.scanAudit(0) : pagesOf(tx)) {
    for (const r of page) {
      if (r.seq !== expectedSeq) return broken(r, `entry ${expectedSeq} is missing (found ${r.seq} next)`);
      if (r.prevHash === undefined) {
        // Compact: the hash covers every column, the batch included, and the body as stored.
        if (entryHash(prev, r) !== r.hash) return broken(r, `entry ${r.seq} was altered: its hash does not match its content`);
        compact = true;
      } else {
        // Old entries all come before the first compact one: one after it was put there.
        const problem = compact ? `entry ${r.seq} is out of place: an entry in the old format after newer ones` : oldFormatProblem(r, prev);
        if (problem) return broken(r, problem);
      }
      prev = r.hash;
      expectedSeq++;
      count++;
    }
  }
  const head = await tx.auditHead();
  if (head.seq !== count || head.hash !== prev) {
    return { ok: false, entries: count, seq: head.seq, problem: `the chain head (entry ${head.seq}) does not match the last entry (${count}): entries were removed from the end` };
  }
  return { ok: true, entries: count };
}
