// SCIM 2.0 (RFC 7643/7644, SPEC §13): a ListResponse (one page of a paged one adds and changes but
// is never pruned by), an array of resources, one User, or a BulkRequest (scim-bulk.ts, its PATCH
// operations in scim-patch.ts). What a User's attributes become, and the User export writes: scim-user.ts.
import { problemAt, type RosterRead } from '../roster-file.js';
import { lazyJsonLines } from './document-lines.js';
import { defineFormat, emptyRead, jsonStream, streamedText, type ParseLibs } from './format.js';
import { jsonErrorLine } from './json.js';
import type { LineAt } from './ours.js';
import { readBulk } from './scim-bulk.js';
import { scimReader, userRow } from './scim-read.js';
import { isObject, schemasOf, scimUser, SCIM_BULK, SCIM_LIST, SCIM_MESSAGES, SCIM_PATCH, type Json } from './scim-user.js';

/** A count as SCIM sends it: an integer (some servers send it as a string of digits). */
function count(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  return typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : undefined;
}

/**
 * When a ListResponse is one page of a longer list (RFC 7644 §3.4.2.4: `totalResults` beyond its
 * `Resources`, or a `startIndex` past 1), which page: `page 1 of 3 (resources 1–100 of 250)`.
 */
export function pageOf(list: Json, held: number): string | undefined {
  const total = count(list.totalResults);
  const start = Math.max(count(list.startIndex) ?? 1, 1);
  if (!((total !== undefined && total > held) || start > 1)) return undefined;
  const where = held ? `resources ${start}–${start + held - 1}` : `no resources, from ${start}`;
  if (total === undefined) return `one page of a directory (${where})`;
  const per = count(list.itemsPerPage) || held;
  const page = per ? `page ${Math.floor((start - 1) / per) + 1} of ${Math.max(Math.ceil(total / per), 1)}` : 'one page';
  return `${page} (${where} of ${total})`;
}

export function parseScimData(data: unknown, file: string, lineAt: LineAt = () => undefined): RosterRead {
  const cx = scimReader(file, lineAt);
  const schemas = schemasOf(data);
  const message = schemas.find((s) => s.startsWith(SCIM_MESSAGES) && s !== SCIM_LIST && s !== SCIM_BULK);
  if (Array.isArray(data)) {
    data.forEach((r, i) => userRow(cx, r, [i]));
  } else if (isObject(data) && schemas.includes(SCIM_BULK)) {
    readBulk(cx, data);
  } else if (isObject(data) && (schemas.includes(SCIM_LIST) || Array.isArray(data.Resources))) {
    // RFC 7644 §3.4.2: Resources may be left out when there are none.
    const resources: unknown[] = Array.isArray(data.Resources) ? data.Resources : [];
    if (data.Resources !== undefined && !Array.isArray(data.Resources)) cx.problem(['Resources'], 'Resources is a list of resources');
    resources.forEach((r, i) => userRow(cx, r, ['Resources', i]));
    const page = pageOf(data, resources.length);
    if (page) cx.out.partial = page;
  } else if (message === SCIM_PATCH) {
    cx.fileProblem('a PatchOp alone names no user: apply it as the data of a BulkRequest operation { "method": "PATCH", "path": "/Users/{id}", "data": … }');
  } else if (message) {
    cx.fileProblem(`a SCIM ${message.slice(SCIM_MESSAGES.length)} message holds no users to apply: rollcall applies a ListResponse, a BulkRequest, an array of resources or one User`);
  } else {
    userRow(cx, data, []);
  }
  return cx.finish();
}

function parseScim(text: string, file: string, { yaml }: ParseLibs): RosterRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ...emptyRead(), problems: [problemAt(file, jsonErrorLine(text, e as Error), `not valid JSON: ${(e as Error).message}`, 'file')] };
  }
  return parseScimData(data, file, lazyJsonLines(yaml, text));
}

/** A ListResponse of every member, one page: JSON.stringify(list, null, 2) and a line break, a batch at a time. */
const scimWriter = () => jsonStream('Resources', ({ count }) => ({ schemas: [SCIM_LIST], totalResults: count, startIndex: 1, itemsPerPage: count }), scimUser, true);

export default defineFormat({
  name: 'scim',
  description: 'SCIM 2.0 JSON: a ListResponse, a BulkRequest, an array of resources, or one User',
  // JSON (by name) whose document or first resource has a `schemas` key; anything else JSON is rollcall's.
  detect(probe) {
    const data = probe.json()?.value;
    const first = Array.isArray(data) ? data[0] : data;
    return first && typeof first === 'object' && 'schemas' in first ? 'content' : undefined;
  },
  parse: parseScim,
  stream: scimWriter,
  export: (data) => streamedText(scimWriter(), data),
});
