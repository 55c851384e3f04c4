// The /Groups use cases of the SCIM server (issue 25), made of the group commands (SPEC §7): a new
// Group is `group create` (the token's member becomes its owner), a new displayName `group update`,
// members `group add-member` (as group members) and `group remove-member`, DELETE `group delete`.
// Group authority stays the group's own: the token's member must be an admin of the group it
// changes. A group never loses its owner through SCIM: a member list replaced whole keeps the owner,
// and an operation that removes the owner by name is refused (OWNER_PROTECTED).
import { actorOf, grantOf, requirePermissionSomewhere } from '../access/grants.js';
import { fail, nameSome } from '../errors.js';
import {
  addGroupMembers, createGroup as createWorkgroup, deleteGroup as deleteWorkgroup, removeGroupMembers, updateGroup,
} from '../groups.js';
import type { Group, Member } from '../model.js';
import { SCIM_GROUP, isObject, type Json } from '../roster/formats/scim-user.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { GROUP_ATTRIBUTES, equalityOn, matches, parseFilter } from './filter.js';
import { applyPatch, patchOperations } from './patch.js';
import { scimFail } from './refusal.js';
import type { Page } from './users.js';

/** Every /Groups request: the token's member may manage groups (groups.create). */
function mayManageGroups(s: UnitOfWork) {
  return requirePermissionSomewhere(s, 'groups.create');
}

/** A group as a SCIM Group; its members only for a member of the group (SPEC §7: who sees what). */
async function groupResource(s: UnitOfWork, g: Group): Promise<Json> {
  const actor = actorOf(s);
  const rows = await s.tx.listGroupMemberships({ groupId: g.id });
  const res: Json = { schemas: [SCIM_GROUP], id: g.id, displayName: g.name };
  if (g.externalId !== null) res.externalId = g.externalId;
  if (rows.some((r) => r.memberId === actor.id)) {
    const members = [];
    for (const r of rows) {
      const m = await s.tx.getMember(r.memberId);
      if (m && !m.deletedAt) members.push({ value: m.id, display: m.email, type: 'User' });
    }
    res.members = members;
  }
  res.meta = { resourceType: 'Group', created: g.createdAt, lastModified: g.updatedAt };
  return res;
}

/** Whether the acting member may see the group at all: members.view, or being in it. */
async function visible(s: UnitOfWork): Promise<(g: Group) => boolean> {
  const actor = actorOf(s);
  if (await grantOf(s, actor.role, 'members.view')) return () => true;
  const mine = new Set((await s.tx.listGroupMemberships({ memberId: actor.id })).map((m) => m.groupId));
  return (g) => mine.has(g.id);
}

async function groupById(s: UnitOfWork, id: string): Promise<Group> {
  const g = (await s.tx.listGroups()).find((x) => x.id === id);
  if (!g || !(await visible(s))(g)) fail('NOT_FOUND', `no group ${id}`, 'find groups with GET /Groups?filter=displayName eq "NAME"');
  return g;
}

export async function getGroup(s: UnitOfWork, id: string): Promise<Json> {
  await mayManageGroups(s);
  return groupResource(s, await groupById(s, id));
}

export async function listGroups(s: UnitOfWork, q: { filter?: string; startIndex: number; count: number }): Promise<Page> {
  await mayManageGroups(s);
  const f = q.filter ? parseFilter(q.filter, GROUP_ATTRIBUTES) : null;
  const probe = f ? equalityOn(f, ['id', 'externalid']) : null;
  const seen = await visible(s);
  const groups = (await s.tx.listGroups()).filter((g) => seen(g)
    && (probe?.key !== 'id' || g.id === probe.value) && (probe?.key !== 'externalid' || g.externalId === probe.value));
  const found: Json[] = [];
  for (const g of groups) {
    const res = await groupResource(s, g);
    if (!f || matches(f, res, GROUP_ATTRIBUTES)) found.push(res);
  }
  const from = q.startIndex - 1;
  return { totalResults: found.length, resources: q.count > 0 ? found.slice(from, from + q.count) : [] };
}

/**
 * The group's members a provider sees: removed (restorable) members keep their memberships for a
 * restore (SPEC §3), out of the provider's sight and reach.
 */
async function liveMembers(s: UnitOfWork, g: Group): Promise<string[]> {
  const ids: string[] = [];
  for (const r of await s.tx.listGroupMemberships({ groupId: g.id })) {
    const m = await s.tx.getMember(r.memberId);
    if (m && !m.deletedAt) ids.push(m.id);
  }
  return ids;
}

