// Lists and records as scripts ask for them: --fields (which JSON fields, in every form), --csv (a
// header row, RFC 4180, raw values, formula-safe cells) and --jq (a jq filter on the JSON: a global
// option, jq.ts). --fields and --csv are added to each command by withOutput(); the Renderer
// (render.ts) prints through here.
import type { Command } from 'commander';
import { fail } from '../core/errors.js';
import { formulaSafe } from '../core/roster/formats/cells.js';

/** How a list is printed: at a terminal (headers, row), piped (piped, else row), as CSV (csv: JSON fields). */
export interface ListSpec<T> {
  /** Every JSON field of a record: what --fields accepts. */
  fields: readonly string[];
  headers: string[];
  row(r: T): unknown[];
  /** Piped tab-separated text: one value per column. */
  piped?(r: T): unknown[];
  /** CSV's columns without --fields: JSON fields, raw values. */
  csv: readonly string[];
}

export interface OutputChoice {
  fields?: string[];
  csv?: boolean;
  jq?: string;
}

export const MEMBER_FIELDS = ['id', 'email', 'name', 'kind', 'role', 'scope', 'status', 'suspendedReason', 'org', 'orgs', 'title', 'startDate',
  'twoFactor', 'createdAt', 'updatedAt', 'deletedAt', 'restorableUntil', 'removedBy', 'removedBatch'] as const;
export const MEMBER_SHOW_FIELDS = [...MEMBER_FIELDS, 'groups'] as const;
export const CREDENTIAL_FIELDS = [...MEMBER_FIELDS, 'temporaryPassword'] as const;
export const AUDIT_FIELDS = ['seq', 'at', 'actor', 'action', 'target', 'targetId', 'group', 'reason', 'batch', 'before', 'after'] as const;
export const GROUP_FIELDS = ['name', 'status', 'owner', 'internalOnly', 'description', 'members'] as const;
export const GROUP_MEMBER_FIELDS = ['email', 'role', 'owner'] as const;
export const INVITE_FIELDS = ['email', 'createdAt', 'expiresAt', 'expired'] as const;
export const TOKEN_FIELDS = ['id', 'name', 'member', 'createdAt', 'expiresAt', 'revokedAt'] as const;
export const ROLE_FIELDS = ['name', 'builtin', 'permissions', 'scoped'] as const;
export const ORG_FIELDS = ['path', 'name', 'parent'] as const;
export const MEMBER_ADD_FIELDS = [...CREDENTIAL_FIELDS, 'invite'] as const;
export const RESTORED_FIELDS = [...MEMBER_FIELDS, 'lostGroups'] as const;
export const WHOAMI_FIELDS = ['email', 'role', 'scope', 'via', 'token', 'expiresAt'] as const;
export const TOKEN_CREATE_FIELDS = ['id', 'name', 'token', 'expiresAt'] as const;
export const INVITE_ISSUE_FIELDS = ['email', 'inviteToken', 'inviteUrl', 'expiresAt'] as const;
export const WORKSPACE_FIELDS = ['name', 'id', 'domains', 'seatLimit', 'seatsUsed', 'allowExternal'] as const;

/** The fields --fields names, each one known; INVALID_INPUT listing them otherwise. */
export function parseFields(text: string, known: readonly string[]): string[] {
  const fields = text.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = fields.filter((f) => !known.includes(f));
  if (!fields.length || unknown.length) {
    fail('INVALID_INPUT', `${fields.length ? `unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((f) => `"${f}"`).join(', ')}` : '--fields names no field'}: the fields are ${known.join(', ')}`);
  }
  return [...new Set(fields)];
}

/**
 * Adds --fields (and --csv for a list) to a command, checked before it runs: a wrong
 * field is refused before any work, so a write command never commits and then fails to print.
 */
export function withOutput(cmd: Command, fields: readonly string[], opts: { csv?: boolean; csvFields?: readonly string[] } = {}): Command {
  const csvFields = opts.csvFields ?? fields;
  const csvNote = csvFields === fields ? '' : `; with --csv: ${csvFields.join(' ')}`;
  cmd.option('--fields <list>', `only these fields, comma-separated (table, text, CSV and JSON; the global --jq EXPR filters after them): ${fields.join(' ')}${csvNote}`);
  if (opts.csv) cmd.option('--csv', 'CSV with a header row, for spreadsheets: raw values, formula-safe cells');
  cmd.hook('preAction', (_: Command, run: Command) => {
    const o = run.optsWithGlobals<{ fields?: string; csv?: boolean; json?: boolean; jq?: string }>();
    // A command whose CSV lists other records (group show --csv: its members) takes their fields there.
    if (o.fields !== undefined) parseFields(o.fields, o.csv && !o.json ? csvFields : fields);
    if (o.csv && (o.json || o.jq !== undefined)) fail('USAGE', `--csv and ${o.json ? '--json' : '--jq'} are alternatives: choose one output`);
  });
  return cmd;
}

/** The record with only `fields`, in their order; a field it lacks is null. */
export function pick(record: unknown, fields: readonly string[]): unknown {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return record;
  const r = record as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, r[f] ?? null]));
}

/** A raw value as one cell: nothing for null, lists `;`-joined, objects as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v ?? ''))).join(';');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

type Stringify = (rows: string[][]) => string;
let stringifier: Stringify | null = null;

/** csv-stringify, loaded when a CSV is first written (start-up loads none of it). */
export async function csvWriter(): Promise<Stringify> {
  if (!stringifier) {
    const { stringify } = await import('csv-stringify/sync');
    stringifier = (rows) => stringify(rows, { record_delimiter: '\r\n' });
  }
  return stringifier;
}

/** CSV rows (no header) of `records`' `columns`: raw values, formula-safe. */
export function csvRows(records: readonly unknown[], columns: readonly string[]): string[][] {
  return records.map((r) => columns.map((c) => formulaSafe(cellText((r as Record<string, unknown>)[c]))));
}
