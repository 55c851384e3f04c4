// SCIM filters (RFC 7644 §3.4.2.2) over resources as the server shows them. The grammar is parsed by
// scim2-parse-filter; what an attribute is (case-exact or not, a boolean, a time) and how a
// multi-valued attribute matches are decided here, against the attributes each resource type lists:
// a filter naming anything else is refused (invalidFilter), never matched against nothing.
import { parse, type Filter } from 'scim2-parse-filter';
import { SCIM_ENTERPRISE, SCIM_GROUP, SCIM_USER, isObject, type Json } from '../roster/formats/scim-user.js';
import { scimFail } from './refusal.js';

export type { Filter };

export interface AttributeSpec {
  type: 'string' | 'boolean' | 'dateTime' | 'complex';
  /** Compared exactly (ids); other strings compare without regard to case, as RFC 7643 §2.2 has them. */
  caseExact?: boolean;
}

/** Attributes by lower-case path: `username`, `emails.value`, `urn:…:enterprise:2.0:user:department`. */
export type AttributeTable = Readonly<Record<string, AttributeSpec>>;

const S: AttributeSpec = { type: 'string' };
const EXACT: AttributeSpec = { type: 'string', caseExact: true };
const TIME: AttributeSpec = { type: 'dateTime' };
const ENTERPRISE = SCIM_ENTERPRISE.toLowerCase();

export const USER_ATTRIBUTES: AttributeTable = {
  id: EXACT, externalid: EXACT, username: S, displayname: S, title: S, active: { type: 'boolean' },
  name: { type: 'complex' }, 'name.formatted': S,
  emails: { type: 'complex' }, 'emails.value': S, 'emails.type': S, 'emails.primary': { type: 'boolean' },
  [`${ENTERPRISE}:department`]: S,
  'meta.created': TIME, 'meta.lastmodified': TIME, 'meta.resourcetype': S,
};

export const GROUP_ATTRIBUTES: AttributeTable = {
  id: EXACT, externalid: EXACT, displayname: S,
  members: { type: 'complex' }, 'members.value': EXACT, 'members.display': S, 'members.type': S,
  'meta.created': TIME, 'meta.lastmodified': TIME, 'meta.resourcetype': S,
};

/** An attribute path → its lower-case key in a table; a core schema's URN prefix is dropped. */
export function attributeKey(path: string): string {
  const lower = path.trim().toLowerCase();
  for (const urn of [SCIM_USER, SCIM_GROUP]) {
    const prefix = urn.toLowerCase() + ':';
    if (lower.startsWith(prefix)) return lower.slice(prefix.length);
  }
  return lower;
}

/** The segments of a key, the extension's URN kept whole: `urn:…:user:department` → [urn, 'department']. */
function segments(key: string): string[] {
  if (key.startsWith(ENTERPRISE + ':')) return [ENTERPRISE, ...key.slice(ENTERPRISE.length + 1).split('.')];
  return key.split('.');
}

/** The key a comparison uses: a multi-valued complex attribute alone means its `value` (`emails eq "x"`). */
function comparedKey(table: AttributeTable, key: string): string | null {
  const spec = table[key];
  if (spec && spec.type !== 'complex') return key;
  if (table[`${key}.value`]) return `${key}.value`;
  return null;
}

/** Parses a filter and checks every attribute it names against the table: invalidFilter otherwise. */
export function parseFilter(text: string, table: AttributeTable): Filter {
  let f: Filter;
  try {
    f = parse(text);
  } catch (e) {
    scimFail('invalidFilter', `the filter ${JSON.stringify(text)} is not a SCIM filter: ${(e as Error).message}`,
      'e.g. filter=userName eq "bjensen@example.com" (RFC 7644 §3.4.2.2)');
  }
  check(f, table, '', text);
  return f;
}

function check(f: Filter, table: AttributeTable, prefix: string, text: string) {
  const known = Object.keys(table).filter((k) => table[k].type !== 'complex').join(', ');
  const unknown = (path: string) => scimFail('invalidFilter', `the filter ${JSON.stringify(text)} names ${path}, which cannot be filtered on`, `filterable attributes: ${known}`);
  switch (f.op) {
    case 'and':
    case 'or':
      for (const sub of f.filters) check(sub, table, prefix, text);
      return;
    case 'not':
      return check(f.filter, table, prefix, text);
    case '[]': {
      const key = prefix + attributeKey(f.attrPath);
      if (table[key]?.type !== 'complex') unknown(f.attrPath);
      return check(f.valFilter, table, key + '.', text);
    }
    default: {
      const key = comparedKey(table, prefix + attributeKey(f.attrPath));
      if (!key) unknown(f.attrPath);
      const spec = table[key!];
      if (f.op !== 'pr' && spec.type === 'boolean' && typeof f.compValue !== 'boolean' && !/^(true|false)$/i.test(String(f.compValue))) {
        scimFail('invalidFilter', `${f.attrPath} is true or false: the filter ${JSON.stringify(text)} compares it with ${JSON.stringify(f.compValue)}`);
      }
    }
  }
}

