// `roster diff OLD NEW`: what changes between two rosters, offline (SPEC §14), in the plan's words
// and shape: members added, removed, and changed field by field (`from` → `to`). Both files are
// validated first. Rows match by id where both have it, else by address, as an apply matches rows
// to members. A field is compared only where both rows state it: an apply leaves a field the file
// has no column for alone, so NEW changes only what it states. Removals are members OLD lists and
// NEW does not (an apply removes them only when it prunes); a removal row lists no member.
import { normalizeEmail } from '../email.js';
import { DEFAULT_ROLE } from '../members/records.js';
import { normalizePath } from '../orgs/tree.js';
import { cleanText } from '../text.js';
import type { PlannedChange, Summary } from './plan-types.js';
import type { RosterFile, RosterRow } from './roster-file.js';
import { validateRoster } from './validate.js';

export interface RosterDiff {
  changes: PlannedChange[];
  summary: Summary;
}

type Value = string | string[] | null;

/** The fields a row states, as an apply would store them, in the plan's names and order. */
function stated(row: RosterRow): Map<string, Value> {
  const f = row.fields;
  const out = new Map<string, Value>();
  const path = (p: string) => normalizePath(p);
  if (f.name && cleanText(f.name)) out.set('name', cleanText(f.name)); // an empty name leaves it as it is
  if ('role' in f) out.set('role', f.role || DEFAULT_ROLE);
  if ('scope' in f) out.set('scope', (f.scope ?? []).map(path));
  const org = f.org ? path(f.org) : null;
  if ('org' in f) out.set('org', org);
  if ('orgs' in f) out.set('orgs', [...new Set((f.orgs ?? []).map(path))].filter((p) => p.toLowerCase() !== org?.toLowerCase()));
  if ('title' in f) out.set('title', f.title ? cleanText(f.title) || null : null);
  if ('startDate' in f) out.set('startDate', f.startDate || null);
  if ('status' in f) out.set('status', f.status ? f.status.toLowerCase() : null);
  return out;
}

/** Whether an apply of `b` over `a` would leave the field as it is (org paths match in any case). */
function same(field: string, a: Value, b: Value): boolean {
  if (field === 'status') return (a === 'suspended') === (b === 'suspended'); // the rest all mean "not suspended"
  const key = (v: Value) => JSON.stringify(['scope', 'org', 'orgs'].includes(field) && v !== null ? (Array.isArray(v) ? v.map((p) => p.toLowerCase()) : v.toLowerCase()) : v);
  return key(a) === key(b);
}

const isEmpty = (v: Value) => v === null || (Array.isArray(v) && !v.length);

/** The changes from roster `before` to roster `after`, each validated first (ROSTER_INVALID). */
export function diffRosters(before: RosterFile, after: RosterFile): RosterDiff {
  validateRoster(before);
  validateRoster(after);
  const listed = (file: RosterFile) => file.rows.filter((r) => !r.remove);
  const oldRows = listed(before);
  const byId = new Map(oldRows.filter((r) => r.id).map((r) => [r.id!, r]));
  const byEmail = new Map(oldRows.filter((r) => r.email).map((r) => [normalizeEmail(r.email), r]));
  const matched = new Set<RosterRow>();
  const changes: PlannedChange[] = [];
  for (const row of listed(after)) {
    const email = normalizeEmail(row.email ?? '');
    const old = (row.id && byId.get(row.id)) || (email ? byEmail.get(email) : undefined);
    const now = stated(row);
    if (!old || matched.has(old)) {
      const fields: Record<string, { from: null; to: unknown }> = {};
      for (const [name, to] of now) if (!isEmpty(to)) fields[name] = { from: null, to };
      changes.push({ action: 'add', email: email || `id ${row.id}`, fields });
      continue;
    }
    matched.add(old);
    const then = stated(old);
    const fields: Record<string, { from: unknown; to: unknown }> = {};
    const oldEmail = normalizeEmail(old.email ?? '');
    if (email && oldEmail && email !== oldEmail) fields.email = { from: oldEmail, to: email };
    for (const [name, to] of now) {
      if (!then.has(name)) continue; // OLD does not say what it was
      const from = then.get(name)!;
      if (!same(name, from, to)) fields[name] = { from, to };
    }
    if (Object.keys(fields).length) changes.push({ action: 'change', email: email || oldEmail, fields });
  }
  for (const old of oldRows) if (!matched.has(old)) changes.push({ action: 'remove', email: normalizeEmail(old.email ?? '') || `id ${old.id}` });
  const summary: Summary = { add: 0, change: 0, remove: 0, restore: 0 };
  for (const c of changes) summary[c.action]++;
  return { changes, summary };
}
