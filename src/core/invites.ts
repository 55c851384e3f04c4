// Invitations (SPEC §5): a link valid 24 hours, usable once; a re-issue kills the previous link.
import { orgsOf, requirePermission } from './access/grants.js';
import { HOUR, addMs } from './clock.js';
import { INVITE_HOURS, checkPasswordPolicy, hashPassword, newSecret, sha256 } from './credentials.js';
import { localPart, parseEmail } from './email.js';
import { RollcallError, fail } from './errors.js';
import { newId } from './ids.js';
import { addMembers } from './members/add.js';
import { resolveTarget } from './members/targets.js';
import { checkName } from './text.js';
import type { InviteRecord, Member } from './model.js';
import { chosenPassword } from './members/records.js';
import { OrgTree } from './orgs/tree.js';
import { checkRole, scopeIds } from './access/roles.js';
import { emailFree } from './members/rules.js';
import type { UnitOfWork } from './unit-of-work.js';
import type { Workspace } from './workspace.js';
import { auditSnapshot, statusOf } from './members/views.js';
import { shellQuote } from './shell.js';
import { deliver, invitationMessage } from './mail/messages.js';
import { requireMailServer } from './mail/settings.js';

export interface InviteInput {
  email: string;
  role?: string;
  scope?: string[];
  name?: string;
  org?: string;
}

export interface IssuedInvite {
  email: string;
  inviteToken: string;
  inviteUrl: string | null;
  expiresAt: string;
}

function isOpen(i: InviteRecord): boolean {
  return !i.usedAt && !i.revokedAt;
}

async function revokeOpen(s: UnitOfWork, memberId: string): Promise<number> {
  const open = (await s.tx.listInvites()).filter((i) => i.memberId === memberId && isOpen(i));
  for (const i of open) await s.tx.updateInvite({ ...i, revokedAt: s.nowIso });
  return open.length;
}

