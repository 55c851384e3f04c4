// Groups and ownership (SPEC §7, seed 001). Group authority is the group's own: only its admins
// manage it, whatever their workspace role; exactly one admin is the owner.
import { actorOf, grantOf, requirePermission } from './access/grants.js';
import { domainOf } from './email.js';
import { fail, nameSome } from './errors.js';
import { newId } from './ids.js';
import { howToActivate } from './members/rules.js';
import { resolveTarget, resolveTargets } from './members/targets.js';
import type { Group, GroupMembership, Member } from './model.js';
import type { UnitOfWork } from './unit-of-work.js';
import { statusOf } from './members/views.js';
import { shellQuote } from './shell.js';
import { checkExternalId } from './text.js';

export type GroupRole = 'admin' | 'member';

export interface GroupView {
  name: string;
  status: 'active' | 'suspended';
  owner: string;
  internalOnly: boolean;
  description: string | null;
  members?: Array<{ email: string; role: GroupRole; owner: boolean }>;
}

function checkGroupName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (!name || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) fail('INVALID_INPUT', 'a group name is 1–100 characters without control characters');
  return name;
}

async function findGroup(s: UnitOfWork, name: string): Promise<Group> {
  const wanted = name.normalize('NFC').trim().toLowerCase();
  const g = (await s.tx.listGroups()).find((x) => x.name.toLowerCase() === wanted);
  if (!g) fail('NOT_FOUND', `no group "${name}"`, 'list them with: rollcall group list');
  return g;
}

async function membershipsOf(s: UnitOfWork, g: Group): Promise<GroupMembership[]> {
  return s.tx.listGroupMemberships({ groupId: g.id });
}

/** PERMISSION_DENIED unless the acting member is an admin of this group. */
async function requireGroupAdmin(s: UnitOfWork, g: Group): Promise<Member> {
  const actor = actorOf(s);
  const mine = (await membershipsOf(s, g)).find((m) => m.memberId === actor.id);
  if (mine?.role !== 'admin') fail('PERMISSION_DENIED', `${actor.email} is not an admin of group "${g.name}": only its group admins manage it`, `see its admins: rollcall group show ${shellQuote(g.name)}`);
  return actor;
}

async function externalCheck(s: UnitOfWork, g: Group, members: readonly Member[]) {
  if (!g.internalOnly) return;
  const domains = await s.tx.listDomains();
  const outside = members.filter((m) => !domains.includes(domainOf(m.email))).map((m) => m.email);
  if (outside.length) fail('EXTERNAL_NOT_ALLOWED', `group "${g.name}" is internal-only and ${nameSome(outside)} ${outside.length > 1 ? 'are' : 'is'} external`, `give them an address on one of the workspace's domains (${domains.join(', ')})`);
}

async function view(s: UnitOfWork, g: Group, withMembers: boolean): Promise<GroupView> {
  const owner = await s.tx.getMember(g.ownerId);
  const out: GroupView = { name: g.name, status: g.suspended ? 'suspended' : 'active', owner: owner?.email ?? g.ownerId, internalOnly: g.internalOnly, description: g.description };
  if (withMembers) {
    const rows = await membershipsOf(s, g);
    const members = [];
    for (const r of rows) {
      const m = await s.tx.getMember(r.memberId);
      if (m && !m.deletedAt) members.push({ email: m.email, role: r.role, owner: r.memberId === g.ownerId });
    }
    out.members = members.sort((a, b) => Number(b.owner) - Number(a.owner) || a.email.localeCompare(b.email));
  }
  return out;
}

