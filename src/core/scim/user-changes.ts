// What a SCIM User asks of a member, in rollcall's terms: a new User (POST) read by the same mapping
// as a SCIM file (scim-user.ts: readUser), and a User replaced (PUT) or patched (PATCH) read as the
// changes from the User the server showed. One difference from a file: a provisioning client finds
// its users again by `userName`, so the server takes userName as the address when it is one (a
// file's primary email comes first), and shows it back unchanged.
import { textCell } from '../roster/formats/cells.js';
import { personName } from '../roster/formats/names.js';
import {
  isAddress, isObject, primaryEmail, readUser, scimBoolean, SCIM_ENTERPRISE, type Json,
} from '../roster/formats/scim-user.js';
import { scimFail } from './refusal.js';

/** The fields of a member a SCIM User carries; a key present means "set to this". */
export interface UserChange {
  email?: string;
  name?: string;
  title?: string | null;
  /** The enterprise extension's department: an org path; null leaves the primary org. */
  org?: string | null;
  active?: boolean;
  externalId?: string | null;
}

/** externalId as sent: text (kept exactly), null to clear; invalidValue for anything else. */
function externalIdOf(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v === 'string' && v.trim()) return v;
  scimFail('invalidValue', `externalId is the provisioning client's id, a non-empty text: got ${JSON.stringify(v)}`);
}

function activeOf(v: unknown): boolean | undefined {
  const active = scimBoolean(v);
  if (active === 'bad') scimFail('invalidValue', `"active" is ${JSON.stringify(v)}: it is true or false (a boolean, or the string "True" or "False")`);
  return active;
}

/** A new User (POST): every problem of the mapping is one invalidValue refusal. */
export function newUser(res: unknown): UserChange & { email: string } {
  if (!isObject(res)) scimFail('invalidSyntax', 'the body is not a SCIM User (a JSON object)');
  const problems: string[] = [];
  const userName = typeof res.userName === 'string' ? res.userName.trim() : '';
  if (!userName) scimFail('invalidValue', 'a User needs a userName: rollcall takes it as the member\'s email address');
  const read = readUser(isAddress(userName) ? { ...res, emails: [{ value: userName, primary: true }] } : res, (message) => problems.push(message));
  if (!read || problems.length) scimFail('invalidValue', problems.join('; ') || 'the User cannot be read');
  const out: UserChange & { email: string } = { email: read.email };
  if (read.fields.name) out.name = read.fields.name;
  if (read.fields.title) out.title = read.fields.title;
  if (read.fields.org) out.org = read.fields.org;
  const active = activeOf(res.active);
  if (active !== undefined) out.active = active;
  if (res.externalId !== undefined && res.externalId !== null) out.externalId = externalIdOf(res.externalId);
  return out;
}

const text = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' ? textCell(v) : null);
const nameParts = (res: Json) => (isObject(res.name) ? res.name : {});
const enterprise = (res: Json) => (isObject(res[SCIM_ENTERPRISE]) ? res[SCIM_ENTERPRISE] : {});
const has = (o: Json, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * The changes a User (`after`) makes to the User the server showed (`before`). For a PATCH
 * (`absentClears`), an attribute the operations removed is cleared; for a PUT, an attribute left
 * out is not asserted (RFC 7644 §3.5.1 lets the server keep it), so that a client that does not
 * manage a title or a department never wipes one set in rollcall.
 *
 * rollcall keeps one name and one address, which a User shows in several places. The new one is
 * the first place whose value changed: the name in name.formatted, displayName, then givenName and
 * familyName together; the address in userName, the primary email, then the first email.
 */
export function userChanges(before: Json, after: unknown, absentClears: boolean): UserChange {
  if (!isObject(after)) scimFail('invalidSyntax', 'the body is not a SCIM User (a JSON object)');
  const out: UserChange = {};
  const current = text(before.displayName);

  const formatted = text(nameParts(after).formatted);
  const display = text(after.displayName);
  const given = text(nameParts(after).givenName);
  const family = text(nameParts(after).familyName);
  const split = given && family ? personName(given, family) : null;
  const name = [formatted !== text(nameParts(before).formatted) ? formatted : null, display !== current ? display : null, split !== current ? split : null].find((n) => n);
  if (name) out.name = name;

  const userName = text(after.userName);
  const wasUserName = text(before.userName);
  if (userName !== wasUserName && userName && !isAddress(userName)) {
    scimFail('invalidValue', `userName "${userName}" is not an email address: rollcall names members by address`);
  }
  const emails = Array.isArray(after.emails) ? after.emails : [];
  const firstEmail = isObject(emails[0]) ? text(emails[0].value) : null;
  const email = [userName !== wasUserName ? userName : null, primaryEmail(emails) !== primaryEmail(before.emails) ? primaryEmail(emails) : null,
    firstEmail !== wasUserName && !primaryEmail(emails) ? firstEmail : null].find((e) => e);
  if (email) {
    if (!isAddress(email)) scimFail('invalidValue', `"${email}" is not an email address: rollcall names members by address`);
    out.email = email;
  }

  const was = (v: unknown) => text(v);
  if (has(after, 'title') || absentClears) {
    const title = text(after.title);
    if (title !== was(before.title)) out.title = title;
  }
  const ext = enterprise(after);
  if (has(ext, 'department') || absentClears) {
    const org = text(ext.department);
    if (org !== was(enterprise(before).department)) out.org = org;
  }
  if (has(after, 'active')) {
    const active = activeOf(after.active);
    if (active !== undefined && active !== before.active) out.active = active;
  }
  if (has(after, 'externalId') || (absentClears && has(before, 'externalId'))) {
    const externalId = after.externalId === undefined ? null : externalIdOf(after.externalId);
    if (externalId !== (before.externalId ?? null)) out.externalId = externalId;
  }
  return out;
}