/** The member ids a Group's `members` lists; invalidValue for anything that is not a member now. */
async function memberIds(s: UnitOfWork, members: unknown): Promise<string[]> {
  if (members === undefined || members === null) return [];
  if (!Array.isArray(members)) scimFail('invalidValue', 'members is a list of { "value": USER_ID }');
  const ids = members.map((m, i) => {
    const v = isObject(m) ? m.value : undefined;
    if (typeof v !== 'string' || !v.trim()) scimFail('invalidValue', `members[${i}] has no value: a member is { "value": USER_ID }`);
    return v.trim();
  });
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const m: Member | null = await s.tx.getMember(id);
    if (!m || m.deletedAt) missing.push(id);
  }
  if (missing.length) scimFail('invalidValue', `no user ${nameSome(missing)}: a group's members are users of this workspace`);
  return [...new Set(ids)];
}

function displayNameOf(res: Json): string | undefined {
  const name = res.displayName;
  if (name === undefined) return undefined;
  if (typeof name !== 'string' || !name.trim()) scimFail('invalidValue', 'displayName is the group\'s name: a non-empty text');
  return name;
}

function externalIdOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && v.trim()) return v;
  scimFail('invalidValue', `externalId is the provisioning client's id, a non-empty text: got ${JSON.stringify(v)}`);
}

/**
 * Brings a group to a name, external id and member list. The owner stays whatever the list says,
 * unless `dropOwner` (an operation removed it by name): then the core refuses, OWNER_PROTECTED.
 */
async function reconcile(s: UnitOfWork, g: Group, want: { name?: string; externalId?: string | null; members?: string[] }, dropOwner = false) {
  const update: { name?: string; externalId?: string | null } = {};
  if (want.name !== undefined && want.name !== g.name) update.name = want.name;
  if (want.externalId !== undefined && want.externalId !== g.externalId) update.externalId = want.externalId;
  let name = g.name;
  if (Object.keys(update).length) name = (await updateGroup(s, g.name, update)).name;
  if (want.members === undefined) return;
  const current = new Set(await liveMembers(s, g));
  const wanted = new Set(want.members);
  const adds = want.members.filter((id) => !current.has(id));
  const removes = [...current].filter((id) => !wanted.has(id) && (id !== g.ownerId || dropOwner));
  if (removes.length) await removeGroupMembers(s, name, removes);
  if (adds.length) await addGroupMembers(s, name, adds, 'member');
}

/** POST /Groups: `group create` by the token's member, then its members. */
export async function createGroup(s: UnitOfWork, body: unknown): Promise<Json> {
  await mayManageGroups(s);
  if (!isObject(body)) scimFail('invalidSyntax', 'the body is not a SCIM Group (a JSON object)');
  const name = displayNameOf(body);
  if (name === undefined) scimFail('invalidValue', 'a Group needs a displayName');
  const members = await memberIds(s, body.members);
  const created = await createWorkgroup(s, name, { externalId: externalIdOf(body.externalId) });
  const g = (await s.tx.listGroups()).find((x) => x.name === created.name)!;
  const owner = actorOf(s).id;
  await reconcile(s, g, { members: [owner, ...members.filter((id) => id !== owner)] });
  return getGroup(s, g.id);
}

/** PUT /Groups/{id}: displayName, externalId and the whole member list (the owner stays). */
export async function replaceGroup(s: UnitOfWork, id: string, body: unknown): Promise<Json> {
  await mayManageGroups(s);
  if (!isObject(body)) scimFail('invalidSyntax', 'the body is not a SCIM Group (a JSON object)');
  const g = await groupById(s, id);
  await reconcile(s, g, {
    name: displayNameOf(body),
    ...(body.externalId !== undefined ? { externalId: externalIdOf(body.externalId) } : {}),
    members: await memberIds(s, body.members),
  });
  return getGroup(s, id);
}

/**
 * PATCH /Groups/{id}: each operation applied in turn to the Group shown with all its members (the
 * token's member must be in the group to change it anyway), then the result reconciled.
 */
export async function patchGroup(s: UnitOfWork, id: string, body: unknown): Promise<Json> {
  await mayManageGroups(s);
  const ops = patchOperations(body);
  const g = await groupById(s, id);
  // Members as { value } alone: a remove by value ({ "value": ID }, Entra's) must match them exactly.
  let res: Json = { ...(await groupResource(s, g)), members: (await liveMembers(s, g)).map((value) => ({ value })) };
  const hasOwner = (r: Json) => Array.isArray(r.members) && r.members.some((m: unknown) => isObject(m) && m.value === g.ownerId);
  let dropOwner = false;
  for (const op of ops) {
    const next = applyPatch(res, [op]);
    if (op.op === 'remove' && hasOwner(res) && !hasOwner(next)) dropOwner = true;
    res = next;
  }
  await reconcile(s, g, {
    name: displayNameOf(res),
    externalId: externalIdOf(res.externalId),
    members: await memberIds(s, res.members ?? []),
  }, dropOwner);
  return getGroup(s, id);
}

/** DELETE /Groups/{id}: `group delete`, which only the owner may do. */
export async function deleteGroup(s: UnitOfWork, id: string): Promise<void> {
  await mayManageGroups(s);
  const g = await groupById(s, id);
  await deleteWorkgroup(s, g.name);
}
