// What rollcall's own formats (SPEC §8) share: csv.ts, yaml.ts and json.ts read and write the same
// fields, and YAML and JSON the same document `{ orgs: [path…], members: [{…}] }`.
import type { MemberView } from '../../members/views.js';
import type { RosterFields, RosterRead, RosterRow } from '../roster-file.js';
import { listCell, textCell } from './cells.js';

export function fieldsFrom(get: (key: string) => unknown, has: (key: string) => boolean): RosterFields {
  const f: RosterFields = {};
  if (has('name')) f.name = textCell(get('name'));
  if (has('role')) f.role = textCell(get('role'));
  if (has('scope')) f.scope = listCell(get('scope'));
  if (has('org')) f.org = textCell(get('org'));
  if (has('orgs')) f.orgs = listCell(get('orgs'));
  if (has('title')) f.title = textCell(get('title'));
  if (has('status')) f.status = textCell(get('status'));
  if (has('startDate')) f.startDate = textCell(get('startDate'));
  return f;
}

const KEY_ALIASES: Record<string, string> = { start_date: 'startDate', startdate: 'startDate' };

function rowFromObject(obj: Record<string, unknown>, where: string, problems: string[]): RosterRow | null {
  const keys = new Map(Object.keys(obj).map((k) => [KEY_ALIASES[k.toLowerCase()] ?? k, k]));
  const get = (k: string) => obj[keys.get(k)!];
  if (typeof get('email') !== 'string') {
    problems.push(`${where}: a member needs an email`);
    return null;
  }
  return { where, email: get('email') as string, id: keys.has('id') ? textCell(get('id')) : undefined, fields: fieldsFrom(get, (k) => keys.has(k)) };
}

/**
 * A parsed YAML or JSON document `{ orgs: [path…], members: [{…}] }` (a bare members array is
 * accepted too) → rows, into `out`. `lineOf(i)` is the line members[i] stands on, when known.
 */
export function readDocument(data: unknown, file: string, out: RosterRead, lineOf: (i: number) => number | undefined = () => undefined): RosterRead {
  if (data === null || data === undefined) return out;
  const root = Array.isArray(data) ? { members: data } : data;
  if (typeof root !== 'object') {
    out.problems.push(`${file}: expected { orgs: [...], members: [...] }`);
    return out;
  }
  const { orgs, members } = root as { orgs?: unknown; members?: unknown };
  if (orgs !== undefined) {
    if (!Array.isArray(orgs) || orgs.some((o) => typeof o !== 'string')) out.problems.push(`${file}: orgs must be a list of org paths`);
    else out.orgs = orgs as string[];
  }
  if (members === undefined) return out;
  if (!Array.isArray(members)) {
    out.problems.push(`${file}: members must be a list`);
    return out;
  }
  members.forEach((m, i) => {
    const line = lineOf(i);
    const where = line === undefined ? `${file}: members[${i}]` : `${file}:${line}`;
    if (!m || typeof m !== 'object' || Array.isArray(m)) {
      out.problems.push(`${where}: a member is a mapping like { email: …, name: … }`);
      return;
    }
    const row = rowFromObject(m as Record<string, unknown>, where, out.problems);
    if (row) out.rows.push(row);
  });
  return out;
}

/** The document YAML and JSON exports write. */
export function rosterDocument(members: MemberView[], orgs: string[]) {
  return {
    orgs,
    members: members.map((v) => ({ email: v.email, name: v.name, role: v.role, scope: v.scope, org: v.org, orgs: v.orgs, title: v.title, status: v.status, startDate: v.startDate, id: v.id })),
  };
}
