// Finding the members a command names, by email or id: NOT_FOUND naming every one missing, before anything changes.
import { normalizeEmail, parseEmail } from '../email.js';
import { fail, nameSome } from '../errors.js';
import { RESTORE_WINDOW_DAYS, type Member } from '../model.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { shellQuote } from '../shell.js';

/** Whether an address belongs to a member (removed ones included): a new member needs a name. */
export async function isMember(s: UnitOfWork, email: string): Promise<boolean> {
  return !!(await s.tx.getMemberByEmail(parseEmail(email)));
}

/** Finds members by email or id: NOT_FOUND naming every one missing, before anything changes. */
export async function resolveTargets(s: UnitOfWork, targets: readonly string[], opts: { purgedIsExpired?: boolean } = {}): Promise<Member[]> {
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

export async function resolveTarget(s: UnitOfWork, target: string): Promise<Member> {
  return (await resolveTargets(s, [target]))[0];
}

export function notDeleted(members: readonly Member[], verb: string) {
  const gone = members.filter((m) => m.deletedAt).map((m) => m.email);
  if (gone.length) fail('INVALID_STATE', `cannot ${verb} ${nameSome(gone)}: removed`, `restore first: rollcall member restore ${shellQuote(gone[0])}`);
}