/** The values at a key of a resource: multi-valued attributes give one value per element. */
function valuesAt(resource: unknown, parts: readonly string[]): unknown[] {
  let current: unknown[] = [resource];
  for (const part of parts) {
    const next: unknown[] = [];
    for (const v of current) {
      if (!isObject(v)) continue;
      const k = Object.keys(v).find((x) => x.toLowerCase() === part);
      if (k === undefined) continue;
      const value = v[k];
      if (Array.isArray(value)) next.push(...value);
      else next.push(value);
    }
    current = next;
  }
  return current.filter((v) => v !== null && v !== undefined);
}

function asText(v: unknown, caseExact: boolean): string {
  const s = String(v);
  return caseExact ? s : s.toLowerCase();
}

function compare(op: string, value: unknown, wanted: unknown, spec: AttributeSpec): boolean {
  if (spec.type === 'boolean') {
    const b = typeof value === 'boolean' ? value : /^true$/i.test(String(value));
    const w = typeof wanted === 'boolean' ? wanted : /^true$/i.test(String(wanted));
    if (op === 'eq') return b === w;
    if (op === 'ne') return b !== w;
    return false;
  }
  if (spec.type === 'dateTime') {
    const [a, b] = [Date.parse(String(value)), Date.parse(String(wanted))];
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    switch (op) {
      case 'eq': return a === b;
      case 'ne': return a !== b;
      case 'gt': return a > b;
      case 'ge': return a >= b;
      case 'lt': return a < b;
      case 'le': return a <= b;
      default: return false;
    }
  }
  const exact = !!spec.caseExact;
  const [a, b] = [asText(value, exact), asText(wanted, exact)];
  switch (op) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'co': return a.includes(b);
    case 'sw': return a.startsWith(b);
    case 'ew': return a.endsWith(b);
    case 'gt': return a > b;
    case 'ge': return a >= b;
    case 'lt': return a < b;
    case 'le': return a <= b;
    default: return false;
  }
}

/** Whether a resource (as the server shows it) matches a parsed, checked filter. */
export function matches(f: Filter, resource: Json, table: AttributeTable, prefix = ''): boolean {
  switch (f.op) {
    case 'and': return f.filters.every((sub) => matches(sub, resource, table, prefix));
    case 'or': return f.filters.some((sub) => matches(sub, resource, table, prefix));
    case 'not': return !matches(f.filter, resource, table, prefix);
    case '[]': {
      const key = prefix + attributeKey(f.attrPath);
      const parts = segments(key).slice(prefix ? segments(prefix.slice(0, -1)).length : 0);
      return valuesAt(resource, parts).some((el) => isObject(el) && matches(f.valFilter, el, table, key + '.'));
    }
    default: {
      const key = comparedKey(table, prefix + attributeKey(f.attrPath))!;
      const parts = segments(key).slice(prefix ? segments(prefix.slice(0, -1)).length : 0);
      const values = valuesAt(resource, parts);
      if (f.op === 'pr') return values.some((v) => v !== '' && !(Array.isArray(v) && !v.length));
      // ne over a multi-valued attribute: no value equals it.
      if (f.op === 'ne') return !values.some((v) => compare('eq', v, f.compValue, table[key]));
      return values.some((v) => compare(f.op, v, f.compValue, table[key]));
    }
  }
}

/**
 * Exact lookups a filter implies for every match (`userName eq "x"`, alone or and-ed with more):
 * the attribute's key and the value. The caller reads just those resources, then still matches
 * the whole filter; none means it must look at every resource.
 */
export function equalityOn(f: Filter, keys: readonly string[]): { key: string; value: string } | null {
  if (f.op === 'eq' && typeof f.compValue === 'string') {
    const key = attributeKey(f.attrPath);
    if (keys.includes(key)) return { key, value: f.compValue };
  }
  if (f.op === 'and') {
    for (const sub of f.filters) {
      const found = equalityOn(sub, keys);
      if (found) return found;
    }
  }
  return null;
}
