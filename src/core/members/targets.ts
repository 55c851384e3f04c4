// Finding the members a command names, by email or id: NOT_FOUND naming every one missing, before anything changes.
import { normalizeEmail, parseEmail } from '../email.js';
import { fail, nameSome } from '../errors.js';
import type { Member } from '../model.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { shellQuote } from '../shell.js';

/** Whether an address belongs to a member (removed ones included): a new member needs a name. */
export async function isMember(s: UnitOfWork, email: string): Promise<boolean> {
  return !!(await s.tx.getMemberByEmail(parseEmail(email)));
}

/** The member an email or an id names, removed ones included, or null. */
export async function findMember(s: UnitOfWork, target: string): Promise<Member | null> {
  const email = normalizeEmail(target); // NFKC first: a full-width ＠ is an @
  return email.includes('@') ? s.tx.getMemberByEmail(email) : s.tx.getMember(target.trim());
}

/** The key a target names a purged member by: its normalised email, or its id. */
export function purgedKey(target: string): string {
  const email = normalizeEmail(target);
  return email.includes('@') ? email : target.trim();
}

/** Finds members by email or id: NOT_FOUND naming every one missing, before anything changes. */
export async function resolveTargets(s: UnitOfWork, targets: readonly string[]): Promise<Member[]> {
  if (!targets.length) fail('USAGE', 'name at least one member (email or id)');
  const found = new Map<string, Member>();
  const missing: string[] = [];
  for (const t of targets) {
    const m = await findMember(s, t);
    if (m) found.set(m.id, m);
    else missing.push(t);
  }
  if (missing.length) fail('NOT_FOUND', `no member ${nameSome(missing)}`, 'list members with: rollcall member list (removed ones: --status deleted)');
  return [...found.values()];
}

export async function resolveTarget(s: UnitOfWork, target: string): Promise<Member> {
  return (await resolveTargets(s, [target]))[0];
}

export function notDeleted(members: readonly Member[], verb: string) {
  const gone = members.filter((m) => m.deletedAt).map((m) => m.email);
  if (gone.length) fail('INVALID_STATE', `cannot ${verb} ${nameSome(gone)}: removed`, `restore first: rollcall member restore ${shellQuote(gone[0])}`);
}
