// init (SPEC §2): a new workspace, its settings and domain, and its first admin, signed in.
import { checkPasswordPolicy, hashPassword } from './credentials.js';
import { domainOf, localPart, parseDomain, parseEmail } from './email.js';
import { fail } from './errors.js';
import { checkName } from './text.js';
import { OrgTree } from './orgs/tree.js';
import type { Workspace } from './workspace.js';
import { DEFAULT_SEAT_LIMIT, parseSeatLimit } from './settings.js';
import { auditSnapshot } from './members/views.js';
import { newSession, type SignedIn } from './auth/attempts.js';
import { chosenPassword, newMember } from './members/records.js';

export interface InitInput {
  name: string;
  domain: string;
  adminEmail: string;
  adminName?: string;
  seatLimit?: string;
  password: string;
}

export interface PreparedInit {
  name: string;
  domain: string;
  email: string;
  adminName: string;
  seatLimit: number;
  hash: string;
}

/** Checks everything `init` is given before any workspace is created: a refusal leaves nothing behind. */
export async function prepareInit(input: InitInput): Promise<PreparedInit> {
  const name = checkName(input.name, 'workspace name');
  const domain = parseDomain(input.domain);
  const email = parseEmail(input.adminEmail);
  if (domainOf(email) !== domain) fail('INVALID_INPUT', `the admin's address ${email} is not on the workspace's domain ${domain}`);
  const seatLimit = input.seatLimit !== undefined ? parseSeatLimit(input.seatLimit) : DEFAULT_SEAT_LIMIT;
  const adminName = checkName(input.adminName ?? localPart(email));
  checkPasswordPolicy(input.password);
  return { name, domain, email, adminName, seatLimit, hash: await hashPassword(input.password) };
}

/** Fills a fresh workspace: settings, its domain, the first admin (active), and signs that admin in. */
export async function initWorkspace(ws: Workspace, { name, domain, email, adminName, seatLimit, hash }: PreparedInit): Promise<SignedIn> {
  return ws.write(null, async (s) => {
    await s.tx.setMeta('name', name);
    await s.tx.setMeta('seat_limit', String(seatLimit));
    await s.tx.setMeta('allow_external', 'false');
    await s.tx.setMeta('created_at', s.nowIso);
    await s.tx.addDomain(domain, s.nowIso);
    const admin = newMember({ email, name: adminName, role: 'admin', registered: true }, s.nowIso);
    await s.tx.insertMembers([admin]);
    await s.tx.saveCredentials([chosenPassword(admin.id, hash, s.nowIso)]);
    await s.tx.addPasswordHistory(admin.id, hash, s.nowIso);
    s.record({ action: 'workspace.init', target: name, after: { name, domain, seatLimit }, actor: email });
    s.record({ action: 'member.add', target: email, targetId: admin.id, after: auditSnapshot(admin, new OrgTree([])), actor: email });
    return newSession(s, admin);
  });
}
