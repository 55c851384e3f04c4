// What a roster plan is: the options it was made with, and the changes it will make.
import type { Org } from '../model.js';

/**
 * The most members an apply may remove: a number, or a percentage of the current (not removed)
 * members, counted inside the apply's transaction (as peribolos bounds a prune by a fraction).
 */
export type RemovalLimit = number | { percent: number };

export interface ApplyOptions {
  prune?: boolean;
  maxRemovals?: RemovalLimit;
  createOrgs?: boolean;
  defaultRole?: string;
  /** A prune by a roster listing no members (removing everyone) is meant. */
  allowEmpty?: boolean;
}

export type ChangeAction = 'add' | 'change' | 'remove' | 'restore';

export interface PlannedChange {
  action: ChangeAction;
  email: string;
  fields?: Record<string, { from: unknown; to: unknown }>;
}

export interface Summary {
  add: number;
  change: number;
  remove: number;
  restore: number;
}

/**
 * The plan: what it changes, as shown. The members it writes are not part of it: an apply writes
 * them a slice of the roster at a time, as it plans (commit.ts), and keeps only what is shown.
 */
export interface Plan {
  changes: PlannedChange[];
  summary: Summary;
  orgsToCreate: Org[];
  /** Paths of orgsToCreate, in the same order. */
  orgPaths: string[];
  notes: string[];
}

export const DEFAULT_MAX_REMOVALS = 10;