export async function createGroup(s: UnitOfWork, rawName: string, opts: { internalOnly?: boolean; description?: string; externalId?: string | null }): Promise<GroupView> {
  const actor = await requirePermission(s, 'groups.create');
  const name = checkGroupName(rawName);
  if ((await s.tx.listGroups()).some((g) => g.name.toLowerCase() === name.toLowerCase())) fail('ALREADY_EXISTS', `a group named "${name}" already exists`);
  const g: Group = { id: newId('g'), name, description: opts.description?.trim() || null, internalOnly: !!opts.internalOnly, suspended: false, ownerId: actor.id, externalId: opts.externalId == null ? null : checkExternalId(opts.externalId), createdAt: s.nowIso, updatedAt: s.nowIso };
  await externalCheck(s, g, [actor]);
  await s.tx.insertGroup(g);
  await s.tx.saveGroupMemberships([{ groupId: g.id, memberId: actor.id, role: 'admin' }]);
  s.record({ action: 'group.create', target: name, targetId: g.id, after: { owner: actor.email, internalOnly: g.internalOnly, description: g.description, ...(g.externalId !== null ? { externalId: g.externalId } : {}) } });
  return view(s, g, true);
}

/** Group members see the member list; anyone else with members.view sees name, status and owner. */
export async function showGroup(s: UnitOfWork, name: string): Promise<GroupView> {
  const actor = actorOf(s);
  const g = await findGroup(s, name);
  const inGroup = (await membershipsOf(s, g)).some((m) => m.memberId === actor.id);
  if (!inGroup && !(await grantOf(s, actor.role, 'members.view'))) fail('PERMISSION_DENIED', `${actor.email} may not see group "${g.name}"`);
  return view(s, g, inGroup);
}

/** The group's active admins other than its owner: whom the owner may hand it to. Members of the group see this. */
export async function transferCandidates(s: UnitOfWork, name: string): Promise<string[]> {
  const actor = actorOf(s);
  const g = await findGroup(s, name);
  const rows = await membershipsOf(s, g);
  if (!rows.some((m) => m.memberId === actor.id)) fail('PERMISSION_DENIED', `${actor.email} is not in group "${g.name}"`);
  const out: string[] = [];
  for (const r of rows) {
    if (r.role !== 'admin' || r.memberId === g.ownerId) continue;
    const m = await s.tx.getMember(r.memberId);
    if (m && statusOf(m, s.now) === 'active') out.push(m.email);
  }
  return out.sort();
}

export async function listGroups(s: UnitOfWork): Promise<GroupView[]> {
  const actor = actorOf(s);
  const seesAll = !!(await grantOf(s, actor.role, 'members.view'));
  const mine = new Set((await s.tx.listGroupMemberships({ memberId: actor.id })).map((m) => m.groupId));
  const out: GroupView[] = [];
  for (const g of await s.tx.listGroups()) if (seesAll || mine.has(g.id)) out.push(await view(s, g, false));
  return out;
}

export async function updateGroup(s: UnitOfWork, name: string, patch: { name?: string; description?: string; externalId?: string | null }): Promise<GroupView> {
  const g = await findGroup(s, name);
  await requireGroupAdmin(s, g);
  const after: Group = { ...g, updatedAt: s.nowIso };
  if (patch.name !== undefined) {
    after.name = checkGroupName(patch.name);
    if ((await s.tx.listGroups()).some((x) => x.id !== g.id && x.name.toLowerCase() === after.name.toLowerCase())) fail('ALREADY_EXISTS', `a group named "${after.name}" already exists`);
  }
  if (patch.description !== undefined) after.description = patch.description.trim() || null;
  if (patch.externalId !== undefined) after.externalId = patch.externalId === null ? null : checkExternalId(patch.externalId);
  await s.tx.updateGroup(after);
  // The provisioning client's id only where one is or was: other entries stay as they were.
  const ids = g.externalId !== null || after.externalId !== null;
  s.record({ action: 'group.update', target: g.name, targetId: g.id, before: { name: g.name, description: g.description, ...(ids ? { externalId: g.externalId } : {}) },
    after: { name: after.name, description: after.description, ...(ids ? { externalId: after.externalId } : {}) } });
  return view(s, after, true);
}

export async function setGroupSuspended(s: UnitOfWork, name: string, suspended: boolean): Promise<GroupView> {
  const g = await findGroup(s, name);
  await requireGroupAdmin(s, g);
  if (g.suspended === suspended) fail('INVALID_STATE', `group "${g.name}" is already ${suspended ? 'suspended' : 'active'}`);
  const after = { ...g, suspended, updatedAt: s.nowIso };
  await s.tx.updateGroup(after);
  s.record({ action: suspended ? 'group.suspend' : 'group.resume', target: g.name, targetId: g.id });
  return view(s, after, true);
}

