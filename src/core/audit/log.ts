// The audit log as members see it (SPEC §9, §14): listing, the current head, and verifying (against
// recorded heads too), for those who hold audit.view.
import { requirePermission } from '../access/grants.js';
import { OrgTree } from '../orgs/tree.js';
import type { AuditFilter } from '../store.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { readHead, verifyAnchored, type AnchoredVerifyResult, type AuditHead } from './anchor.js';
import { entryOf, type AuditEntry } from './chain.js';
import { actionsMatching, GROUP_MEMBERSHIP_ACTIONS } from './actions.js';
import { fail } from '../errors.js';

/** An entry as `audit list` and `audit show` give it: everything recorded, and the group it concerns. */
export interface AuditListItem {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  target: string;
  targetId: string | null;
  /** The group a group event concerns (a membership event's is in before/after), else null. */
  group: string | null;
  reason: string | null;
  batch: string;
  before: unknown;
  after: unknown;
}

/**
 * The target as the log spells it: a group name or an org path is matched in any case, as every
 * command matches them (both are unique case-insensitively), so the current spelling is looked up.
 * Anything else (an email, normalised by the caller; a role; a name since renamed) is taken as given.
 */
async function recordedTarget(s: UnitOfWork, target: string): Promise<string> {
  const wanted = target.normalize('NFC').trim().toLowerCase();
  const group = (await s.tx.listGroups()).find((g) => g.name.toLowerCase() === wanted);
  if (group) return group.name;
  const tree = new OrgTree(await s.orgs());
  const org = tree.find(target);
  return org ? tree.pathOf(org.id)! : target;
}

/**
 * The log, newest first. `target`: entries about that member, group, org or role, a member's group
 * memberships and a group's members included (entries from before membership events named the
 * member as their target too); `action`: one action, or `noun.*` for all of a noun's (INVALID_INPUT
 * for an action the log never records).
 */
export async function auditList(s: UnitOfWork, filter: AuditFilter): Promise<AuditListItem[]> {
  const all: AuditListItem[] = [];
  await streamAuditList(s, filter, async (items) => {
    for (const item of items) all.push(item);
  });
  return all;
}

/** Entries are read from the store, and made into items, this many at a time. */
const ITEMS_AT_ONCE = 500;

/**
 * auditList, handed to `out` a batch of items at a time as the entries are read: a batch's entries
 * may number 100,000, and read and parsed all at once they took 543 MB. Every refusal comes before
 * the first batch. Returns how many were listed.
 */
export async function streamAuditList(s: UnitOfWork, filter: AuditFilter, out: (items: AuditListItem[]) => Promise<void>): Promise<number> {
  await requirePermission(s, 'audit.view');
  const { target, action, ...rest } = filter;
  const query: AuditFilter = { ...rest, ...(action !== undefined ? { actions: actionsMatching(action) } : {}) };
  if (target !== undefined) query.involving = { name: await recordedTarget(s, target), membershipActions: GROUP_MEMBERSHIP_ACTIONS };
  let count = 0;
  for await (const records of s.tx.scanAuditList(query, ITEMS_AT_ONCE)) {
    count += records.length;
    await out(records.map((r) => itemOf(entryOf(r))));
  }
  return count;
}

/** One entry in full, by its position in the chain. */
export async function auditShow(s: UnitOfWork, seq: number): Promise<AuditListItem> {
  await requirePermission(s, 'audit.view');
  const [record] = Number.isSafeInteger(seq) && seq >= 1 ? await s.tx.auditPage(seq - 1, 1) : [];
  if (!record || record.seq !== seq) {
    const head = await s.tx.auditHead();
    fail('NOT_FOUND', `no audit entry ${seq}: the log holds entries 1 to ${head.seq}`, 'list them with: rollcall audit list');
  }
  return itemOf(entryOf(record));
}

function itemOf(e: AuditEntry): AuditListItem {
  return {
    seq: e.seq, at: e.at, actor: e.actor, action: e.action, target: e.target, targetId: e.targetId ?? null, group: groupOf(e),
    reason: e.reason, batch: e.batch, before: e.before ?? null, after: e.after ?? null,
  };
}

/** The group of a group event: its target, or for a membership event the `group` in before/after (older entries: the target). */
function groupOf(e: AuditEntry): string | null {
  if (!e.action.startsWith('group.')) return null;
  const named = [e.after, e.before].map((v) => (v && typeof v === 'object' ? (v as { group?: unknown }).group : undefined)).find((g) => typeof g === 'string');
  return (named as string | undefined) ?? e.target;
}

/** A field an entry changed: from its value before to its value after (null when absent). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** The fields before and after differ in, in the order they were recorded; for anything not an object, one change `value`. */
export function changesOf(item: Pick<AuditListItem, 'before' | 'after'>): FieldChange[] {
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const { before, after } = item;
  if ((before === null || isRecord(before)) && (after === null || isRecord(after))) {
    const b = before ?? {};
    const a = after ?? {};
    const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    return fields.filter((f) => JSON.stringify(b[f] ?? null) !== JSON.stringify(a[f] ?? null)).map((field) => ({ field, from: b[field] ?? null, to: a[field] ?? null }));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ field: 'value', from: before, to: after }];
}

/** The current head, to record outside the workspace and check later with auditVerify. */
export async function auditHead(s: UnitOfWork): Promise<AuditHead> {
  await requirePermission(s, 'audit.view');
  return readHead(s.tx);
}

/** The chain check; with `heads` (recorded earlier), also that the chain still holds each of them. */
export async function auditVerify(s: UnitOfWork, heads?: readonly AuditHead[]): Promise<AnchoredVerifyResult> {
  await requirePermission(s, 'audit.view');
  return verifyAnchored(s.tx, heads);
}
