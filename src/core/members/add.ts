// member add (SPEC §3): new members, every field checked, all or nothing.
import { orgsOf, requirePermission } from '../access/grants.js';
import { parseEmail } from '../email.js';
import { fail } from '../errors.js';
import type { Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import { checkRole, scopeIds } from '../access/roles.js';
import { emailFree, externalAllowed, externalIdFree, seatsFor } from './rules.js';
import { checkExternalId, checkName, checkStartDate, checkTitle } from '../text.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { DEFAULT_ROLE, issueTemporaryPassword, newMember, noCredentials } from './records.js';
import { auditChanges } from './views.js';
import { mayTurnOnTwoStep } from '../mail/settings.js';

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
  /** The provisioning client's id (SCIM externalId). */
  externalId?: string | null;
  /** false: no temporary password (the member waits for an invitation or a reset). */
  temporaryPassword?: boolean;
}

export interface NewMember {
  member: Member;
  temporaryPassword: string | null;
}

/** Builds a new member from input, checking every field; writes nothing. */
export async function prepareMember(s: UnitOfWork, input: AddInput, tree: OrgTree): Promise<Member> {
  const email = parseEmail(input.email);
  const role = await checkRole(s, input.role ?? DEFAULT_ROLE);
  const orgId = input.org ? tree.resolve(input.org).id : null;
  const orgIds = [...new Set((input.addOrgs ?? []).map((p) => tree.resolve(p).id))].filter((id) => id !== orgId);
  return newMember({
    email, name: checkName(input.name), title: checkTitle(input.title), orgId, orgIds, role, scope: scopeIds(tree, role, input.scope ?? []),
    startDate: input.startDate ? checkStartDate(input.startDate) : null, twoFactor: input.twoFactor,
    externalId: input.externalId == null ? null : checkExternalId(input.externalId),
  }, s.nowIso);
}

/** Assigning anything but the default role is role management: a scoped manager cannot hand out admin. */
async function mayAssignRole(s: UnitOfWork, role: string) {
  if (role !== DEFAULT_ROLE) await requirePermission(s, 'roles.manage');
}

export async function addMembers(s: UnitOfWork, inputs: readonly AddInput[]): Promise<NewMember[]> {
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
    if (m.externalId !== null) await externalIdFree(s, m.externalId);
  }
  await externalAllowed(s, members.map((m) => m.email));
  await seatsFor(s, members.length);
  if (members.some((m) => m.twoFactor)) await mayTurnOnTwoStep(s);
  await s.tx.insertMembers(members);
  const issued = members.map((m, i) => (inputs[i].temporaryPassword === false
    ? { credentials: noCredentials(m.id), temporaryPassword: null }
    : issueTemporaryPassword(m.id, s.nowIso)));
  await s.tx.saveCredentials(issued.map((c) => c.credentials));
  const out: NewMember[] = members.map((member, i) => ({ member, temporaryPassword: issued[i].temporaryPassword }));
  await auditChanges(s, 'member.add', [], members);
  return out;
}
