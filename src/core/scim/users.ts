// The /Users use cases of the SCIM server (issue 25): each is the commands a CLI user would run, in one
// unit of work. A new User is `member add` (no password: the member waits for an invitation or a
// reset), `active: false` is `member suspend`, a change is `member update`, DELETE is `member
// remove` (restorable for 7 days). Every rule, permission and audit event is theirs; the acting
// member is the token's, and needs members.manage (within its scope, for a scoped admin).
import { orgsOf, requirePermission, requirePermissionSomewhere, visibleFilter } from '../access/grants.js';
import { localPart, normalizeEmail } from '../email.js';
import { fail } from '../errors.js';
import { addMembers } from '../members/add.js';
import { removeMembers } from '../members/remove.js';
import { LOCKOUT_REASON, suspendMembers, unsuspendMembers } from '../members/suspend.js';
import { updateMember, type UpdateInput } from '../members/update.js';
import { memberView } from '../members/views.js';
import type { Member } from '../model.js';
import { ensureOrgPath } from '../orgs/chart.js';
import { OrgTree, normalizePath } from '../orgs/tree.js';
import { scimUser, type Json } from '../roster/formats/scim-user.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { equalityOn, matches, parseFilter, USER_ATTRIBUTES } from './filter.js';
import { applyPatch, patchOperations } from './patch.js';
import { scimFail } from './refusal.js';
import { newUser, userChanges, type UserChange } from './user-changes.js';

export interface ProvisioningOptions {
  /** Departments naming orgs that do not exist create them (needs orgs.manage), as `apply --create-orgs`. */
  createOrgs?: boolean;
}

/** The reason a suspension by the identity provider records. */
export const SCIM_REASON = 'scim';

/** A member as a SCIM User: the export's User (scim-user.ts), with the provisioning client's externalId. */
export function userResource(m: Member, tree: OrgTree, domains: readonly string[], now: Date): Json {
  const user: Json = scimUser(memberView(m, tree, domains, now));
  if (m.externalId !== null) user.externalId = m.externalId;
  return user;
}

/** How members are shown as SCIM users, the org tree and domains read once. */
async function resourceOf(s: UnitOfWork): Promise<(m: Member) => Json> {
  const tree = new OrgTree(await s.orgs());
  const domains = await s.tx.listDomains();
  return (m) => userResource(m, tree, domains, s.now);
}

async function resources(s: UnitOfWork, members: readonly Member[]): Promise<Json[]> {
  return members.map(await resourceOf(s));
}

/** Every /Users request: the token's member manages members, somewhere at least. */
function mayProvision(s: UnitOfWork) {
  return requirePermissionSomewhere(s, 'members.manage');
}

/** The member a /Users/{id} names: NOT_FOUND when there is none, or it has been removed. */
async function memberById(s: UnitOfWork, id: string): Promise<Member> {
  const m = await s.tx.getMember(id);
  if (!m || m.deletedAt) fail('NOT_FOUND', `no user ${id}`, 'find users with GET /Users?filter=userName eq "EMAIL"');
  await requirePermission(s, 'members.view', [orgsOf(m)]);
  return m;
}

/** A department's org path, created when missing if the server was started with --create-orgs. */
async function orgFor(s: UnitOfWork, path: string, opts: ProvisioningOptions): Promise<string> {
  if (new OrgTree(await s.orgs()).find(path)) return path;
  if (!opts.createOrgs) {
    scimFail('invalidValue', `no org "${normalizePath(path)}" for the department`,
      'create it (rollcall org add PATH --parents), or start the server with --create-orgs');
  }
  await requirePermission(s, 'orgs.manage');
  await ensureOrgPath(s, path, true);
  return path;
}

export async function getUser(s: UnitOfWork, id: string): Promise<Json> {
  await mayProvision(s);
  return (await resources(s, [await memberById(s, id)]))[0];
}

export interface Page {
  totalResults: number;
  resources: Json[];
}

/**
 * Users matching a filter, in address order, one page of them (startIndex from 1). A filter that
 * names one userName, externalId or id (Okta's and Entra's probes) reads only those members; any
 * other request reads the members a batch at a time, counting every match and keeping the page's.
 */
