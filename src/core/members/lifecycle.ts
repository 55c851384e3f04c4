// The member lifecycle (SPEC §3): add, update, suspend, remove, restore, purge, reset-password.
// Every rule is checked here, once, before anything is written; bulk commands are all-or-nothing.
import { orgsOf, requirePermission, visibleFilter } from '../access/grants.js';
import { DAY, isValidDate } from '../clock.js';
import { newTemporaryPassword, sha256 } from '../credentials.js';
import { normalizeEmail, parseEmail } from '../email.js';
import { fail, nameSome } from '../errors.js';
import { newId } from '../ids.js';
import { RESTORE_WINDOW_DAYS, type Member, STATUSES } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import { checkRole, scopeIds } from '../access/roles.js';
import { emailFree, externalAllowed, keepsAnActiveAdmin, notGroupOwners, seatsFor } from './rules.js';
import type { Scope } from '../unit-of-work.js';
import { textProblem } from '../text.js';
import { auditSnapshot, kindOf, memberView, restorableUntil, statusOf, type MemberView } from './views.js';

export const DEFAULT_ROLE = 'viewer';
export function checkName(raw: string, what = 'name'): string {
  const name = raw.normalize('NFC').trim();
  if (!name) fail('INVALID_INPUT', `the ${what} cannot be empty`);
  const problem = textProblem(name, what);
  if (problem) fail('INVALID_INPUT', problem);
  return name;
}

/** A job title; empty clears it. */
export function checkTitle(raw: string | null | undefined): string | null {
  const title = raw?.normalize('NFC').trim();
  if (!title) return null;
  const problem = textProblem(title, 'title');
  if (problem) fail('INVALID_INPUT', problem);
  return title;
}

export function checkStartDate(raw: string): string {
  if (!isValidDate(raw)) fail('INVALID_INPUT', `a start date is a calendar date YYYY-MM-DD: got "${raw}"`);
  return raw;
}

/** Whether an address belongs to a member (removed ones included): a new member needs a name. */
export async function isMember(s: Scope, email: string): Promise<boolean> {
  return !!(await s.tx.getMemberByEmail(parseEmail(email)));
}

/** Finds members by email or id: NOT_FOUND naming every one missing, before anything changes. */
export async function resolveTargets(s: Scope, targets: readonly string[], opts: { purgedIsExpired?: boolean } = {}): Promise<Member[]> {
  if (!targets.length) fail('USAGE', 'name at least one member (email or id)');
  const found = new Map<string, Member>();
  const missing: string[] = [];
  const expired: string[] = [];
  for (const t of targets) {
    const email = normalizeEmail(t); // NFKC first: a full-width ＠ is an @
    const key = email.includes('@') ? email : t.trim();
    const m = email.includes('@') ? await s.tx.getMemberByEmail(key) : await s.tx.getMember(key);
    if (m) found.set(m.id, m);
    else if (opts.purgedIsExpired && (await s.tx.getPurged(key))) expired.push(t);
    else missing.push(t);
  }
  if (expired.length) {
    fail('RESTORE_WINDOW_EXPIRED', `${nameSome(expired)}: removed more than ${RESTORE_WINDOW_DAYS} days ago and purged for good`, 'add them again with rollcall member add');
  }
  if (missing.length) fail('NOT_FOUND', `no member ${nameSome(missing)}`, 'list members with: rollcall member list (removed ones: --status deleted)');
  return [...found.values()];
}

export async function resolveTarget(s: Scope, target: string): Promise<Member> {
  return (await resolveTargets(s, [target]))[0];
}

/** Views of members as they are now, with the org tree and domains read once. */
export async function viewsOf(s: Scope, members: readonly Member[]): Promise<MemberView[]> {
  const tree = new OrgTree(await s.orgs());
  const domains = await s.tx.listDomains();
  return members.map((m) => memberView(m, tree, domains, s.now));
}

