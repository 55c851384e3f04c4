// Removals in a roster apply: members pruned (not in the file) or named for removal by the file,
// with the rails of SPEC §8: never the acting member, at most maxRemovals, and no prune by a file
// that is not the whole directory.
import { NAMED, fail, nameSome } from '../errors.js';
import { MemberFact as F, type MemberFacts } from '../store.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { DEFAULT_MAX_REMOVALS, type ApplyOptions, type Plan, type RemovalLimit } from './plan-types.js';
import type { RosterFile } from './roster-file.js';

/** A prune needs the whole directory: not a page of it, not an empty file unless that is meant. */
export function checkPrunable(file: RosterFile, opts: ApplyOptions) {
  if (file.partial) fail('ROSTER_INVALID', `${file.file} is ${file.partial}: pruning by it would remove everyone on the other parts`, 'apply the whole directory to prune, or apply this part without pruning');
  if (!file.rows.length && !opts.allowEmpty) {
    fail('ROSTER_INVALID', `${file.file} lists no members: pruning by it would remove every member`, 'if removing everyone is meant, allow an empty roster', 'allowEmpty');
  }
}

/** The limit as a number of members: a percentage is of the members not removed now, rounded down. */
async function removalLimit(s: UnitOfWork, given: RemovalLimit, removing: number, held?: () => Promise<number>): Promise<{ max: number; percent?: number; of?: number }> {
  if (typeof given === 'number') {
    if (!Number.isSafeInteger(given) || given < 0) fail('INVALID_INPUT', `the removal limit is a whole number of members, or a percentage: got ${String(given)}`, undefined, 'maxRemovals');
    return { max: given };
  }
  const percent = typeof given === 'object' && given !== null ? given.percent : undefined;
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    fail('INVALID_INPUT', `the removal limit as a percentage is between 0 and 100: got ${JSON.stringify(given)}`, undefined, 'maxRemovals');
  }
  const of = removing ? await (held?.() ?? s.tx.countSeats()) : 0; // nobody to remove: no need to count
  return { max: Math.floor((of * percent) / 100 + 1e-9), percent, of };
}

/** Removals are read and written this many members at a time. */
export const REMOVAL_SLICE = 5000;

/** The addresses of the members `ids`, in their order, a slice at a time (a member gone meanwhile: INVALID_STATE). */
export async function* addressesOf(s: UnitOfWork, ids: readonly string[]): AsyncGenerator<MemberFacts[]> {
  for (let at = 0; at < ids.length; at += REMOVAL_SLICE) {
    const slice = ids.slice(at, at + REMOVAL_SLICE);
    const byId = new Map((await s.tx.memberFacts([], slice)).map((f) => [f[F.id], f]));
    yield slice.map((id) => byId.get(id) ?? fail('INVALID_STATE', `member ${id} changed while the roster was planned`));
  }
}

/**
 * Removals (pruned, or asked for by the file), soft and restorable: never the actor, at most
 * maxRemovals (a percentage of `held`, the members counted before the apply wrote any, when given).
 * The plan names each; the members are read whole only when written (RosterCommit.finish).
 */
export async function planRemovals(s: UnitOfWork, plan: Plan, doomed: readonly string[], opts: ApplyOptions, held?: () => Promise<number>): Promise<void> {
  if (s.actor && doomed.includes(s.actor.id)) {
    fail('INVALID_STATE', `the roster would remove ${s.actor.email}, the member applying it`, 'keep yourself in the roster, or apply it as another member');
  }
  const { max, percent, of } = await removalLimit(s, opts.maxRemovals ?? DEFAULT_MAX_REMOVALS, doomed.length, held);
  if (doomed.length > max) {
    // The smallest whole percentage that would allow them all, for the hint.
    const needed = of ? Math.ceil((doomed.length * 100) / of) : 100;
    const limit = percent === undefined ? `the limit of ${max}` : `the limit of ${percent}% of ${of} current member${of === 1 ? '' : 's'}, which is ${max}`;
    const named: string[] = [];
    for await (const facts of addressesOf(s, doomed.slice(0, NAMED))) named.push(...facts.map((f) => f[F.email]));
    fail('REMOVAL_LIMIT', `the roster would remove ${doomed.length} members, more than ${limit}: ${nameSome(named, NAMED, doomed.length)}`,
      `check the roster; if it is right, allow ${doomed.length} removals${percent === undefined ? '' : ` (${needed}%)`}`, 'maxRemovals');
  }
  for await (const facts of addressesOf(s, doomed)) for (const f of facts) plan.changes.push({ action: 'remove', email: f[F.email] });
}
