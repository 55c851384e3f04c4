// What the audit log says of the removals a restore undoes: for each member a batch removed, its
// id and the groups it held then. Read once per batch and kept small (not the entries' whole
// before and after): a batch may have removed every member of the workspace.
import { entryOf } from '../audit/chain.js';
import type { UnitOfWork } from '../unit-of-work.js';

export interface Removal {
  /** The member's id (entries from before ids were recorded: its address). */
  id: string;
  /** The groups it was in when removed. */
  groups: readonly string[];
}

/** Most removed members were in no group: they share one empty list. */
export const NO_GROUPS: readonly string[] = Object.freeze([]);

export interface BatchRemovals {
  /** By address: a member's newest removal in the batch. */
  byEmail: Map<string, Removal>;
  /** When the batch's first removal was recorded; null when it has none. */
  firstAt: string | null;
}

/** The log is read whole for these listings. */
export const ALL = 1_000_000_000;

/**
 * For each member (by id) that `action` entries since `since` name, the newest one's time and actor:
 * who restored or purged a member since it was removed. Read as consumed, newest first, keeping
 * those two values: a whole batch restored, or purged, is 100,000 entries.
 */
export async function newestByMember(s: UnitOfWork, action: 'member.restore' | 'member.purge', since: string | undefined): Promise<Map<string, { at: string; actor: string | null }>> {
  const newest = new Map<string, { at: string; actor: string | null }>();
  for await (const records of s.tx.scanAuditList({ since, action, limit: ALL })) {
    for (const record of records) {
      const e = entryOf(record);
      if (e.targetId && !newest.has(e.targetId)) newest.set(e.targetId, { at: e.at, actor: e.actor });
    }
  }
  return newest;
}

/** Each batch's removals, read from the log when first asked for. */
export class RemovalLog {
  private readonly batches = new Map<string, BatchRemovals>();

  constructor(private readonly s: UnitOfWork) {}

  async of(batch: string): Promise<BatchRemovals> {
    let found = this.batches.get(batch);
    if (!found) {
      found = { byEmail: new Map(), firstAt: null };
      // Read as consumed: the entries' text is let go a batch at a time. Newest first.
      for await (const records of this.s.tx.scanAuditList({ batch, action: 'member.remove', limit: ALL })) {
        for (const record of records) {
          found.firstAt = record.at;
          if (found.byEmail.has(record.target)) continue;
          const e = entryOf(record);
          const held = (e.before as { groups?: Array<{ group: string }> } | null)?.groups ?? [];
          found.byEmail.set(record.target, { id: e.targetId ?? e.target, groups: held.length ? held.map((h) => h.group) : NO_GROUPS });
        }
      }
      this.batches.set(batch, found);
    }
    return found;
  }
}
