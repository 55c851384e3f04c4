// Removals in a roster apply: members pruned (not in the file) or named for removal by the file,
// with the rails of SPEC §8: never the acting member, at most maxRemovals, and no prune by a file
// that is not the whole directory.
import { fail, nameSome } from '../errors.js';
import type { Member } from '../model.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { DEFAULT_MAX_REMOVALS, type ApplyOptions, type Plan } from './plan-types.js';
import type { RosterFile } from './roster-file.js';

/** A prune needs the whole directory: not a page of it, not an empty file unless that is meant. */
export function checkPrunable(file: RosterFile, opts: ApplyOptions) {
  if (file.partial) fail('ROSTER_INVALID', `${file.file} is ${file.partial}: pruning by it would remove everyone on the other parts`, 'apply the whole directory to prune, or apply this part without pruning');
  if (!file.rows.length && !opts.allowEmpty) {
    fail('ROSTER_INVALID', `${file.file} lists no members: pruning by it would remove every member`, 'if removing everyone is meant, allow an empty roster', 'allowEmpty');
  }
}

/** Removals (pruned, or asked for by the file), soft and restorable: never the actor, at most maxRemovals. */
export function planRemovals(s: UnitOfWork, plan: Plan, doomed: Member[], opts: ApplyOptions) {
  const max = opts.maxRemovals ?? DEFAULT_MAX_REMOVALS;
  if (s.actor && doomed.some((m) => m.id === s.actor!.id)) {
    fail('INVALID_STATE', `the roster would remove ${s.actor.email}, the member applying it`, 'keep yourself in the roster, or apply it as another member');
  }
  if (doomed.length > max) {
    fail('REMOVAL_LIMIT', `the roster would remove ${doomed.length} members, more than the limit of ${max}: ${nameSome(doomed.map((m) => m.email))}`,
      `check the roster; if it is right, allow ${doomed.length} removals`, 'maxRemovals');
  }
  for (const m of doomed) {
    plan.removals.push({ before: m, after: { ...m, deletedAt: s.nowIso, removedBy: s.actor?.email ?? null, removedBatch: s.batch, updatedAt: s.nowIso } });
    plan.changes.push({ action: 'remove', email: m.email });
  }
}