export async function auditChanges(s: Scope, action: string, before: readonly Member[], after: readonly Member[], reason?: string | null) {
  const tree = new OrgTree(await s.orgs());
  const was = new Map(before.map((m) => [m.id, m]));
  for (const m of after) {
    const b = was.get(m.id);
    s.record({ action, target: m.email, targetId: m.id, before: b ? auditSnapshot(b, tree) : null, after: auditSnapshot(m, tree), reason: reason ?? null });
  }
}

function notDeleted(members: readonly Member[], verb: string) {
  const gone = members.filter((m) => m.deletedAt).map((m) => m.email);
  if (gone.length) fail('INVALID_STATE', `cannot ${verb} ${nameSome(gone)}: removed`, `restore first: rollcall member restore ${gone[0]}`);
}

// ---------------------------------------------------------------- add

export interface AddInput {
  email: string;
  name: string;
  role?: string;
  scope?: string[];
  org?: string | null;
  addOrgs?: string[];
  title?: string | null;
  startDate?: string | null;
  twoFactor?: boolean;
  /** false: no temporary password (the member waits for an invitation or a reset). */
  temporaryPassword?: boolean;
}

export interface NewMember {
  member: Member;
  temporaryPassword: string | null;
}

/** Builds a new member from input, checking every field; writes nothing. */
export async function prepareMember(s: Scope, input: AddInput, tree: OrgTree): Promise<Member> {
  const email = parseEmail(input.email);
  const role = await checkRole(s, input.role ?? DEFAULT_ROLE);
  const orgId = input.org ? tree.resolve(input.org).id : null;
  const orgIds = [...new Set((input.addOrgs ?? []).map((p) => tree.resolve(p).id))].filter((id) => id !== orgId);
  return {
    id: newId('m'), email, name: checkName(input.name), title: checkTitle(input.title), orgId, orgIds, role,
    scope: scopeIds(tree, role, input.scope ?? []), registered: false, suspendedAt: null, suspendedReason: null,
    deletedAt: null, removedBy: null, removedBatch: null, startDate: input.startDate ? checkStartDate(input.startDate) : null,
    twoFactor: !!input.twoFactor, createdAt: s.nowIso, updatedAt: s.nowIso,
  };
}

/** Assigning anything but the default role is role management: a scoped manager cannot hand out admin. */
async function mayAssignRole(s: Scope, role: string) {
  if (role !== DEFAULT_ROLE) await requirePermission(s, 'roles.manage');
}

export async function addMembers(s: Scope, inputs: readonly AddInput[]): Promise<NewMember[]> {
  const tree = new OrgTree(await s.orgs());
  const members = [];
  for (const input of inputs) members.push(await prepareMember(s, input, tree));
  await requirePermission(s, 'members.manage', members.map(orgsOf));
  for (const role of new Set(members.map((m) => m.role))) await mayAssignRole(s, role);
  const seen = new Set<string>();
  for (const m of members) {
    if (seen.has(m.email)) fail('INVALID_INPUT', `${m.email} is named twice`);
    seen.add(m.email);
    await emailFree(s, m.email);
  }
  await externalAllowed(s, members.map((m) => m.email));
  await seatsFor(s, members.length);
  await s.tx.insertMembers(members);
  const out: NewMember[] = members.map((m, i) => ({ member: m, temporaryPassword: inputs[i].temporaryPassword === false ? null : newTemporaryPassword() }));
  await s.tx.saveCredentials(out.map(({ member, temporaryPassword }) => ({
    memberId: member.id, passwordHash: null, passwordSetAt: null, tempHash: temporaryPassword ? sha256(temporaryPassword) : null,
    tempIssuedAt: temporaryPassword ? s.nowIso : null, failedLogins: 0,
  })));
  await auditChanges(s, 'member.add', [], members);
  return out;
}

// ---------------------------------------------------------------- list and show

export interface ListFilter {
  status?: string;
  role?: string;
  org?: string;
  direct?: boolean;
  kind?: string;
  search?: string;
}

