// A SCIM PatchOp on a User (RFC 7644 §3.5.2), the `data` of a BulkRequest PATCH, as one change of a
// member. Supported: `add` and `replace` (any case: Entra sends "Replace") of the attributes rollcall
// keeps, with a path or without one (a value object, whose keys may be dotted: "name.givenName"),
// and `remove` of title and department. Attributes rollcall does not keep are noted and not
// imported, as in a User resource. Anything else on a kept attribute is a problem: never ignored.
import type { RosterFields } from '../roster-file.js';
import { textCell } from './cells.js';
import { personName } from './names.js';
import {
  isAddress, isObject, primaryEmail, readActive, SCIM_ENTERPRISE, SCIM_USER, type JsonPath, type Report,
} from './scim-user.js';

export interface PatchRead {
  /** The member's new address, when the patch sets one. */
  email?: string;
  fields: RosterFields;
  /** Attributes set that rollcall does not keep. */
  ignored: string[];
}

interface Pending {
  formatted?: string;
  displayName?: string;
  givenName?: string;
  familyName?: string;
  userName?: string;
  /** From the primary (or work) email. */
  address?: string;
  /** From the first email of a list replaced whole, without a primary one. */
  firstEmail?: string;
}

const SUPPORTED = 'rollcall reads add and replace of active, title, displayName, name (formatted, givenName, familyName), userName, '
  + 'emails (a list, or emails[type eq "work"].value) and the enterprise department, and remove of title and department';
const WORK_OR_PRIMARY = /^\s*(type\s+eq\s+"work"|primary\s+eq\s+true)\s*$/i;
const ATTRIBUTE = /^([A-Za-z$][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z$][\w$-]*))?$/;

/** A path → its attribute (lower case; `enterprise:department` for the extension's), filter and sub-attribute. */
function parsePath(path: string): { attr: string; filter?: string; sub?: string } {
  const lower = path.toLowerCase();
  if (lower.startsWith(`${SCIM_ENTERPRISE.toLowerCase()}:`)) return { attr: `enterprise:${lower.slice(SCIM_ENTERPRISE.length + 1)}` };
  if (lower === SCIM_ENTERPRISE.toLowerCase()) return { attr: 'enterprise' };
  if (lower === SCIM_USER.toLowerCase()) return { attr: 'core' };
  const bare = lower.startsWith(`${SCIM_USER.toLowerCase()}:`) ? path.slice(SCIM_USER.length + 1) : path;
  const m = ATTRIBUTE.exec(bare.trim());
  return m ? { attr: m[1].toLowerCase(), filter: m[2], sub: m[3]?.toLowerCase() } : { attr: path };
}