/** A new invitation for the member; earlier open ones die. The token is returned once, stored hashed. `reason` goes into the audit log. */
export async function newInvitation(s: UnitOfWork, member: Member, baseUrl?: string, reason?: string): Promise<IssuedInvite> {
  await revokeOpen(s, member.id);
  const token = newSecret('ri_', 24);
  const expiresAt = addMs(s.nowIso, INVITE_HOURS * HOUR);
  await s.tx.insertInvite({ id: newId('inv'), memberId: member.id, hash: sha256(token), createdAt: s.nowIso, expiresAt, usedAt: null, revokedAt: null });
  s.record({ action: 'invite.issue', target: member.email, targetId: member.id, after: { expiresAt }, ...(reason ? { reason } : {}) });
  return { email: member.email, inviteToken: token, inviteUrl: baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${token}` : null, expiresAt };
}

/**
 * Creates an invited member, or re-issues for one that has not registered yet. A new member without
 * a name is named after its address's local part, as a roster row without one is (SPEC §5, §8).
 */
export async function issueInvite(s: UnitOfWork, input: InviteInput, baseUrl?: string, reason?: string): Promise<IssuedInvite> {
  const email = parseEmail(input.email);
  const existing = await s.tx.getMemberByEmail(email);
  if (!existing) {
    const name = input.name ?? localPart(email);
    const [created] = await addMembers(s, [{ email, name, role: input.role, scope: input.scope, org: input.org, temporaryPassword: false }]);
    return newInvitation(s, created.member, baseUrl, reason);
  }
  if (existing.deletedAt) await emailFree(s, email); // ALREADY_EXISTS, with the restore/purge hint
  await requirePermission(s, 'members.manage', [orgsOf(existing)]);
  if (existing.registered) fail('INVALID_STATE', `${email} has already registered: an invitation is for members who have not`, `to give a new way in, use: rollcall member reset-password ${shellQuote(email)}`);
  // Accepting would be refused (ACCOUNT_SUSPENDED): a link that cannot be used is not issued.
  if (existing.suspendedAt) fail('INVALID_STATE', `${email} is suspended: an invitation could not be accepted`, `lift the suspension first: rollcall member unsuspend ${shellQuote(email)}`);
  const tree = new OrgTree(await s.orgs());
  const after: Member = { ...existing };
  if (input.name !== undefined) after.name = checkName(input.name);
  if (input.role !== undefined || input.scope !== undefined) {
    after.role = await checkRole(s, input.role ?? existing.role);
    if (after.role !== existing.role) await requirePermission(s, 'roles.manage');
    after.scope = input.scope !== undefined || after.role !== existing.role ? scopeIds(tree, after.role, input.scope ?? []) : existing.scope;
  }
  if (input.org !== undefined) after.orgId = tree.resolve(input.org).id;
  if (JSON.stringify(after) !== JSON.stringify(existing)) {
    after.updatedAt = s.nowIso;
    await requirePermission(s, 'members.manage', [orgsOf(after)]);
    await s.tx.updateMembers([after]);
    s.record({ action: 'member.update', target: email, targetId: after.id, before: auditSnapshot(existing, tree), after: auditSnapshot(after, tree) });
  }
  return newInvitation(s, after, baseUrl, reason);
}

export interface MailedInvite extends Omit<IssuedInvite, 'inviteToken' | 'inviteUrl'> {
  /** Null: the link went to the invitee alone, and is shown to no one else. */
  inviteToken: null;
  inviteUrl: null;
  mailedTo: string;
  /** The mail server's answer. */
  mailResponse: string;
}

/**
 * invite issue --send: the invitation, issued as issueInvite does, then mailed to the invitee as
 * the transaction's last step, so that mail that cannot leave (MAIL_UNAVAILABLE) rolls it all back.
 * The link is never returned: whoever issues it does not hold it.
 */
export async function issueAndMailInvite(s: UnitOfWork, input: InviteInput, baseUrl?: string): Promise<MailedInvite> {
  const server = await requireMailServer(s, 'invite issue --send');
  const issued = await issueInvite(s, input, baseUrl, 'mailed to the invitee');
  const receipt = await deliver(s, server, await invitationMessage(s, issued.email, issued.inviteToken, issued.inviteUrl, issued.expiresAt));
  return { email: issued.email, inviteToken: null, inviteUrl: null, expiresAt: issued.expiresAt, mailedTo: issued.email, mailResponse: receipt.response };
}

/** The invitee sets a password, and its own name if it gives one; the member becomes active. */
export async function acceptInvite(ws: Workspace, token: string, password: string, rawName?: string): Promise<Member> {
  const name = rawName === undefined ? undefined : checkName(rawName);
  const hash = await hashPassword(password).catch(() => '');
  return ws.write(null, async (s) => {
    const invite = await s.tx.getInviteByHash(sha256(token.trim()));
    const invalid = () => new RollcallError('INVITE_INVALID', 'this invitation is not valid: unknown, revoked, or replaced by a newer one', 'ask an admin for a new one: rollcall invite issue EMAIL');
    if (!invite) throw invalid();
    if (invite.usedAt) fail('INVITE_USED', 'this invitation has already been used', 'sign in with: rollcall login EMAIL');
    if (invite.revokedAt) throw invalid();
    const member = await s.tx.getMember(invite.memberId);
    if (!member || member.deletedAt) throw invalid();
    if (Date.parse(invite.expiresAt) <= s.now.getTime()) fail('INVITE_EXPIRED', `this invitation expired at ${invite.expiresAt}`, `ask an admin to re-issue it: rollcall invite issue ${shellQuote(member.email)}`);
    const status = statusOf(member, s.now);
    if (status === 'suspended') fail('ACCOUNT_SUSPENDED', `account is not enabled: ${member.email} is suspended`);
    if (status === 'pending') fail('ACCOUNT_PENDING', `${member.email} starts on ${member.startDate} and cannot register before then`);
    checkPasswordPolicy(password);
    await s.tx.saveCredentials([chosenPassword(member.id, hash, s.nowIso)]);
    await s.tx.addPasswordHistory(member.id, hash, s.nowIso);
    await s.tx.updateInvite({ ...invite, usedAt: s.nowIso });
    const after = { ...member, registered: true, name: name ?? member.name, updatedAt: s.nowIso };
    await s.tx.updateMembers([after]);
    const renamed = after.name !== member.name ? { before: { name: member.name }, after: { name: after.name } } : {};
    s.record({ action: 'invite.accept', target: member.email, targetId: member.id, actor: member.email, ...renamed });
    return after;
  });
}

export interface InviteView {
  email: string;
  createdAt: string;
  expiresAt: string;
  expired: boolean;
}

export async function listInvites(s: UnitOfWork): Promise<InviteView[]> {
  await requirePermission(s, 'members.manage');
  const open = (await s.tx.listInvites()).filter(isOpen);
  const out: InviteView[] = [];
  for (const i of open) {
    const m = await s.tx.getMember(i.memberId);
    if (!m || m.deletedAt) continue;
    out.push({ email: m.email, createdAt: i.createdAt, expiresAt: i.expiresAt, expired: Date.parse(i.expiresAt) <= s.now.getTime() });
  }
  return out.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}

export async function revokeInvite(s: UnitOfWork, target: string): Promise<{ email: string; revoked: number }> {
  const m = await resolveTarget(s, target);
  await requirePermission(s, 'members.manage', [orgsOf(m)]);
  const revoked = await revokeOpen(s, m.id);
  if (!revoked) fail('INVALID_STATE', `${m.email} has no open invitation`);
  s.record({ action: 'invite.revoke', target: m.email, targetId: m.id });
  return { email: m.email, revoked };
}