export async function listMembers(s: Scope, f: ListFilter): Promise<MemberView[]> {
  const visible = await visibleFilter(s, 'members.view');
  if (f.status && !(STATUSES as readonly string[]).includes(f.status)) fail('INVALID_INPUT', `unknown status "${f.status}"`, `statuses: ${STATUSES.join(', ')}`);
  if (f.kind && f.kind !== 'internal' && f.kind !== 'external') fail('INVALID_INPUT', `--kind takes internal or external: got "${f.kind}"`);
  const tree = new OrgTree(await s.orgs());
  const domains = await s.tx.listDomains();
  const org = f.org ? tree.resolve(f.org) : null;
  const needle = f.search ? f.search.normalize('NFKC').toLowerCase() : null;
  let members = (await s.tx.listMembers()).filter(visible);
  if (f.status) members = members.filter((m) => statusOf(m, s.now) === f.status);
  else members = members.filter((m) => !m.deletedAt); // removed members only when asked for
  if (f.role) members = members.filter((m) => m.role === f.role);
  if (f.kind) members = members.filter((m) => kindOf(m.email, domains) === f.kind);
  if (org) {
    members = members.filter((m) => orgsOf(m).some((id) => (f.direct ? id === org.id : tree.isWithin(id, org.id))));
  }
  let views = members.map((m) => memberView(m, tree, domains, s.now));
  if (needle) {
    views = views.filter((v) => [v.name, v.email, v.title ?? '', v.org ?? '', ...v.orgs].some((text) => text.normalize('NFKC').toLowerCase().includes(needle)));
  }
  if (f.status === 'deleted') views.sort((a, b) => (a.restorableUntil ?? '').localeCompare(b.restorableUntil ?? ''));
  return views;
}

