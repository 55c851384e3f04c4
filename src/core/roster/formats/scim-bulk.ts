// A SCIM BulkRequest (RFC 7644 §3.7; what Entra API-driven inbound provisioning sends): each
// operation on /Users is a row. POST and PUT carry a whole User (added, or changed when the member
// exists); PATCH changes a member and never adds one; DELETE removes one (soft, restorable, under
// the removal limit). A PATCH or DELETE names its user by id: this workspace's id finds the member;
// another directory's id needs an address beside it. Operations on /Groups are counted and noted.
import { isAddress, isObject, primaryEmail, type Json, type JsonPath } from './scim-user.js';
import { patchSetsAnything, readPatch } from './scim-patch.js';
import { userRow, type ScimReader } from './scim-read.js';

const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
const PATH = /^\/?(Users|Groups)(?:\/([^/?#]+))?\/?$/i;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function readBulk(cx: ScimReader, request: Json) {
  cx.out.partial = 'a SCIM BulkRequest: changes to some users, not the whole directory';
  if (!Array.isArray(request.Operations)) {
    cx.fileProblem('a BulkRequest lists its operations in "Operations": [{ "method", "path", "data" }]');
    return;
  }
  /** Users POSTed in this request, by bulkId: a later operation may name one as /Users/bulkId:ID. */
  const created = new Map<string, string>();
  request.Operations.forEach((o: unknown, i: number) => {
    const at: JsonPath = ['Operations', i];
    if (!isObject(o)) return cx.problem(at, 'not a bulk operation (a JSON object with method, path and data)');
    const method = typeof o.method === 'string' ? o.method.toUpperCase() : '';
    if (!METHODS.includes(method)) return cx.problem(at, `method ${JSON.stringify(o.method ?? null)} is not one of ${METHODS.join(', ')}`);
    const path = typeof o.path === 'string' ? o.path.trim() : '';
    const m = PATH.exec(path);
    if (!m) return cx.problem(at, `path ${JSON.stringify(o.path ?? null)}: rollcall applies operations on /Users (and counts those on /Groups)`);
    if (m[1].toLowerCase() === 'groups') {
      cx.groups++;
      return;
    }
    const target = m[2] === undefined ? undefined : decoded(m[2]);
    const inData: JsonPath = [...at, 'data'];
    if (method === 'POST') {
      if (target !== undefined) return cx.problem(at, `POST ${path}: a POST creates a user at /Users, not at /Users/{id}`);
      const email = userRow(cx, o.data, inData, {}, at);
      if (email && typeof o.bulkId === 'string') created.set(o.bulkId, email);
      return;
    }
    if (target === undefined) return cx.problem(at, `${method} ${path}: a ${method} names its user, as /Users/{id}`);
    let id: string | undefined = target;
    let address: string | undefined;
    if (/^bulkId:/i.test(target)) {
      const bulkId = target.slice('bulkId:'.length);
      address = created.get(bulkId);
      if (!address) return cx.problem(at, `${method} ${path}: no POST before it in this request has the bulkId "${bulkId}"`);
      id = undefined;
    }
    const key = id ? { id, idMayBeForeign: true as const } : {};
    if (method === 'PUT') {
      userRow(cx, o.data, inData, key, at);
    } else if (method === 'DELETE') {
      // RFC 7644 gives a DELETE no data; an address there (userName, emails) still helps find the member.
      const res = isObject(o.data) ? o.data : {};
      const email = address ?? primaryEmail(res.emails) ?? (isAddress(res.userName) ? res.userName : undefined) ?? '';
      cx.row(at, email, {}, { ...key, remove: true });
    } else {
      const read = readPatch(o.data, (message, sub = []) => cx.problem([...inData, ...sub], message));
      if (!read) return;
      for (const a of read.ignored) cx.ignored.add(a);
      if (patchSetsAnything(read)) cx.row(at, read.email ?? address ?? '', read.fields, { ...key, changeOnly: true });
    }
  });
}
