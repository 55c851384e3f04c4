// SCIM 2.0 (RFC 7643/7644): a ListResponse, an array, or one User resource (SPEC §13).
import type { MemberView } from '../../members/views.js';
import { problemAt, type RosterFields, type RosterRead, type RosterRow } from '../roster-file.js';
import { textCell } from './cells.js';
import { lazyJsonLines } from './document-lines.js';
import { defineFormat, emptyRead, type ParseLibs } from './format.js';
import { jsonErrorLine } from './json.js';
import type { LineAt } from './ours.js';
import { personName } from './names.js';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

type Json = Record<string, any>;

export function parseScimData(data: unknown, file: string, lineAt: LineAt = () => undefined): RosterRead {
  const out = emptyRead();
  const paths = new WeakMap<RosterRow, Array<string | number>>();
  const resources: unknown[] = Array.isArray(data) ? data : Array.isArray((data as Json)?.Resources) ? (data as Json).Resources : [data];
  const label = Array.isArray(data) ? '' : Array.isArray((data as Json)?.Resources) ? 'Resources' : 'resource';
  const pathOf = (i: number): Array<string | number> => (label === 'Resources' ? ['Resources', i] : label === '' ? [i] : []);
  let groups = 0;
  resources.forEach((r, i) => {
    const where = `${file}: ${label}[${i}]`;
    if (!r || typeof r !== 'object') {
      out.problems.push(problemAt(file, lineAt(pathOf(i)) ?? null, `${label}[${i}]: not a SCIM resource`));
      return;
    }
    const res = r as Json;
    const schemas: string[] = Array.isArray(res.schemas) ? res.schemas : [];
    if (schemas.includes(SCIM_GROUP) || res.meta?.resourceType === 'Group') {
      groups++;
      return;
    }
    const emails: Json[] = Array.isArray(res.emails) ? res.emails : [];
    const email = (emails.find((e) => e?.primary === true)?.value ?? res.userName ?? emails[0]?.value) as unknown;
    if (typeof email !== 'string' || !email.trim()) {
      out.problems.push(problemAt(file, lineAt(pathOf(i)) ?? null, `${label}[${i}]: a User needs emails[primary].value or userName`));
      return;
    }
    const fields: RosterFields = {};
    const name = textCell(res.name?.formatted) ?? textCell(res.displayName) ?? personName(res.name?.givenName, res.name?.familyName);
    if (name !== null) fields.name = name;
    if ('title' in res) fields.title = textCell(res.title);
    if (typeof res.active === 'boolean') fields.status = res.active ? 'active' : 'suspended';
    const enterprise = res[SCIM_ENTERPRISE] as Json | undefined;
    if (enterprise && 'department' in enterprise) fields.org = textCell(enterprise.department);
    // externalId is rollcall's id only in our own exports; another directory's is its own business.
    const id = typeof res.externalId === 'string' && /^m_[0-9a-f]{16}$/.test(res.externalId) ? res.externalId : undefined;
    const row: RosterRow = { where, at: `${label}[${i}]`, email, id, fields };
    paths.set(row, pathOf(i));
    out.rows.push(row);
  });
  out.lineOf = (row) => (paths.has(row) ? lineAt(paths.get(row)!) : undefined);
  if (groups) out.notes.push(`${groups} SCIM Group resource${groups > 1 ? 's were' : ' was'} not imported: rollcall groups are managed with rollcall group`);
  return out;
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

function scimUser(v: MemberView) {
  return {
    schemas: [SCIM_USER, SCIM_ENTERPRISE],
    id: v.id,
    externalId: v.id,
    userName: v.email,
    name: { formatted: v.name },
    displayName: v.name,
    title: v.title,
    active: v.status !== 'suspended',
    emails: [{ value: v.email, primary: true, type: 'work' }],
    [SCIM_ENTERPRISE]: { department: v.org },
    meta: { resourceType: 'User', created: v.createdAt, lastModified: v.updatedAt },
  };
}

export default defineFormat({
  name: 'scim',
  description: 'SCIM 2.0 JSON: a ListResponse, an array of resources, or one User',
  // JSON (by name) whose first resource has a `schemas` key; anything else JSON is rollcall's.
  detect(probe) {
    const data = probe.json()?.value;
    const first = Array.isArray(data) ? data[0] : data;
    return first && typeof first === 'object' && 'schemas' in first ? 'content' : undefined;
  },
  parse: parseScim,
  export: ({ members }) =>
    JSON.stringify({ schemas: [SCIM_LIST], totalResults: members.length, startIndex: 1, itemsPerPage: members.length, Resources: members.map(scimUser) }, null, 2) + '\n',
});
