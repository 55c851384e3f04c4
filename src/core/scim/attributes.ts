// `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which attributes of a resource a
// response carries. Names are case-insensitive, a sub-attribute is `name.formatted` or
// `emails.value`, and an extension's are named by its URN (`urn:…:enterprise:2.0:User:department`,
// or the URN alone for all of them). `schemas` and `id` are always returned.
import { SCIM_ENTERPRISE, SCIM_GROUP, SCIM_USER, isObject, type Json } from '../roster/formats/scim-user.js';

const ALWAYS = new Set(['schemas', 'id']);

/** A list parameter (`userName,emails.value`) → paths of [attribute, sub-attribute?], in lower case. */
export function attributeList(raw: string | null | undefined): string[][] {
  if (!raw) return [];
  return raw.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const lower = p.toLowerCase();
    for (const urn of [SCIM_USER, SCIM_GROUP]) if (lower.startsWith(urn.toLowerCase() + ':')) return lower.slice(urn.length + 1).split('.');
    const ext = SCIM_ENTERPRISE.toLowerCase();
    if (lower === ext) return [ext];
    if (lower.startsWith(ext + ':')) return [ext, ...lower.slice(ext.length + 1).split('.')];
    return lower.split('.');
  });
}

const keyOf = (o: Json, lower: string) => Object.keys(o).find((k) => k.toLowerCase() === lower);

/** The sub-attributes `subs` of a value: of an object, or of each object of a list. */
function pick(value: unknown, subs: Set<string>): unknown {
  const one = (v: unknown) => (isObject(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => subs.has(k.toLowerCase()))) : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}

function drop(value: unknown, subs: Set<string>): unknown {
  const one = (v: unknown) => (isObject(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => !subs.has(k.toLowerCase()))) : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}

/** Groups paths by their attribute: attribute → its sub-attributes (empty: the whole attribute). */
function byAttribute(paths: string[][]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [attr, sub] of paths) {
    const subs = out.get(attr) ?? new Set<string>();
    if (sub === undefined) subs.add('*');
    else subs.add(sub);
    out.set(attr, subs);
  }
  return out;
}

/** The resource with only the attributes asked for, or without those excluded; as it is with neither. */
export function project(res: Json, attributes: string[][], excluded: string[][]): Json {
  if (attributes.length) {
    const wanted = byAttribute(attributes);
    const out: Json = {};
    for (const [k, v] of Object.entries(res)) {
      const subs = wanted.get(k.toLowerCase());
      if (ALWAYS.has(k)) out[k] = v;
      else if (subs) out[k] = subs.has('*') ? v : pick(v, subs);
    }
    return out;
  }
  if (!excluded.length) return res;
  const out: Json = { ...res };
  for (const [attr, subs] of byAttribute(excluded)) {
    const k = keyOf(out, attr);
    if (k === undefined || ALWAYS.has(k)) continue;
    if (subs.has('*')) delete out[k];
    else out[k] = drop(out[k], subs);
  }
  return out;
}
