// member restore (SPEC §3, §12): within the 7-day window, by member, by batch, or by time of removal.
// Every way of choosing ends in finish(): who is past the window or purged (refused, or skipped and
// named), the seat limit, then the members back as they were (a dry run shows them so, unwritten).
import { orgsOf, requirePermission } from '../access/grants.js';
import { entryOf } from '../audit/chain.js';
import { fail, nameSome } from '../errors.js';
import type { Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import type { PurgedEmail } from '../store.js';
import { seatsFor } from './rules.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { auditSnapshot, restorableUntil, type MemberView, viewsOf } from './views.js';
import { findMember, purgedKey, resolveTargets } from './targets.js';
import { ALL, NO_GROUPS, RemovalLog, newestByMember } from './removals.js';
import { refuseLeftBehind, whyPurged, type SkippedRestore } from './restore-skipped.js';

export type { SkippedRestore } from './restore-skipped.js';

export interface RestoredView extends MemberView {
  /** Groups the member was in when removed that have been deleted (or left) since. */
  lostGroups: readonly string[];
}

/** A member of the batch that is no longer removed: restored since, by whom and when (null where the log does not say). */
export interface AlreadyRestored {
  email: string;
  at: string | null;
  by: string | null;
}

export interface RestoreResult {
  /** The members restored, as they are now; in a dry run, as they would come back (status included). */
  restored: RestoredView[];
  /** Those left behind, past their window or purged: only when skipping them was asked for (else the restore is refused). */
  skipped: SkippedRestore[];
  /** For a batch: those of its members restored since it removed them. */
  alreadyRestored: AlreadyRestored[];
}

export interface RestoreOptions {
  /** Restore the others when some are past their window or purged, naming those left behind. */
  skipExpired?: boolean;
  dryRun?: boolean;
}

export interface RestoreSelection extends RestoreOptions {
  batch?: string;
  removedSince?: string; // ISO instant
  by?: string; // who removed them
}

/**
 * For each member, the groups it held when it was removed that no longer hold it: deleted or left
 * since, so not restored. Read from its batch's removals (the newest about it counts), once per
 * batch: a restore of 100,000 members read the batch once per member.
 */
async function lostGroupsOf(s: UnitOfWork, members: readonly Member[], removals: RemovalLog): Promise<Map<string, readonly string[]>> {
  const lost = new Map<string, readonly string[]>();
  let groupIds: Map<string, string> | null = null; // by name, read when first needed
  for (const m of members) {
    const held = m.removedBatch ? (await removals.of(m.removedBatch)).byEmail.get(m.email)?.groups ?? NO_GROUPS : NO_GROUPS;
    if (!held.length) {
      lost.set(m.id, NO_GROUPS);
      continue;
    }
    groupIds ??= new Map((await s.tx.listGroups()).map((g) => [g.name, g.id]));
    const now = new Set((await s.tx.listGroupMemberships({ memberId: m.id })).map((gm) => gm.groupId));
    lost.set(m.id, held.filter((group) => !groupIds!.has(group) || !now.has(groupIds!.get(group)!)));
  }
  return lost;
}

/** `member restore TARGET…`: members named by email or id; one purged is past restoring, like one past its window. */
export async function restoreMembers(s: UnitOfWork, targets: readonly string[], opts: RestoreOptions = {}): Promise<RestoreResult> {
  if (!targets.length) fail('USAGE', 'name at least one member (email or id)');
  const purged = new Map<string, PurgedEmail>();
  const live: string[] = [];
  for (const t of targets) {
    const p = (await findMember(s, t)) ? null : await s.tx.getPurged(purgedKey(t));
    if (p) purged.set(p.memberId, p);
    else live.push(t);
  }
  const members = live.length ? await resolveTargets(s, live) : [];
  await requirePermission(s, 'members.restore', members.map(orgsOf));
  const notRemoved = members.filter((m) => !m.deletedAt).map((m) => m.email);
  if (notRemoved.length) fail('INVALID_STATE', `${nameSome(notRemoved)} ${notRemoved.length > 1 ? 'are' : 'is'} not removed`);
  return finish(s, members, await whyPurged(s, [...purged.values()]), opts, [], new RemovalLog(s));
}

/**
 * Restores every member a batch removed, or everyone removed since a time (by one actor), that is
 * still removed. All or nothing: members past their window or purged stop the whole command unless
 * skipped, and are named either way.
 */
export async function restoreSelection(s: UnitOfWork, sel: RestoreSelection): Promise<RestoreResult> {
  await requirePermission(s, 'members.restore');
  const removals = new RemovalLog(s);
  const found = sel.batch ? await removedInBatch(s, sel.batch, removals) : await removedSince(s, sel.removedSince!, sel.by);
  await requirePermission(s, 'members.restore', found.members.map(orgsOf));
  return finish(s, found.members, await whyPurged(s, found.purged), sel, found.alreadyRestored, removals);
}

/** The removed members that `chosen` picks, in the workspace's order (by address). */
async function removedWhere(s: UnitOfWork, chosen: (m: Member) => boolean): Promise<Member[]> {
  const found: Member[] = [];
  for await (const some of s.tx.scanMembers()) for (const m of some) if (m.deletedAt && chosen(m)) found.push(m);
  return found;
}

interface Found {
  members: Member[]; // still removed
  purged: PurgedEmail[]; // removed then, purged since
  alreadyRestored: AlreadyRestored[];
}

async function removedInBatch(s: UnitOfWork, batch: string, removals: RemovalLog): Promise<Found> {
  const members = await removedWhere(s, (m) => m.removedBatch === batch);
  const { byEmail, firstAt } = await removals.of(batch);
  if (!byEmail.size && !members.length) fail('NOT_FOUND', `no removals in batch ${batch}`, 'find batches with: rollcall member list --status deleted, or rollcall audit list --action member.remove');
  const present = new Set(members.map((m) => m.id));
  const purged: PurgedEmail[] = [];
  const back: Member[] = [];
  for (const { id } of byEmail.values()) {
    if (present.has(id)) continue;
    const now = await s.tx.getMember(id);
    if (now && !now.deletedAt) back.push(now); // restored since (a later removal is another batch's to undo)
    else if (!now) {
      const p = await s.tx.getPurged(id);
      if (p) purged.push(p);
    }
  }
  return { members, purged, alreadyRestored: await restoredSince(s, back, firstAt ?? undefined) };
}

/** Who restored each member, and when: the newest restore since the batch removed it. */
async function restoredSince(s: UnitOfWork, back: readonly Member[], since: string | undefined): Promise<AlreadyRestored[]> {
  if (!back.length) return [];
  const newest = await newestByMember(s, 'member.restore', since);
  return back.map((m) => {
    const e = newest.get(m.id);
    return { email: m.email, at: e?.at ?? null, by: e?.actor ?? null };
  }).sort((a, b) => a.email.localeCompare(b.email));
}

async function removedSince(s: UnitOfWork, since: string, byTarget: string | undefined): Promise<Found> {
  const by = byTarget === undefined ? null : await remover(s, byTarget);
  const members = await removedWhere(s, (m) => m.deletedAt! >= since && (!by || m.removedBy === by));
  // Removed in that time and purged since (perhaps by this very command's automatic purge): named.
  // The log is read as consumed, keeping only whom each entry removed: the entries may be a prune's 100,000.
  const removed: string[] = [];
  for await (const records of s.tx.scanAuditList({ since, actor: by ?? undefined, action: 'member.remove', limit: ALL })) {
    for (const record of records) {
      const r = entryOf(record);
      removed.push(r.targetId ?? r.target);
    }
  }
  const present = new Set(members.map((m) => m.id));
  const purged: PurgedEmail[] = [];
  for (const id of removed) {
    if (present.has(id) || (await s.tx.getMember(id))) continue;
    const p = await s.tx.getPurged(id);
    if (p) purged.push(p);
  }
  return { members, purged, alreadyRestored: [] };
}

/** The address of the member who removed them: a member, or one purged since; anyone else is NOT_FOUND. */
async function remover(s: UnitOfWork, target: string): Promise<string> {
  const m = await findMember(s, target);
  if (m) return m.email;
  const p = await s.tx.getPurged(purgedKey(target));
  if (p) return p.email;
  fail('NOT_FOUND', `no member ${target}`, 'see who removed members with: rollcall audit list --action member.remove');
}

/** Past the window, or purged: refused (naming them) unless skipped; then the seat limit, then back. */
async function finish(s: UnitOfWork, members: readonly Member[], purged: SkippedRestore[], opts: RestoreOptions, alreadyRestored: AlreadyRestored[], removals: RemovalLog): Promise<RestoreResult> {
  const late = members.filter((m) => Date.parse(restorableUntil(m)!) < s.now.getTime());
  const skipped: SkippedRestore[] = [...purged, ...late.map((m) => ({ email: m.email, reason: 'expired' as const, removedAt: m.deletedAt, purgedAt: null, purgedBy: null }))]
    .sort((a, b) => a.email.localeCompare(b.email));
  const isLate = new Set(late);
  const chosen = members.filter((m) => !isLate.has(m));
  if (skipped.length && !opts.skipExpired) refuseLeftBehind(skipped, chosen.length);
  await seatsFor(s, chosen.length);
  return { restored: await comeBack(s, chosen, !!opts.dryRun, removals), skipped, alreadyRestored };
}

/**
 * Members restored at a time: written, and their entries chained, before the next, so that a restore
 * of 100,000 holds only their views (what it prints) beside the members it read. 1,000: a slice's
 * copies and entries then die young, in V8's young generation, instead of piling up in the old one.
 */
const RESTORE_SLICE = 1000;

/** The members as they come back (status, role, scope, orgs and groups as they were); written unless a dry run. */
async function comeBack(s: UnitOfWork, chosen: readonly Member[], dryRun: boolean, removals: RemovalLog): Promise<RestoredView[]> {
  const restored: RestoredView[] = [];
  const tree = new OrgTree(await s.orgs());
  for (let at = 0; at < chosen.length; at += RESTORE_SLICE) {
    const members = chosen.slice(at, at + RESTORE_SLICE);
    const lost = await lostGroupsOf(s, members, removals);
    const after = members.map((m) => ({ ...m, deletedAt: null, removedBy: null, removedBatch: null, updatedAt: s.nowIso }));
    if (!dryRun) {
      await s.tx.updateMembers(after);
      // The entries are made as they are chained, a member at a time. Nothing changes the members in
      // between: `after` is made here, and the views below are new objects. (Not frozen, as
      // auditChanges freezes: a frozen object takes a hidden class of its own in V8.)
      s.recordEach((function* () {
        for (const [i, m] of after.entries()) {
          const gone = lost.get(m.id)!;
          yield { action: 'member.restore' as const, target: m.email, targetId: m.id, before: auditSnapshot(members[i], tree), after: auditSnapshot(m, tree), reason: gone.length ? `not restored to groups it was in when removed (${gone.join(', ')}): deleted, or the member taken out since` : null };
        }
      })());
      await s.writeEvents();
    }
    for (const v of await viewsOf(s, after)) restored.push(Object.assign(v, { lostGroups: lost.get(v.id)! }));
  }
  return restored;
}