/** The group, if the acting member owns it: checked before a confirmation is asked for, and again on delete. */
export async function groupToDelete(s: UnitOfWork, name: string): Promise<Group> {
  const actor = actorOf(s);
  const g = await findGroup(s, name);
  if (g.ownerId !== actor.id) fail('PERMISSION_DENIED', `only the owner of group "${g.name}" may delete it`);
  return g;
}

export async function deleteGroup(s: UnitOfWork, name: string): Promise<GroupView> {
  const g = await groupToDelete(s, name);
  const v = await view(s, g, true);
  await s.tx.deleteGroup(g.id);
  s.record({ action: 'group.delete', target: g.name, targetId: g.id, before: { owner: v.owner, members: v.members?.length ?? 0 } });
  return v;
}

export async function addGroupMembers(s: UnitOfWork, name: string, targets: readonly string[], role: GroupRole): Promise<GroupView> {
  const g = await findGroup(s, name);
  await requireGroupAdmin(s, g);
  if (g.suspended) fail('INVALID_STATE', `group "${g.name}" is suspended and takes no new members`, `resume it first: rollcall group resume ${shellQuote(g.name)}`);
  const members = await resolveTargets(s, targets);
  const gone = members.filter((m) => m.deletedAt).map((m) => m.email);
  if (gone.length) fail('INVALID_STATE', `${nameSome(gone)} ${gone.length > 1 ? 'are' : 'is'} removed from the workspace`);
  await externalCheck(s, g, members);
  const current = new Map((await membershipsOf(s, g)).map((m) => [m.memberId, m]));
  if (role === 'member' && current.has(g.ownerId) && members.some((m) => m.id === g.ownerId)) {
    fail('OWNER_PROTECTED', `the owner of group "${g.name}" stays a group admin`, `hand the group over first: rollcall group transfer-owner ${shellQuote(g.name)} --to ADMIN_EMAIL`);
  }
  const rows = members.filter((m) => current.get(m.id)?.role !== role).map((m) => ({ groupId: g.id, memberId: m.id, role }));
  await s.tx.saveGroupMemberships(rows);
  // A membership event is about the member (its target), in the group named in before/after (SPEC §9).
  for (const r of rows) {
    const m = members.find((x) => x.id === r.memberId)!;
    const was = current.get(m.id);
    s.record({ action: 'group.add-member', target: m.email, targetId: m.id, before: was ? { group: g.name, role: was.role } : null, after: { group: g.name, role } });
  }
  return view(s, g, true);
}

export async function removeGroupMembers(s: UnitOfWork, name: string, targets: readonly string[]): Promise<GroupView> {
  const g = await findGroup(s, name);
  await requireGroupAdmin(s, g);
  const members = await resolveTargets(s, targets);
  if (members.some((m) => m.id === g.ownerId)) fail('OWNER_PROTECTED', `the owner of group "${g.name}" cannot be removed from it`, `hand the group over first: rollcall group transfer-owner ${shellQuote(g.name)} --to ADMIN_EMAIL`);
  const current = new Map((await membershipsOf(s, g)).map((m) => [m.memberId, m.role]));
  const outside = members.filter((m) => !current.has(m.id)).map((m) => m.email);
  if (outside.length) fail('NOT_FOUND', `${nameSome(outside)} ${outside.length > 1 ? 'are' : 'is'} not in group "${g.name}"`);
  await s.tx.deleteGroupMemberships(members.map((m) => ({ groupId: g.id, memberId: m.id })));
  for (const m of members) s.record({ action: 'group.remove-member', target: m.email, targetId: m.id, before: { group: g.name, role: current.get(m.id) } });
  return view(s, g, true);
}

