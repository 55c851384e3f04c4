// The roster use case (SPEC §8, §14): plan a roster against the workspace, then apply it in one write
// transaction that plans again on what it finds, writing a slice of rows at a time as it goes, and
// checks every rule before it commits: a refusal anywhere leaves nothing written. A preview (dry run,
// saved plan, the plan shown before a confirmation) is that apply, rolled back.
import type { Member } from '../model.js';
import type { Workspace } from '../workspace.js';
import { RosterCommit, type Secret } from './commit.js';
import { planRoster, type ApplyOptions, type Plan } from './plan.js';
import type { RosterFile } from './roster-file.js';
import { checkBasis, planBasis, type PlanBasis } from './saved-plan.js';

export interface Preview {
  plan: Plan;
  /** What the plan was made against: a later apply given this basis refuses another or a changed workspace. */
  basis: PlanBasis;
}

/**
 * The plan, as the acting member would get it now: the apply itself, rehearsed and rolled back, so
 * that every rule is checked as the apply checks it (a plan the apply would refuse is refused the
 * same way). Changes nothing.
 */
export function previewRoster(ws: Workspace, actor: Member, roster: RosterFile, options: ApplyOptions): Promise<Preview> {
  return ws.rehearse(actor, async (s) => {
    const basis = await planBasis(s);
    const plan = await planRoster(s, roster, options, { commit: new RosterCommit(s, false) });
    return { plan, basis };
  });
}

export interface ApplyRequest {
  roster: RosterFile;
  options: ApplyOptions;
  /**
   * Apply only to the workspace this names (by its id), still at this head (a saved or confirmed
   * plan): STALE_PLAN otherwise. Checked inside the apply's transaction.
   */
  expected?: PlanBasis | null;
  /**
   * Give new members temporary passwords, and hand them (every time, none included) to this function
   * inside the transaction, before it commits (for --secrets-out): if it throws, nothing is applied,
   * so no member is ever created whose password was not kept.
   */
  keepSecrets?: (secrets: Secret[]) => void | Promise<void>;
  /**
   * The roster read again from its file. Given, the apply lets each slice of rows go once planned
   * (a million-row roster is not held to the end), and reads the file again should the store run
   * the transaction a second time (PostgreSQL, after losing a race).
   */
  reread?: () => RosterFile;
}

export interface Applied {
  plan: Plan;
  secrets: Secret[];
}

export function applyRoster(ws: Workspace, actor: Member, req: ApplyRequest): Promise<Applied> {
  let tries = 0;
  return ws.write(actor, async (s) => {
    const roster = tries++ && req.reread ? req.reread() : req.roster;
    if (req.expected) await checkBasis(s, req.expected);
    const commit = new RosterCommit(s, !!req.keepSecrets);
    const plan = await planRoster(s, roster, req.options, { commit, release: !!req.reread });
    await req.keepSecrets?.(commit.secrets);
    return { plan, secrets: commit.secrets };
  });
}
