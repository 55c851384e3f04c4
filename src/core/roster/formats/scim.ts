// SCIM 2.0 (RFC 7643/7644): a ListResponse, an array, or one User resource (SPEC §13).
import type { RosterFields, RosterFile } from '../roster-file.js';
import { textCell } from './cells.js';
import { personName } from './names.js';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

type Json = Record<string, any>;

export function parseScimData(data: unknown, file: string): RosterFile {
  const out: RosterFile = { format: 'scim', rows: [], orgs: [], problems: [], notes: [] };
  const resources: unknown[] = Array.isArray(data) ? data : Array.isArray((data as Json)?.Resources) ? (data as Json).Resources : [data];
  const label = Array.isArray(data) ? '' : Array.isArray((data as Json)?.Resources) ? 'Resources' : 'resource';
  let groups = 0;
  resources.forEach((r, i) => {
    const where = `${file}: ${label}[${i}]`;
    if (!r || typeof r !== 'object') {
      out.problems.push(`${where}: not a SCIM resource`);
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
      out.problems.push(`${where}: a User needs emails[primary].value or userName`);
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
    out.rows.push({ where, email, id, fields });
  });
  if (groups) out.notes.push(`${groups} SCIM Group resource${groups > 1 ? 's were' : ' was'} not imported: rollcall groups are managed with rollcall group`);
  return out;
}

export function parseScim(text: string, file: string): RosterFile {
  try {
    return parseScimData(JSON.parse(text), file);
  } catch (e) {
    return { format: 'scim', rows: [], orgs: [], problems: [`${file}: not valid JSON: ${(e as Error).message}`], notes: [] };
  }
}
