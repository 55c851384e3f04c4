// What rollcall's own formats (SPEC §8, §14) share: csv.ts, yaml.ts and json.ts read and write the
// same fields, and YAML and JSON the same document `{ orgs: [path…], members: [{…}] }`. Our formats
// are strict: a column or key we do not know is a problem (with a suggestion), never ignored.
import type { MemberView } from '../../members/views.js';
import { nearest } from '../../suggest.js';
import { problemAt, type RosterFields, type RosterRead, type RosterRow } from '../roster-file.js';
import { listCell, textCell } from './cells.js';

/** The fields a row can set, by their name in YAML/JSON. */
export const FIELD_KEYS = ['email', 'name', 'role', 'scope', 'org', 'orgs', 'title', 'status', 'startDate', 'twoFactor', 'id'] as const;

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
  if (has('twoFactor')) f.twoFactor = textCell(get('twoFactor'));
  return f;
}

/** `unknown column "naem" (did you mean "name"?)`, for a column or key we do not know. */
export function unknownName(what: 'column' | 'key', name: string, known: Iterable<[string, string]>, accepted: readonly string[]): string {
  const guess = nearest(name, known);
  return `unknown ${what} "${name}": ${guess ? `did you mean "${guess}"?` : `${what}s are ${accepted.join(', ')}`}`;
}

const KEY_ALIASES: Record<string, string> = { start_date: 'startDate', startdate: 'startDate', '2fa': 'twoFactor', two_factor: 'twoFactor', twofactor: 'twoFactor' };
const MEMBER_KEYS = new Map<string, string>([...FIELD_KEYS.map((k) => [k, k] as [string, string]), ...Object.entries(KEY_ALIASES)]);
const DOCUMENT_KEYS = ['orgs', 'members'];

const LIST_KEYS = new Set(['scope', 'orgs']);

/** How a YAML or JSON value describes itself, for a problem. */
function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : typeof value === 'number' ? `the number ${value}` : `${typeof value} ${String(value)}`;
}

/**
 * What is wrong with a key's value, or null: text where text goes (a list may be a list of text, or
 * one text of `;`-separated items; 2fa may be true or false), never a value turned into text behind
 * the author's back: a mapping would be stored as "[object Object]", and YAML reads `1.10` as the
 * number 1.1 and `0x1F` as 31.
 */
