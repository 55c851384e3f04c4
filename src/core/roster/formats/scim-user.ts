// A SCIM 2.0 User resource (RFC 7643 §4.1) as rollcall reads and writes it (SPEC §13): what each
// attribute becomes, the quirks real providers send, and the User `export --format scim` writes.
import { isValidEmail, normalizeEmail } from '../../email.js';
import type { MemberView } from '../../members/views.js';
import type { RosterFields } from '../roster-file.js';
import { textCell } from './cells.js';
import { personName } from './names.js';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_MESSAGES = 'urn:ietf:params:scim:api:messages:2.0:';
export const SCIM_LIST = `${SCIM_MESSAGES}ListResponse`;
export const SCIM_BULK = `${SCIM_MESSAGES}BulkRequest`;
export const SCIM_PATCH = `${SCIM_MESSAGES}PatchOp`;

export type Json = Record<string, any>;
export type JsonPath = Array<string | number>;
/** Reports a problem at a path below the thing being read (`['active']`, `['emails', 0]`). */
export type Report = (message: string, at?: JsonPath) => void;

export function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function schemasOf(v: unknown): string[] {
  return isObject(v) && Array.isArray(v.schemas) ? v.schemas.filter((s): s is string => typeof s === 'string') : [];
}

/** `Resources[2].data.active`. */
export function pathText(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}

/** An email address as rollcall would take it: one @, a local part, a domain with a dot. */
export function isAddress(v: unknown): v is string {
  return typeof v === 'string' && isValidEmail(normalizeEmail(v));
}

/** SCIM booleans, and the strings `"True"`/`"False"` (any case) that Entra sends; undefined when absent. */
export function scimBoolean(v: unknown): boolean | undefined | 'bad' {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^\s*(true|false)\s*$/i.test(v)) return v.trim().toLowerCase() === 'true';
  return 'bad';
}

/** `active` → a status field; anything but a boolean or "true"/"false" is reported. */
export function readActive(v: unknown, fields: RosterFields, report: Report) {
  const active = scimBoolean(v);
  if (active === 'bad') report(`"active" is ${JSON.stringify(v)}: it is true or false (a boolean, or the string "True" or "False")`);
  else if (active !== undefined) fields.status = active ? 'active' : 'suspended';
}

/** The value of the email a list marks `primary` (a boolean, or "true" in any case). */
export function primaryEmail(emails: unknown): string | undefined {
  const list = Array.isArray(emails) ? emails.filter(isObject) : [];
  const v = list.find((e) => scimBoolean(e.primary) === true)?.value;
  return typeof v === 'string' && v.trim() ? v : undefined;
}

function firstEmail(emails: unknown): string | undefined {
  const v = Array.isArray(emails) && isObject(emails[0]) ? emails[0].value : undefined;
  return typeof v === 'string' && v.trim() ? v : undefined;
}

/**
 * The member's address: the primary email, else a userName that is an address, else the first
 * email. A User with none of these is reported (rollcall names members by address).
 */
export function addressOf(res: Json, report: Report): string | undefined {
  const userName = typeof res.userName === 'string' && res.userName.trim() ? res.userName : undefined;
  const email = primaryEmail(res.emails) ?? (isAddress(userName) ? userName : undefined) ?? firstEmail(res.emails);
  if (email) return email;
  report(userName
    ? `userName "${userName}" is not an email address, and the User has no emails: rollcall names members by address`
    : 'a User needs an email address: emails[].value, or a userName that is an address');
  return undefined;
}

/** name.formatted, else displayName, else given and family name (姓 名 for Japanese and Chinese). */
export function nameOf(res: Json): string | null {
  const name = isObject(res.name) ? res.name : {};
  return textCell(name.formatted) ?? textCell(res.displayName) ?? personName(textCell(name.givenName), textCell(name.familyName));
}

/** A User resource → the row's address and fields; problems go to `report`. */
export function readUser(res: Json, report: Report): { email: string; fields: RosterFields } | null {
  const email = addressOf(res, report);
  const fields: RosterFields = {};
  const name = nameOf(res);
  if (name !== null) fields.name = name;
  if ('title' in res) fields.title = textCell(res.title);
  readActive(res.active, fields, report);
  const enterprise = res[SCIM_ENTERPRISE];
  if (isObject(enterprise) && 'department' in enterprise) fields.org = textCell(enterprise.department);
  return email === undefined ? null : { email, fields };
}

/**
 * A member as a SCIM User for identity providers: `id` is rollcall's (the service provider's,
 * RFC 7643 §3.1); `externalId` is the provisioning client's and is left out; no attribute is
 * null (Microsoft's SCIM guidance), so an unknown title or org is absent. rollcall keeps one
 * display name, so `name` has `formatted` only: a split into given and family name would be a guess.
 */
export function scimUser(v: MemberView) {
  return {
    schemas: v.org ? [SCIM_USER, SCIM_ENTERPRISE] : [SCIM_USER],
    id: v.id,
    userName: v.email,
    name: { formatted: v.name },
    displayName: v.name,
    ...(v.title ? { title: v.title } : {}),
    active: v.status !== 'suspended',
    emails: [{ value: v.email, type: 'work', primary: true }],
    ...(v.org ? { [SCIM_ENTERPRISE]: { department: v.org } } : {}),
    meta: { resourceType: 'User', created: v.createdAt, lastModified: v.updatedAt },
  };
}