export function readPatch(data: unknown, report: Report): PatchRead | null {
  if (!isObject(data) || !Array.isArray(data.Operations)) {
    report('a PATCH carries a PatchOp: { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op", "path", "value" }] }');
    return null;
  }
  const fields: RosterFields = {};
  const p: Pending = {};
  const ignored = new Set<string>();
  let ok = true;

  data.Operations.forEach((o: unknown, j: number) => {
    const at: JsonPath = ['Operations', j];
    const fail = (message: string) => {
      ok = false;
      report(message, at);
    };
    if (!isObject(o)) return fail('not a PATCH operation (a JSON object with op, path and value)');
    const op = typeof o.op === 'string' ? o.op.toLowerCase() : '';
    if (!['add', 'replace', 'remove'].includes(op)) return fail(`op ${JSON.stringify(o.op ?? null)} is not one of add, replace, remove`);
    const remove = op === 'remove';

    /** A text attribute's new value; null (or remove) clears it. */
    const text = (what: string, v: unknown): string | null | undefined => {
      if (remove || v === null) return null;
      if (typeof v === 'string' || typeof v === 'number') return textCell(v);
      fail(`${what} takes a text value, not ${JSON.stringify(v)}`);
      return undefined;
    };
    /** A name part or the address: kept for every member, so never removed. */
    const kept = (what: string, v: unknown): string | undefined => {
      const t = text(what, v);
      if (t === null) fail(`${what} cannot be removed: rollcall keeps ${what === 'userName' || what.startsWith('emails') ? 'an address' : 'a name'} for every member`);
      return t ?? undefined;
    };

    const set = (path: string, v: unknown) => {
      const { attr, filter, sub } = parsePath(path);
      const simple = filter === undefined && sub === undefined;
      if (attr === 'active' && simple) {
        if (remove) fail('"active" cannot be removed: a member is active or suspended');
        else readActive(v, fields, (message) => fail(message));
      } else if (attr === 'title' && simple) {
        const t = text('title', v);
        if (t !== undefined) fields.title = t;
      } else if (attr === 'displayname' && simple) {
        p.displayName = kept('displayName', v) ?? p.displayName;
      } else if (attr === 'name' && simple && isObject(v) && !remove) {
        for (const [k, x] of Object.entries(v)) set(`name.${k}`, x);
      } else if (attr === 'name' && filter === undefined && (sub === 'formatted' || sub === 'givenname' || sub === 'familyname')) {
        const key = sub === 'formatted' ? 'formatted' : sub === 'givenname' ? 'givenName' : 'familyName';
        p[key] = kept(`name.${key}`, v) ?? p[key];
      } else if (attr === 'name' && sub !== undefined && filter === undefined) {
        ignored.add(path);
      } else if (attr === 'username' && simple) {
        p.userName = kept('userName', v) ?? p.userName;
      } else if (attr === 'emails' && filter !== undefined) {
        if (!WORK_OR_PRIMARY.test(filter)) ignored.add(`emails[${filter}]`);
        else if (remove) fail('emails cannot be removed: rollcall keeps an address for every member');
        else if (sub === 'value') p.address = kept(`emails[${filter}].value`, v) ?? p.address;
        else fail(`${path}: rollcall reads the address at emails[${filter}].value`);
      } else if (attr === 'emails' && simple) {
        if (remove) return fail('emails cannot be removed: rollcall keeps an address for every member');
        const list = Array.isArray(v) ? v : [v];
        const primary = primaryEmail(list);
        if (primary) p.address = primary;
        else if (op === 'replace' && isObject(list[0]) && typeof list[0].value === 'string') p.firstEmail = list[0].value;
        else if (op === 'add') ignored.add('emails (not primary)');
        else fail('emails takes a list of { "value": address, "primary": true }');
      } else if ((attr === 'enterprise' || attr === 'core') && isObject(v) && !remove) {
        for (const [k, x] of Object.entries(v)) set(attr === 'core' ? k : `${SCIM_ENTERPRISE}:${k}`, x);
      } else if (attr === 'enterprise:department') {
        const t = text('department', v);
        if (t !== undefined) fields.org = t;
      } else if (['active', 'title', 'displayname', 'name', 'username', 'emails'].includes(attr)) {
        fail(`${op} of ${path} is not supported: ${SUPPORTED}`);
      } else ignored.add(path);
    };

    if (typeof o.path === 'string' && o.path.trim()) set(o.path.trim(), o.value);
    else if (remove) fail('a remove names the attribute it removes in "path"');
    else if (!isObject(o.value)) fail('an operation without a path carries an object of attributes in "value"');
    else for (const [k, v] of Object.entries(o.value)) set(k, v);
  });

  const name = p.formatted ?? p.displayName ?? (p.givenName && p.familyName ? personName(p.givenName, p.familyName) : undefined);
  if (name) fields.name = name;
  else if (p.givenName || p.familyName) {
    ok = false;
    report(`${p.givenName ? 'name.givenName' : 'name.familyName'} alone cannot change a name: rollcall keeps one name per member; set name.formatted or displayName, or both name.givenName and name.familyName`);
  }
  if (p.userName && !isAddress(p.userName) && !p.address) {
    ok = false;
    report(`userName "${p.userName}" is not an email address: rollcall names members by address`);
  }
  const email = p.address ?? (isAddress(p.userName) ? p.userName : undefined) ?? p.firstEmail;
  return ok ? { ...(email ? { email } : {}), fields, ignored: [...ignored] } : null;
}

/** Whether a patch asks for anything rollcall keeps. */
export function patchSetsAnything(read: PatchRead): boolean {
  return read.email !== undefined || Object.keys(read.fields).length > 0;
}
