// A saved plan (`apply --plan-out`, then `apply --plan`): the roster and options as planned, and the
// audit head the plan was made against. Applied only while the workspace is exactly as it was then,
// as Terraform does with a saved plan.
import { fail } from '../errors.js';
import type { ApplyOptions, Plan } from './plan.js';
import type { RosterFile } from './roster-file.js';

/** The audit chain's head: any write since moves it. */
export interface AuditHead {
  seq: number;
  hash: string;
}

interface SavedPlan {
  rollcall: 'plan';
  version: 1;
  /** The workspace it was made for: its real file path, or its URL without a password. */
  workspace: string;
  head: AuditHead;
  roster: RosterFile;
  options: ApplyOptions;
  summary: Plan['summary'];
}

export interface PlannedApply {
  roster: RosterFile;
  options: ApplyOptions;
  head: AuditHead;
}

/** The text of a saved plan, one JSON line. */
export function savedPlanText(workspace: string, head: AuditHead, roster: RosterFile, options: ApplyOptions, summary: Plan['summary']): string {
  const saved: SavedPlan = { rollcall: 'plan', version: 1, workspace, head, roster, options, summary };
  return JSON.stringify(saved) + '\n';
}

/** Reads a saved plan named `source`: INVALID_INPUT if it is none, STALE_PLAN if made for another workspace. */
export function readSavedPlan(text: string, source: string, workspace: string): PlannedApply {
  let saved: SavedPlan;
  try {
    saved = JSON.parse(text);
  } catch (e) {
    fail('INVALID_INPUT', `cannot read the saved plan ${source}: ${(e as Error).message}`);
  }
  if (saved?.rollcall !== 'plan' || saved.version !== 1) fail('INVALID_INPUT', `${source} is not a rollcall plan`);
  if (saved.workspace !== workspace) fail('STALE_PLAN', `${source} was made for another workspace (${saved.workspace})`);
  return { roster: saved.roster, options: saved.options, head: saved.head };
}

/** STALE_PLAN unless the workspace is where the plan left it. */
export function checkFresh(head: AuditHead, planned: AuditHead): void {
  if (head.seq !== planned.seq || head.hash !== planned.hash) {
    fail('STALE_PLAN', 'the workspace has changed since the plan was made', 'make a new plan: run the apply again');
  }
}