export async function showMember(s: Scope, target: string): Promise<MemberView> {
  const m = await resolveTarget(s, target);
  await requirePermission(s, 'members.view', [orgsOf(m)]);
  const [view] = await viewsOf(s, [m]);
  const groups = await s.tx.listGroups();
  const byId = new Map(groups.map((g) => [g.id, g]));
  view.groups = (await s.tx.listGroupMemberships({ memberId: m.id }))
    .map((gm) => ({ name: byId.get(gm.groupId)?.name ?? gm.groupId, role: gm.role, owner: byId.get(gm.groupId)?.ownerId === m.id }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return view;
}

// ---------------------------------------------------------------- update

export interface UpdateInput extends MoveInput {
  name?: string;
  title?: string | null;
  email?: string;
  twoFactor?: boolean;
  startDate?: string | null;
}

export async function updateMember(s: Scope, target: string, patch: UpdateInput): Promise<MemberView> {
  const before = await resolveTarget(s, target);
  await requirePermission(s, 'members.manage', [orgsOf(before)]);
  notDeleted([before], 'update');
  const after: Member = movedMember(before, new OrgTree(await s.orgs()), patch, s.nowIso);
  if (after.orgId !== before.orgId || after.orgIds.join() !== before.orgIds.join()) {
    await requirePermission(s, 'members.manage', [[...new Set([...orgsOf(before), ...orgsOf(after)])]]);
  }
  if (patch.name !== undefined) after.name = checkName(patch.name);
  if (patch.title !== undefined) after.title = checkTitle(patch.title);
  if (patch.twoFactor !== undefined) after.twoFactor = patch.twoFactor;
  if (patch.startDate !== undefined) after.startDate = patch.startDate ? checkStartDate(patch.startDate) : null;
  if (patch.email !== undefined) {
    after.email = parseEmail(patch.email);
    if (after.email !== before.email) {
      await emailFree(s, after.email, before.id);
      await externalAllowed(s, [after.email]);
    }
  }
  await keepsAnActiveAdmin(s, [after], 'update');
  await s.tx.updateMembers([after]);
  await auditChanges(s, 'member.update', [before], [after]);
  return (await viewsOf(s, [after]))[0];
}

// ---------------------------------------------------------------- suspend and unsuspend

export async function suspendMembers(s: Scope, targets: readonly string[], reason?: string): Promise<MemberView[]> {
  const members = await resolveTargets(s, targets);
  await requirePermission(s, 'members.manage', members.map(orgsOf));
  notDeleted(members, 'suspend');
  await notGroupOwners(s, members, 'suspend');
  const after = members.map((m) => m.suspendedAt ? m : { ...m, suspendedAt: s.nowIso, suspendedReason: reason?.trim() || 'admin', updatedAt: s.nowIso });
  await keepsAnActiveAdmin(s, after, 'suspend');
  const changed = after.filter((m, i) => m !== members[i]);
  await s.tx.updateMembers(changed);
  await auditChanges(s, 'member.suspend', members, changed, reason);
  return viewsOf(s, after);
}

export const LOCKOUT_REASON = 'too-many-failed-logins';

export interface Unsuspended extends MemberView {
  temporaryPassword?: string;
}

/** Back to the status it would have had; a locked-out member also gets a new temporary password. */
export async function unsuspendMembers(s: Scope, targets: readonly string[]): Promise<Unsuspended[]> {
  const members = await resolveTargets(s, targets);
  await requirePermission(s, 'members.unlock', members.map(orgsOf));
  notDeleted(members, 'unsuspend');
  const notSuspended = members.filter((m) => !m.suspendedAt).map((m) => m.email);
  if (notSuspended.length) fail('INVALID_STATE', `${nameSome(notSuspended)} ${notSuspended.length > 1 ? 'are' : 'is'} not suspended`);
  const after = members.map((m) => ({ ...m, suspendedAt: null, suspendedReason: null, updatedAt: s.nowIso }));
  await s.tx.updateMembers(after);
  const secrets = new Map<string, string>();
  for (const m of members) {
    const creds = await s.tx.getCredentials(m.id);
    const base = creds ?? { memberId: m.id, passwordHash: null, passwordSetAt: null, tempHash: null, tempIssuedAt: null, failedLogins: 0 };
    if (m.suspendedReason === LOCKOUT_REASON) {
      const pw = newTemporaryPassword();
      secrets.set(m.id, pw);
      await s.tx.saveCredentials([{ ...base, passwordHash: null, tempHash: sha256(pw), tempIssuedAt: s.nowIso, failedLogins: 0 }]);
    } else if (base.failedLogins) {
      await s.tx.saveCredentials([{ ...base, failedLogins: 0 }]);
    }
  }
  await auditChanges(s, 'member.unsuspend', members, after);
  const views = await viewsOf(s, after);
  return views.map((v) => (secrets.has(v.id) ? { ...v, temporaryPassword: secrets.get(v.id)! } : v));
}

// ---------------------------------------------------------------- remove, restore, purge

export async function removeMembers(s: Scope, targets: readonly string[], reason?: string): Promise<MemberView[]> {
  const members = await resolveTargets(s, targets);
  const actor = await requirePermission(s, 'members.delete', members.map(orgsOf));
  const gone = members.filter((m) => m.deletedAt).map((m) => m.email);
  if (gone.length) fail('INVALID_STATE', `${nameSome(gone)} ${gone.length > 1 ? 'are' : 'is'} already removed`);
  await notGroupOwners(s, members, 'remove');
  const after = members.map((m) => ({ ...m, deletedAt: s.nowIso, removedBy: actor.email, removedBatch: s.batch, updatedAt: s.nowIso }));
  await keepsAnActiveAdmin(s, after, 'remove');
  await commitRemoval(s, members, after, reason);
  return viewsOf(s, after);
}

/**
 * Saves removals: sessions end, tokens and open invitations die with them. Group memberships stay
 * for a restore; the audit event records them, so a restore can say which groups are gone since.
 */
export async function commitRemoval(s: Scope, before: readonly Member[], after: readonly Member[], reason?: string | null) {
  const ids = after.map((m) => m.id);
  const idSet = new Set(ids);
  await s.tx.updateMembers([...after]);
  await s.tx.deleteSessionsOf(ids);
  await s.tx.revokeTokensOf(ids, s.nowIso);
  const open = (await s.tx.listInvites()).filter((i) => idSet.has(i.memberId) && !i.usedAt && !i.revokedAt);
  for (const i of open) await s.tx.updateInvite({ ...i, revokedAt: s.nowIso });
  const groups = await s.tx.listGroups();
  const held = new Map<string, Array<{ group: string; role: string }>>();
  if (groups.length) {
    const names = new Map(groups.map((g) => [g.id, g.name]));
    for (const gm of await s.tx.listGroupMemberships({})) {
      if (!idSet.has(gm.memberId)) continue;
      held.set(gm.memberId, [...(held.get(gm.memberId) ?? []), { group: names.get(gm.groupId) ?? gm.groupId, role: gm.role }]);
    }
  }
  const tree = new OrgTree(await s.orgs());
  for (const [i, m] of after.entries()) {
    s.record({ action: 'member.remove', target: m.email, targetId: m.id, before: { ...auditSnapshot(before[i], tree), groups: held.get(m.id) ?? [] }, after: auditSnapshot(m, tree), reason: reason ?? null });
  }
}

/** Groups a member held when it was removed that no longer hold it: gone since, so not restored. */
async function lostGroups(s: Scope, m: Member): Promise<string[]> {
  if (!m.removedBatch) return [];
  const events = await s.tx.listAudit({ batch: m.removedBatch, target: m.email, action: 'member.remove', limit: 1 });
  const held = (events[0] ? (JSON.parse(events[0].body).before?.groups as Array<{ group: string }> | undefined) : undefined) ?? [];
  if (!held.length) return [];
  const now = new Set((await s.tx.listGroupMemberships({ memberId: m.id })).map((gm) => gm.groupId));
  const byName = new Map((await s.tx.listGroups()).map((g) => [g.name, g.id]));
  return held.filter((h) => !byName.has(h.group) || !now.has(byName.get(h.group)!)).map((h) => h.group);
}

function expiredRestores(members: readonly Member[], now: Date): string[] {
  return members.filter((m) => Date.parse(restorableUntil(m)!) < now.getTime()).map((m) => m.email);
}

export async function restoreMembers(s: Scope, targets: readonly string[], dryRun = false): Promise<MemberView[]> {
  const members = await resolveTargets(s, targets, { purgedIsExpired: true });
  await requirePermission(s, 'members.restore', members.map(orgsOf));
  const notRemoved = members.filter((m) => !m.deletedAt).map((m) => m.email);
  if (notRemoved.length) fail('INVALID_STATE', `${nameSome(notRemoved)} ${notRemoved.length > 1 ? 'are' : 'is'} not removed`);
  await restorable(s, members);
  return dryRun ? viewsOf(s, members) : commitRestore(s, members);
}

export interface RestoreSelection {
  batch?: string;
  removedSince?: string; // ISO instant
  by?: string; // who removed them
  skipExpired?: boolean;
  dryRun?: boolean;
}

/**
 * Restores every member a batch removed, or everyone removed since a time (by one actor), that is
 * still removed. All or nothing: members past their window stop the whole command unless skipped.
 */
export async function restoreSelection(s: Scope, sel: RestoreSelection): Promise<MemberView[]> {
  await requirePermission(s, 'members.restore');
  const expired: string[] = [];
  let members: Member[];
  const by = sel.by ? (await resolveTarget(s, sel.by).catch(() => null))?.email ?? normalizeEmail(sel.by) : null;
  if (sel.batch) {
    members = (await s.tx.listMembers()).filter((m) => m.deletedAt && m.removedBatch === sel.batch);
    // Members of the batch that were purged since: named, so nobody is silently left behind.
    const removed = await s.tx.listAudit({ batch: sel.batch, action: 'member.remove', limit: 1_000_000 });
    if (!removed.length && !members.length) fail('NOT_FOUND', `no removals in batch ${sel.batch}`, 'find batches with: rollcall member list --status deleted, or rollcall audit list --action member.remove');
    const present = new Set(members.map((m) => m.email));
    for (const r of removed) if (!present.has(r.target) && (await s.tx.getPurged(r.target))) expired.push(r.target);
  } else {
    const since = sel.removedSince!;
    members = (await s.tx.listMembers()).filter((m) => m.deletedAt && m.deletedAt >= since && (!by || m.removedBy === by));
    // Removed in that time and purged since (perhaps by this very command's automatic purge): named.
    const removed = await s.tx.listAudit({ since, actor: by ?? undefined, action: 'member.remove', limit: 1_000_000 });
    const present = new Set(members.map((m) => m.email));
    for (const r of removed) if (!present.has(r.target) && (await s.tx.getPurged(r.target))) expired.push(r.target);
  }
  await requirePermission(s, 'members.restore', members.map(orgsOf));
  expired.push(...expiredRestores(members, s.now));
  if (expired.length && !sel.skipExpired) {
    fail('RESTORE_WINDOW_EXPIRED', `${nameSome([...new Set(expired)])}: removed more than ${RESTORE_WINDOW_DAYS} days ago`, 'restore the others with --skip-expired; add these again with rollcall member add');
  }
  const chosen = members.filter((m) => !expired.includes(m.email));
  await restorable(s, chosen);
  return sel.dryRun ? viewsOf(s, chosen) : commitRestore(s, chosen);
}

/** RESTORE_WINDOW_EXPIRED or SEAT_LIMIT_REACHED before anything comes back: a dry run says the same. */
async function restorable(s: Scope, members: readonly Member[]) {
  const expired = expiredRestores(members, s.now);
  if (expired.length) fail('RESTORE_WINDOW_EXPIRED', `${nameSome(expired)}: removed more than ${RESTORE_WINDOW_DAYS} days ago`, 'add them again with rollcall member add');
  await seatsFor(s, members.length);
}

export interface RestoredView extends MemberView {
  /** Groups the member was in when removed that have been deleted (or left) since. */
  lostGroups: string[];
}

async function commitRestore(s: Scope, members: readonly Member[]): Promise<RestoredView[]> {
  const lost = new Map<string, string[]>();
  for (const m of members) lost.set(m.id, await lostGroups(s, m));
  const after = members.map((m) => ({ ...m, deletedAt: null, removedBy: null, removedBatch: null, updatedAt: s.nowIso }));
  await s.tx.updateMembers(after);
  const tree = new OrgTree(await s.orgs());
  for (const [i, m] of after.entries()) {
    const gone = lost.get(m.id)!;
    s.record({ action: 'member.restore', target: m.email, targetId: m.id, before: auditSnapshot(members[i], tree), after: auditSnapshot(m, tree), reason: gone.length ? `not restored: groups deleted since (${gone.join(', ')})` : null });
  }
  return (await viewsOf(s, after)).map((v) => ({ ...v, lostGroups: lost.get(v.id)! }));
}

/** Purges removed members for good; their emails are remembered so a late restore says why it fails. */
export async function purge(s: Scope, members: readonly Member[], reason: string | null, system = false) {
  if (!members.length) return;
  const tree = new OrgTree(await s.orgs());
  await s.tx.deleteMembers(members.map((m) => m.id));
  await s.tx.addPurged(members.map((m) => ({ email: m.email, memberId: m.id, deletedAt: m.deletedAt, purgedAt: s.nowIso })));
  for (const m of members) {
    s.record({ action: 'member.purge', target: m.email, targetId: m.id, before: auditSnapshot(m, tree), after: null, reason, ...(system ? { actor: null } : {}) });
  }
}

/** Runs at the start of every write: members past their 7-day window are purged. */
export async function purgeExpired(s: Scope): Promise<Member[]> {
  const cutoff = new Date(s.now.getTime() - RESTORE_WINDOW_DAYS * DAY).toISOString();
  const expired = await s.tx.listDeletedBefore(cutoff);
  await purge(s, expired, 'restore window expired', true);
  s.autoPurged.push(...expired);
  return expired;
}

/** The members `member purge TARGET…` would delete for good, or the rule that forbids it: asked before confirming. */
export async function purgeable(s: Scope, targets: readonly string[]): Promise<Member[]> {
  const members = await resolveTargets(s, targets);
  await requirePermission(s, 'members.delete', members.map(orgsOf));
  const live = members.filter((m) => !m.deletedAt).map((m) => m.email);
  if (live.length) fail('INVALID_STATE', `${nameSome(live)} ${live.length > 1 ? 'are' : 'is'} not removed; only removed members are purged`, `remove first: rollcall member remove ${live[0]}`);
  return members;
}

export async function purgeMembers(s: Scope, targets: readonly string[]): Promise<MemberView[]> {
  const members = await purgeable(s, targets);
  const views = await viewsOf(s, members);
  await purge(s, members, null);
  return views;
}

/** `member purge --expired`: the automatic purge at the start of this transaction did the work; report it. */
export async function purgeExpiredCommand(s: Scope): Promise<MemberView[]> {
  await requirePermission(s, 'members.delete');
  return viewsOf(s, s.autoPurged);
}

// ---------------------------------------------------------------- reset-password

export async function resetPasswords(s: Scope, targets: readonly string[]): Promise<Unsuspended[]> {
  const members = await resolveTargets(s, targets);
  await requirePermission(s, 'members.unlock', members.map(orgsOf));
  notDeleted(members, 'reset the password of');
  const out: Unsuspended[] = [];
  const views = await viewsOf(s, members);
  for (const [i, m] of members.entries()) {
    const pw = newTemporaryPassword();
    // The old password stops working: a reset is for a forgotten or leaked one.
    await s.tx.saveCredentials([{ memberId: m.id, passwordHash: null, passwordSetAt: null, tempHash: sha256(pw), tempIssuedAt: s.nowIso, failedLogins: 0 }]);
    s.record({ action: 'member.reset-password', target: m.email, targetId: m.id });
    out.push({ ...views[i], temporaryPassword: pw });
  }
  return out;
}

// ---------------------------------------------------------------- posts in the org chart

export interface MoveInput {
  org?: string | null; // new primary post; null clears it
  addOrgs?: string[];
  removeOrgs?: string[];
}

/** Applies a change of posts to a member: pure, validated against the tree. */
export function movedMember(m: Member, tree: OrgTree, input: MoveInput, now: string): Member {
  let orgId = m.orgId;
  let orgIds = [...m.orgIds];
  if (input.org !== undefined) orgId = input.org === null || input.org === '' ? null : tree.resolve(input.org).id;
  for (const p of input.addOrgs ?? []) orgIds.push(tree.resolve(p).id);
  for (const p of input.removeOrgs ?? []) {
    const id = tree.resolve(p).id;
    if (orgId === id) orgId = null;
    orgIds = orgIds.filter((o) => o !== id);
  }
  orgIds = [...new Set(orgIds)].filter((id) => id !== orgId);
  return { ...m, orgId, orgIds, updatedAt: now };
}

export async function moveMembers(s: Scope, targets: readonly string[], input: MoveInput): Promise<MemberView[]> {
  if (input.org === undefined && !input.addOrgs?.length && !input.removeOrgs?.length) fail('USAGE', 'say where: --org PATH, --add-org PATH or --remove-org PATH');
  const members = await resolveTargets(s, targets);
  notDeleted(members, 'move');
  const tree = new OrgTree(await s.orgs());
  const after = members.map((m) => movedMember(m, tree, input, s.nowIso));
  // A scoped manager must reach the member both where it is and where it goes.
  await requirePermission(s, 'members.manage', members.map((m, i) => [...new Set([...orgsOf(m), ...orgsOf(after[i])])]));
  await s.tx.updateMembers(after);
  await auditChanges(s, 'member.move', members, after);
  return viewsOf(s, after);
}
