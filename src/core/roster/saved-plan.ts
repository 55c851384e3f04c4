// A saved plan (`apply --plan-out`, then `apply --plan`): the roster and options as planned, and what
// the plan was made against: the workspace, by the id stored inside it, and its audit head then.
// Applied only to that workspace, wherever it now lives (a file copied to another path, a `backup`,
// a `workspace copy`: the same id), and only while it is exactly as it was, as Terraform does with a
// saved plan (SPEC §8, §14).
import { fail, nameSome } from '../errors.js';
import { workspaceId } from '../settings.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { ApplyOptions, Plan } from './plan.js';
import type { RosterFile } from './roster-file.js';

/** The audit chain's head: any write since moves it. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** What a plan was made against: the workspace's id and its audit head. */
export interface PlanBasis {
  workspace: string;
  head: AuditHead;
  /**
   * The members the automatic purge removed for good before the plan was made (their ids, sorted):
   * a purge moves no head until a write commits it, so the head alone would not show that a member
   * the plan restores has been purged since.
   */
  purged?: string[];
}

const PLAN_VERSION = 2;

interface SavedPlan {
  rollcall: 'plan';
  version: typeof PLAN_VERSION;
  /** The id stored in the workspace it was made for (`ws_…`); version 1 held its path or URL instead. */
  workspaceId: string;
  head: AuditHead;
  /** PlanBasis.purged; absent (none) in plans made before it was saved. */
  purged?: string[];
  roster: RosterFile;
  options: ApplyOptions;
  summary: Plan['summary'];
}

export interface PlannedApply {
  roster: RosterFile;
  options: ApplyOptions;
  basis: PlanBasis;
}

/** What a plan made in this transaction is made against: this workspace, at the head the transaction began with. */
export async function planBasis(s: UnitOfWork): Promise<PlanBasis> {
  return { workspace: await workspaceId(s), head: s.startHead, purged: purgedIds(s) };
}

function purgedIds(s: UnitOfWork): string[] {
  return s.autoPurged.map((m) => m.id).sort();
}

/** The text of a saved plan, one JSON line. */
export function savedPlanText(basis: PlanBasis, roster: RosterFile, options: ApplyOptions, summary: Plan['summary']): string {
  const saved: SavedPlan = { rollcall: 'plan', version: PLAN_VERSION, workspaceId: basis.workspace, head: basis.head, purged: basis.purged ?? [], roster, options, summary };
  return JSON.stringify(saved) + '\n';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a saved plan named `source`: INVALID_INPUT if it is none; STALE_PLAN if an earlier rollcall
 * made it (it names the workspace by its path, which cannot be checked against an id). Whether it
 * fits the workspace is checked inside the apply's transaction (checkBasis).
 */
export function readSavedPlan(text: string, source: string): PlannedApply {
  let saved: SavedPlan;
  try {
    saved = JSON.parse(text);
  } catch (e) {
    fail('INVALID_INPUT', `cannot read the saved plan ${source}: ${(e as Error).message}`);
  }
  if (!isObject(saved) || saved.rollcall !== 'plan') fail('INVALID_INPUT', `${source} is not a rollcall plan`);
  if ((saved.version as number) === 1) {
    fail('STALE_PLAN', `${source} was made by an earlier rollcall, which named the workspace by its path rather than by its id: it cannot be checked against this workspace`,
      'make a new plan: run the apply again');
  }
  if (saved.version !== PLAN_VERSION) fail('INVALID_INPUT', `${source} is a plan of version ${String(saved.version)}, which this rollcall does not read`, 'make the plan with this rollcall');
  const { workspaceId: id, head, roster, options, purged = [] } = saved;
  if (typeof id !== 'string' || !id || !isObject(head) || typeof head.seq !== 'number' || typeof head.hash !== 'string'
    || !isObject(roster) || !Array.isArray(roster.rows) || !isObject(options) || !Array.isArray(purged) || !purged.every((p) => typeof p === 'string')) {
    fail('INVALID_INPUT', `${source} is not a rollcall plan`);
  }
  return { roster, options, basis: { workspace: id, head, purged } };
}

/** STALE_PLAN unless the workspace is where the plan left it. */
export function checkFresh(head: AuditHead, planned: AuditHead): void {
  if (head.seq !== planned.seq || head.hash !== planned.hash) {
    fail('STALE_PLAN', 'the workspace has changed since the plan was made', 'make a new plan: run the apply again');
  }
}

/** STALE_PLAN unless this is the workspace the plan was made for (by id, wherever it lives), unchanged since. */
export async function checkBasis(s: UnitOfWork, planned: PlanBasis): Promise<void> {
  const id = await workspaceId(s);
  if (id !== planned.workspace) {
    fail('STALE_PLAN', `the plan was made for another workspace (id ${planned.workspace}); this one is ${id}`, 'make a new plan against this workspace: run the apply again');
  }
  checkFresh(s.startHead, planned.head);
  const before = new Set(planned.purged ?? []);
  const since = s.autoPurged.filter((m) => !before.has(m.id)).map((m) => m.email);
  if (since.length || s.autoPurged.length !== before.size) {
    fail('STALE_PLAN', `the workspace has changed since the plan was made: ${since.length ? `${nameSome(since)} ${since.length > 1 ? 'were' : 'was'} purged for good (7 days after removal)` : 'removed members were purged for good'}`,
      'make a new plan: run the apply again');
  }
}
