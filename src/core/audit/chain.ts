// The append-only, hash-chained audit log (SPEC §9). Each entry's hash covers the previous hash and
// the exact text stored (never a re-serialisation, which a database may reorder), so any edit,
// deletion or reordering breaks the chain at that point.
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

export function chainHash(prevHash: string, body: string): string {
  return sha256(prevHash + '\n' + body);
}

/**
 * Pending events as chained records after the current head, made one at a time as they are written
 * (a 100,000-member apply never holds all of its records and their bodies at once).
 */
export function* chainedRecords(head: { seq: number; hash: string }, at: string, actor: string | null, batch: string, events: Iterable<AuditEvent>): Generator<AuditRecord> {
  let { seq, hash } = head;
  for (const e of events) {
    seq += 1;
    const entry: AuditEntry = {
      seq, at, actor: e.actor !== undefined ? e.actor : actor, action: e.action, target: e.target, targetId: e.targetId ?? null,
      before: e.before ?? null, after: e.after ?? null, reason: e.reason ?? null, batch,
    };
    const body = JSON.stringify(entry);
    const record: AuditRecord = { seq, at, actor: entry.actor, action: e.action, target: e.target, batch, body, prevHash: hash, hash: chainHash(hash, body) };
    hash = record.hash;
    yield record;
  }
}

/** Turns pending events into chained records after the current head. */
export function chainEvents(head: { seq: number; hash: string }, at: string, actor: string | null, batch: string, events: AuditEvent[]): AuditRecord[] {
  return [...chainedRecords(head, at, actor, batch, events)];
}

export function entryOf(record: AuditRecord): AuditEntry {
  return JSON.parse(record.body) as AuditEntry;
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

/** Walks the whole chain; reports the first broken link. */
export async function verifyChain(tx: ChainReader): Promise<VerifyResult> {
  let prev = '';
  let expectedSeq = 1;
  let count = 0;
  const broken = (r: AuditRecord, problem: string): VerifyResult => ({ ok: false, entries: count, seq: r.seq, problem });
  // A store streams the log; a reader with pages only (a test's double) is paged through.
  for await (const page of tx.scanAudit ? tx.scanAudit(0) : pagesOf(tx)) {
    for (const r of page) {
      if (r.seq !== expectedSeq) return broken(r, `entry ${expectedSeq} is missing (found ${r.seq} next)`);
      if (r.prevHash !== prev) return broken(r, `entry ${r.seq} does not link to the entry before it`);
      if (chainHash(prev, r.body) !== r.hash) return broken(r, `entry ${r.seq} was altered: its hash does not match its content`);
      let e: AuditEntry;
      try {
        e = entryOf(r);
      } catch {
        return broken(r, `entry ${r.seq} is not readable`);
      }
      if (e.seq !== r.seq || e.at !== r.at || e.actor !== r.actor || e.action !== r.action || e.target !== r.target || e.batch !== r.batch) {
        return broken(r, `entry ${r.seq} was altered: its columns differ from its hashed content`);
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
