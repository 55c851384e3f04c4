// Members a restore cannot bring back (SPEC §3, §12), and how it says so: past the 7-day window
// (purged for good by the automatic purge, or about to be), or purged by hand before it ended. The
// audit log tells the two apart: the automatic purge has no actor.
import { fail, nameSome } from '../errors.js';
import { RESTORE_WINDOW_DAYS } from '../model.js';
import { newestByMember } from './removals.js';
import type { PurgedEmail } from '../store.js';
import type { UnitOfWork } from '../unit-of-work.js';

/** A member a restore leaves behind, and why. */
export interface SkippedRestore {
  email: string;
  /** `expired`: removed more than 7 days ago; `purged`: purged for good by hand, within its window. */
  reason: 'expired' | 'purged';
  removedAt: string | null;
  /** When it was purged for good; null while it still waits for the automatic purge. */
  purgedAt: string | null;
  /** Who purged it by hand; null for the automatic purge. */
  purgedBy: string | null;
}

/**
 * Why each purged member is gone: by hand (the member.purge event has an actor) or its window ran
 * out. The purge events are read once for all of them, from the earliest removal on (a purge comes
 * after its removal): the log has no index by target, and one reading per member made a restore
 * of a large batch read the log that many times.
 */
export async function whyPurged(s: UnitOfWork, purged: readonly PurgedEmail[]): Promise<SkippedRestore[]> {
  if (!purged.length) return [];
  const removedAt = purged.map((p) => p.deletedAt);
  const since = removedAt.includes(null) ? undefined : (removedAt as string[]).reduce((a, b) => (a < b ? a : b));
  const purges = await newestByMember(s, 'member.purge', since);
  const out: SkippedRestore[] = [];
  const seen = new Set<string>();
  for (const p of purged) {
    if (seen.has(p.memberId)) continue;
    seen.add(p.memberId);
    // No stored event: purged by this very transaction's automatic purge (its events are chained at the end).
    const by = purges.get(p.memberId)?.actor ?? null;
    out.push({ email: p.email, reason: by ? 'purged' : 'expired', removedAt: p.deletedAt, purgedAt: p.purgedAt, purgedBy: by });
  }
  return out;
}

/**
 * RESTORE_WINDOW_EXPIRED naming everyone left behind and why. Skipping them is offered only when
 * `others` could still come back: otherwise it would restore nobody.
 */
export function refuseLeftBehind(skipped: readonly SkippedRestore[], others: number): never {
  const parts: string[] = [];
  const expired = skipped.filter((x) => x.reason === 'expired').map((x) => x.email);
  if (expired.length) parts.push(`${nameSome(expired)}: removed more than ${RESTORE_WINDOW_DAYS} days ago`);
  const byWho = new Map<string, string[]>();
  for (const x of skipped) if (x.reason === 'purged') byWho.set(x.purgedBy!, [...(byWho.get(x.purgedBy!) ?? []), x.email]);
  for (const [who, emails] of byWho) parts.push(`${nameSome(emails)}: purged for good by ${who}`);
  const again = `add ${skipped.length > 1 ? 'them' : 'it'} again with: rollcall member add EMAIL --name NAME`;
  if (!others) fail('RESTORE_WINDOW_EXPIRED', `cannot restore ${parts.join('; ')}`, again);
  fail('RESTORE_WINDOW_EXPIRED', `cannot restore ${parts.join('; ')}`,
    `${again}; restore the ${others} other${others > 1 ? 's' : ''} without ${skipped.length > 1 ? 'them' : 'it'}`, 'skipExpired');
}