export async function setGroupRole(s: UnitOfWork, name: string, target: string, role: GroupRole): Promise<GroupView> {
  const g = await findGroup(s, name);
  await requireGroupAdmin(s, g);
  const m = await resolveTarget(s, target);
  const current = (await membershipsOf(s, g)).find((x) => x.memberId === m.id);
  if (!current) fail('NOT_FOUND', `${m.email} is not in group "${g.name}"`, `add it first: rollcall group add-member ${shellQuote(g.name)} ${shellQuote(m.email)}`);
  if (m.id === g.ownerId && role !== 'admin') fail('OWNER_PROTECTED', `the owner of group "${g.name}" cannot be demoted`, `hand the group over first: rollcall group transfer-owner ${shellQuote(g.name)} --to ADMIN_EMAIL`);
  if (current.role !== role) {
    await s.tx.saveGroupMemberships([{ groupId: g.id, memberId: m.id, role }]);
    s.record({ action: 'group.set-role', target: m.email, targetId: m.id, before: { group: g.name, role: current.role }, after: { group: g.name, role } });
  }
  return view(s, g, true);
}

export async function transferOwner(s: UnitOfWork, name: string, to: string, opts: { override?: boolean; reason?: string }): Promise<GroupView> {
  const actor = actorOf(s);
  const g = await findGroup(s, name);
  const target = await resolveTarget(s, to);
  const rows = await membershipsOf(s, g);
  const targetRow = rows.find((r) => r.memberId === target.id);
  const before = (await s.tx.getMember(g.ownerId))?.email ?? g.ownerId;
  if (opts.override) {
    // For an owner who has left and cannot act: the tool does not judge the owner's status, the reason records it.
    await requirePermission(s, 'groups.override');
    // §7: no one takes ownership for themselves, the override included: another support member hands it over.
    if (target.id === actor.id) fail('PERMISSION_DENIED', `no one takes ownership of a group for themselves: ${actor.email} cannot take group "${g.name}" over`, 'another member holding groups.override (role support) can hand it to you');
    if (!opts.reason?.trim()) fail('USAGE', 'taking a group over needs a reason: it is recorded in the audit log', undefined, 'reason');
    if (!targetRow || statusOf(target, s.now) !== 'active') fail('INVALID_STATE', `${target.email} must be an active member of group "${g.name}" to take it over`, await ownerHint(s, g, target, targetRow, 'member'));
  } else {
    if (g.ownerId !== actor.id) fail('PERMISSION_DENIED', `only the owner of group "${g.name}" (${before}) may hand it over`, 'support staff can use --override --reason TEXT for an owner who has left');
    if (targetRow?.role !== 'admin' || statusOf(target, s.now) !== 'active') {
      fail('TARGET_NOT_GROUP_ADMIN', `${target.email} is not an active admin of group "${g.name}"`, await ownerHint(s, g, target, targetRow, 'admin'));
    }
  }
  if (target.id === g.ownerId) fail('INVALID_STATE', `${target.email} already owns group "${g.name}"`);
  if (targetRow?.role !== 'admin') await s.tx.saveGroupMemberships([{ groupId: g.id, memberId: target.id, role: 'admin' }]);
  const after = { ...g, ownerId: target.id, updatedAt: s.nowIso };
  await s.tx.updateGroup(after);
  s.record({ action: 'group.transfer-owner', target: g.name, targetId: g.id, before: { owner: before }, after: { owner: target.email, override: !!opts.override }, reason: opts.reason?.trim() || null });
  return view(s, after, rows.some((r) => r.memberId === actor.id) || target.id === actor.id);
}

/**
 * What would make `target` eligible to own `g`: an active workspace member first (adding them to
 * the group would not help; how depends on their status), then in the group, then (without the
 * override) a group admin.
 */
async function ownerHint(s: UnitOfWork, g: Group, target: Member, row: GroupMembership | undefined, need: 'admin' | 'member'): Promise<string> {
  const [name, email] = [shellQuote(g.name), shellQuote(target.email)];
  const status = statusOf(target, s.now);
  if (status !== 'active') return `${target.email} is ${status}: a group owner must be an active member; ${await howToActivate(s, target)}`;
  if (!row) return `add them first: rollcall group add-member ${name} ${email}${need === 'admin' ? ' --role admin' : ''}`;
  return `make them a group admin first: rollcall group set-role ${name} ${email} admin`;
}