export async function listUsers(s: UnitOfWork, q: { filter?: string; startIndex: number; count: number }): Promise<Page> {
  await mayProvision(s);
  const visible = await visibleFilter(s, 'members.view');
  const f = q.filter ? parseFilter(q.filter, USER_ATTRIBUTES) : null;
  const probe = f ? equalityOn(f, ['username', 'externalid', 'id']) : null;
  const batches = async function* (): AsyncGenerator<readonly Member[]> {
    if (probe?.key === 'username') yield [await s.tx.getMemberByEmail(normalizeEmail(probe.value))].filter((m): m is Member => !!m);
    else if (probe?.key === 'externalid') yield await s.tx.getMembersByExternalId(probe.value);
    else if (probe?.key === 'id') yield [await s.tx.getMember(probe.value)].filter((m): m is Member => !!m);
    else yield* s.tx.scanMembers();
  };
  const resource = await resourceOf(s);
  const from = q.startIndex - 1;
  const page: Json[] = [];
  let total = 0;
  for await (const batch of batches()) {
    for (const m of batch) {
      if (m.deletedAt || !visible(m)) continue;
      const onPage = total >= from && page.length < q.count;
      // Without a filter, a member off the page is only counted: its resource is never made.
      const r = f || onPage ? resource(m) : null;
      if (f && !matches(f, r!, USER_ATTRIBUTES)) continue;
      if (onPage) page.push(r!);
      total++;
    }
  }
  return { totalResults: total, resources: page };
}

/** Applies changes to a member through the member commands; unchanged fields write nothing. */
async function change(s: UnitOfWork, m: Member, c: UserChange, opts: ProvisioningOptions): Promise<void> {
  // A lockout after failed sign-ins is rollcall's own safety: the provider's `active: true` (sent on
  // every Okta PUT) does not lift it; `rollcall member unsuspend` does, with a new temporary password.
  if (c.active === true && m.suspendedAt && m.suspendedReason !== LOCKOUT_REASON) await unsuspendMembers(s, [m.id]);
  const update: UpdateInput = {};
  if (c.email !== undefined && normalizeEmail(c.email) !== m.email) update.email = c.email;
  if (c.name !== undefined && c.name !== m.name) update.name = c.name;
  if (c.title !== undefined) update.title = c.title;
  if (c.org !== undefined) update.org = c.org === null ? null : await orgFor(s, c.org, opts);
  if (c.externalId !== undefined) update.externalId = c.externalId;
  if (Object.keys(update).length) await updateMember(s, m.id, update);
  if (c.active === false && !m.suspendedAt) await suspendMembers(s, [m.id], SCIM_REASON);
}

/** POST /Users: a new member (role viewer, no password), suspended at once if `active` is false. */
export async function createUser(s: UnitOfWork, body: unknown, opts: ProvisioningOptions): Promise<Json> {
  await mayProvision(s);
  const u = newUser(body);
  const org = u.org ? await orgFor(s, u.org, opts) : null;
  const email = normalizeEmail(u.email);
  const [added] = await addMembers(s, [{ email, name: u.name ?? localPart(email), title: u.title ?? null, org, externalId: u.externalId ?? null, temporaryPassword: false }]);
  if (u.active === false) await suspendMembers(s, [added.member.id], SCIM_REASON);
  return getUser(s, added.member.id);
}

/** PUT /Users/{id}: the User given, read as changes from the one shown (attributes left out are kept). */
export async function replaceUser(s: UnitOfWork, id: string, body: unknown, opts: ProvisioningOptions): Promise<Json> {
  await mayProvision(s);
  const m = await memberById(s, id);
  const [before] = await resources(s, [m]);
  await change(s, m, userChanges(before, body, false), opts);
  return getUser(s, id);
}

/** PATCH /Users/{id}: the operations applied to the User shown, then read as a PUT that clears what was removed. */
export async function patchUser(s: UnitOfWork, id: string, body: unknown, opts: ProvisioningOptions): Promise<Json> {
  await mayProvision(s);
  const ops = patchOperations(body);
  const m = await memberById(s, id);
  const [before] = await resources(s, [m]);
  await change(s, m, userChanges(before, applyPatch(before, ops), true), opts);
  return getUser(s, id);
}

/** DELETE /Users/{id}: `member remove`, restorable for 7 days (members.delete). */
export async function deleteUser(s: UnitOfWork, id: string): Promise<void> {
  await mayProvision(s);
  await memberById(s, id);
  await removeMembers(s, [id], SCIM_REASON);
}
