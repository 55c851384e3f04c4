// The roster use case (SPEC §8, §14): plan a roster against the workspace, then apply it in one write
// transaction that plans again on what it finds and checks every rule before writing anything. A
// preview (dry run, saved plan, the plan shown before a confirmation) is that apply, rolled back.
import type { Member } from '../model.js';
import type { Workspace } from '../workspace.js';
import { commitPlan, type Secret } from './commit.js';
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
    const plan = await planRoster(s, roster, options);
    if (plan.changes.length) await commitPlan(s, plan, false);
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
}

export interface Applied {
  plan: Plan;
  secrets: Secret[];
}

export function applyRoster(ws: Workspace, actor: Member, req: ApplyRequest): Promise<Applied> {
  return ws.write(actor, async (s) => {
    if (req.expected) await checkBasis(s, req.expected);
    const plan = await planRoster(s, req.roster, req.options);
    const secrets = plan.changes.length ? await commitPlan(s, plan, !!req.keepSecrets) : [];
    await req.keepSecrets?.(secrets);
    return { plan, secrets };
  });
}