function valueProblem(key: string, value: unknown): string | null {
  if (value === null || value === undefined || typeof value === 'string') return null;
  if (key === 'twoFactor' && typeof value === 'boolean') return null;
  if (LIST_KEYS.has(key) && Array.isArray(value)) {
    const bad = value.find((v) => typeof v !== 'string');
    return bad === undefined ? null : `holds ${kindOf(bad)}, where each item is an org path`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `is ${kindOf(value)}, not text: quote it to keep it as written`;
  return `is ${kindOf(value)}, not ${LIST_KEYS.has(key) ? 'a list of org paths' : 'text'}`;
}

/** The line a node of the document stands on, by its path (`['members', 3, 'titel']`). */
export type LineAt = (path: ReadonlyArray<string | number>) => number | undefined;

/** `members[3].title`. */
function pathText(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}

/** A problem at a node: at its line; in JSON, whose lines are often one, also at its path. */
function documentProblem(cx: DocumentContext, path: ReadonlyArray<string | number>, message: string) {
  const line = path.length ? cx.lineAt(path) ?? null : null;
  return problemAt(cx.file, line, !cx.eagerLines && path.length ? `${pathText(path)}: ${message}` : message);
}

interface DocumentContext {
  file: string;
  out: RosterRead;
  lineAt: LineAt;
  /** Rows stand at their line (YAML) or at `members[i]`, their line found when a problem needs it (JSON). */
  eagerLines: boolean;
}

function rowFromObject(obj: Record<string, unknown>, path: Array<string | number>, cx: DocumentContext): RosterRow | null {
  const line = cx.eagerLines ? cx.lineAt(path) : undefined;
  const at = pathText(path);
  const where = line === undefined ? `${cx.file}: ${at}` : `${cx.file}:${line}`;
  const problem = (message: string, to: Array<string | number> = path) => cx.out.problems.push(documentProblem(cx, to, message));
  const keys = new Map<string, string>();
  let ok = true;
  for (const k of Object.keys(obj)) {
    const key = MEMBER_KEYS.get(k) ?? KEY_ALIASES[k.toLowerCase()];
    if (!key) {
      problem(unknownName('key', k, MEMBER_KEYS, FIELD_KEYS), [...path, k]);
      ok = false;
    } else if (keys.has(key)) {
      problem(`"${keys.get(key)}" and "${k}" both set ${key}`, [...path, k]);
      ok = false;
    } else keys.set(key, k);
  }
  const get = (k: string) => obj[keys.get(k)!];
  if (typeof get('email') !== 'string') {
    problem('a member needs an email');
    return null;
  }
  for (const [key, written] of keys) {
    const wrong = valueProblem(key, obj[written]);
    if (wrong) {
      problem(cx.eagerLines ? `${written}: ${wrong}` : wrong, [...path, written]); // JSON names the path already
      ok = false;
    }
  }
  if (!ok) return null;
  return { where, ...(line === undefined ? { at } : { line }), email: get('email') as string, id: keys.has('id') ? textCell(get('id')) : undefined, fields: fieldsFrom(get, (k) => keys.has(k)) };
}

/**
 * A parsed YAML or JSON document `{ orgs: [path…], members: [{…}] }` (a bare members array is
 * accepted too) → rows, into `out`. An empty document (null, `{}`, `[]`) is a problem: a roster
 * that lists nothing is more likely a mistake than a wish.
 */
export function readDocument(data: unknown, file: string, out: RosterRead, lineAt: LineAt, eagerLines: boolean): RosterRead {
  const cx: DocumentContext = { file, out, lineAt, eagerLines };
  const problem = (message: string, at: Array<string | number> = []) => out.problems.push(documentProblem(cx, at, message));
  if (data === null || data === undefined || (Array.isArray(data) && !data.length)) {
    out.problems.push(problemAt(file, null, 'the roster is empty: it lists no members (write members: [] to mean none, on purpose)', 'file'));
    return out;
  }
  const bare = Array.isArray(data);
  const root = (bare ? { members: data } : data) as Record<string, unknown>;
  if (typeof root !== 'object') {
    out.problems.push(problemAt(file, null, 'expected { orgs: [...], members: [...] }', 'file'));
    return out;
  }
  for (const k of Object.keys(root)) if (!DOCUMENT_KEYS.includes(k)) problem(unknownName('key', k, DOCUMENT_KEYS.map((d) => [d, d]), DOCUMENT_KEYS), [k]);
  if (!Object.keys(root).length) out.problems.push(problemAt(file, null, 'the roster is empty: it has neither orgs: nor members: (write members: [] to mean none, on purpose)', 'file'));
  const { orgs, members } = root;
  if (orgs !== undefined) {
    if (!Array.isArray(orgs) || orgs.some((o) => typeof o !== 'string')) problem('orgs must be a list of org paths', ['orgs']);
    else out.orgs = orgs as string[];
  }
  if (members === undefined || members === null) return out;
  if (!Array.isArray(members)) {
    problem('members must be a list', ['members']);
    return out;
  }
  const paths = new WeakMap<RosterRow, Array<string | number>>();
  members.forEach((m, i) => {
    const path = bare ? [i] : ['members', i];
    if (!m || typeof m !== 'object' || Array.isArray(m)) {
      problem('a member is a mapping like { email: …, name: … }', path);
      return;
    }
    const row = rowFromObject(m as Record<string, unknown>, path, cx);
    if (row) out.rows.push(row);
    if (row && !eagerLines) paths.set(row, path);
  });
  if (!eagerLines) out.lineOf = (row) => (paths.has(row) ? lineAt(paths.get(row)!) : undefined);
  return out;
}

/** A member as YAML and JSON exports write it, in the document `{ orgs: [path…], members: [item…] }`. */
export function rosterItem(v: MemberView) {
  return { email: v.email, name: v.name, role: v.role, scope: v.scope, org: v.org, orgs: v.orgs, title: v.title, status: v.status, startDate: v.startDate, id: v.id };
}
