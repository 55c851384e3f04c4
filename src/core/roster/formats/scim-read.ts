// Reading a SCIM document into rows: where each thing stands (a path in the JSON, its line found
// only when a problem needs it), User resources as rows, and what is noted rather than imported.
import { problemAt, type RosterFields, type RosterRead, type RosterRow } from '../roster-file.js';
import { textCell } from './cells.js';
import { emptyRead } from './format.js';
import type { LineAt } from './ours.js';
import { isObject, pathText, readUser, schemasOf, SCIM_GROUP, type JsonPath } from './scim-user.js';

export interface ScimReader {
  readonly file: string;
  readonly out: RosterRead;
  /** A problem at `path` (its line when it can be found), the message led by the path. */
  problem(path: JsonPath, message: string): void;
  /** A problem with the document as a whole: not something SCIM rollcall applies. */
  fileProblem(message: string): void;
  /** A row standing at `path`. */
  row(path: JsonPath, email: string, fields: RosterFields, extra?: Partial<RosterRow>): void;
  /** Group resources and operations: counted, noted, not imported. */
  groups: number;
  /** Attributes a PATCH set that rollcall does not keep: noted, not imported. */
  readonly ignored: Set<string>;
  /** The read, with its notes and its lineOf. */
  finish(): RosterRead;
}

export function scimReader(file: string, lineAt: LineAt): ScimReader {
  const out = emptyRead();
  const paths = new WeakMap<RosterRow, JsonPath>();
  const cx: ScimReader = {
    file, out, groups: 0, ignored: new Set(),
    problem(path, message) {
      out.problems.push(problemAt(file, (path.length ? lineAt(path) : undefined) ?? null, path.length ? `${pathText(path)}: ${message}` : message));
    },
    fileProblem(message) {
      out.problems.push(problemAt(file, null, message, 'file'));
    },
    row(path, email, fields, extra = {}) {
      const at = pathText(path);
      const row: RosterRow = { where: at ? `${file}: ${at}` : file, ...(at ? { at } : {}), email, fields, ...extra };
      paths.set(row, path);
      out.rows.push(row);
    },
    finish() {
      out.lineOf = (row) => (paths.has(row) && paths.get(row)!.length ? lineAt(paths.get(row)!) : undefined);
      const n = cx.groups;
      if (n) out.notes.push(`${n} SCIM Group ${n > 1 ? 'resources or operations were' : 'resource or operation was'} not imported: rollcall groups are managed with rollcall group`);
      if (cx.ignored.size) out.notes.push(`attributes rollcall does not keep were not imported: ${[...cx.ignored].join(', ')}`);
      return out;
    },
  };
  return cx;
}

export function isGroup(res: unknown): boolean {
  return schemasOf(res).includes(SCIM_GROUP) || (isObject(res) && isObject(res.meta) && res.meta.resourceType === 'Group');
}

/**
 * A User resource at `path` → a row. Its `id` is the exporter's: this workspace's own when it
 * knows it (our export), another's otherwise, so the row then matches by address. `externalId`
 * belongs to the provisioning client and is never taken as an id.
 */
export function userRow(cx: ScimReader, res: unknown, path: JsonPath, extra: Partial<RosterRow> = {}, rowPath = path): string | undefined {
  if (!isObject(res)) {
    cx.problem(path, 'not a SCIM resource (a JSON object)');
    return undefined;
  }
  if (isGroup(res)) {
    cx.groups++;
    return undefined;
  }
  const read = readUser(res, (message, at = []) => cx.problem([...path, ...at], message));
  if (!read) return undefined;
  const id = textCell(res.id);
  cx.row(rowPath, read.email, read.fields, { ...(id ? { id, idMayBeForeign: true } : {}), ...extra });
  return read.email;
}
