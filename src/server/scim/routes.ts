// One SCIM request, from method and path to the core use case and back: who acts (the bearer API
// token), one unit of work per request (its own batch id: one request, one batch in the audit log),
// a read transaction for GET and a write transaction for the rest, and the response's JSON.
import type { Clock } from '../../core/clock.js';
import { RollcallError } from '../../core/errors.js';
import type { Member } from '../../core/model.js';
import { attributeList, project } from '../../core/scim/attributes.js';
import { MAX_RESULTS, resourceTypes, schemas, serviceProviderConfig } from '../../core/scim/discovery.js';
import * as groups from '../../core/scim/groups.js';
import { scimFail } from '../../core/scim/refusal.js';
import * as users from '../../core/scim/users.js';
import { SCIM_LIST, type Json } from '../../core/roster/formats/scim-user.js';
import type { UnitOfWork } from '../../core/unit-of-work.js';
import { openWorkspace } from '../../core/workspace.js';
import type { SerialStore } from './serial-store.js';

export interface Request {
  method: string;
  /** The path below the base path: `/Users/m_…`. */
  path: string;
  query: URLSearchParams;
  /** `Authorization`, as sent. */
  authorization: string | undefined;
  /** The parsed JSON body, for methods that carry one. */
  body(): Promise<unknown>;
  /** `https://host/scim/v2`: what meta.location and Location start with. */
  base: string;
}

export interface Response {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

export interface Context {
  store: SerialStore;
  clock: Clock;
  options: users.ProvisioningOptions;
  /** Who acted: for the access log. */
  actor?: string;
}

function bearer(header: string | undefined): string {
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) throw new RollcallError('NOT_AUTHENTICATED', 'no bearer token', 'send Authorization: Bearer rc_… (rollcall token create)');
  return m[1];
}

/** A positive integer query parameter, or the default; invalidValue otherwise. */
function integer(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw.trim() === '') return fallback;
  if (!/^\s*-?\d+\s*$/.test(raw)) scimFail('invalidValue', `${name} is a whole number: got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function withLocation(res: Json, base: string, kind: 'Users' | 'Groups'): Json {
  return { ...res, meta: { ...(res.meta ?? {}), location: `${base}/${kind}/${res.id}` } };
}

/** The resources of a page, shaped by attributes/excludedAttributes, as a ListResponse. */
function listResponse(page: users.Page, startIndex: number, r: Request, kind: 'Users' | 'Groups'): Json {
  const attrs = attributeList(r.query.get('attributes'));
  const excluded = attributeList(r.query.get('excludedAttributes'));
  const Resources = page.resources.map((res) => project(withLocation(res, r.base, kind), attrs, excluded));
  return { schemas: [SCIM_LIST], totalResults: page.totalResults, startIndex, itemsPerPage: Resources.length, Resources };
}

function one(res: Json, r: Request, kind: 'Users' | 'Groups', status = 200): Response {
  const body = project(withLocation(res, r.base, kind), attributeList(r.query.get('attributes')), attributeList(r.query.get('excludedAttributes')));
  return { status, body, headers: status === 201 ? { Location: `${r.base}/${kind}/${res.id}` } : {} };
}

/**
 * Runs a use case as the token's member: a read for GET, a write (one batch) for anything else. Who
 * acts is checked first (SPEC §2's order), then the body is read, outside any transaction: a slow
 * client never holds the workspace.
 */
async function asActor<T>(cx: Context, r: Request, fn: (s: UnitOfWork, body: unknown) => Promise<T>): Promise<T> {
  const ws = openWorkspace(cx.store, cx.clock);
  const actor: Member = await ws.signIn({ token: bearer(r.authorization) });
  cx.actor = actor.email;
  if (r.method === 'GET') return ws.read(actor, (s) => fn(s, undefined));
  if (r.method === 'DELETE') return ws.write(actor, (s) => fn(s, undefined));
  const body = await r.body();
  return ws.write(actor, (s) => fn(s, body));
}

async function resourcesOf(cx: Context, r: Request, kind: 'Users' | 'Groups', id: string | undefined): Promise<Response> {
  const m = r.method;
  if (m === 'GET' && id === undefined) {
    const startIndex = Math.max(1, integer(r.query, 'startIndex', 1));
    const count = Math.min(MAX_RESULTS, Math.max(0, integer(r.query, 'count', 100)));
    const q = { filter: r.query.get('filter') ?? undefined, startIndex, count };
    const page = await asActor(cx, r, (s) => (kind === 'Users' ? users.listUsers(s, q) : groups.listGroups(s, q)));
    return { status: 200, body: listResponse(page, startIndex, r, kind) };
  }
  if (m === 'POST' && id === undefined) {
    return one(await asActor(cx, r, (s, body) => (kind === 'Users' ? users.createUser(s, body, cx.options) : groups.createGroup(s, body))), r, kind, 201);
  }
  if (id === undefined) return notAllowed(m, `/${kind}`, 'GET, POST');
  if (m === 'GET') return one(await asActor(cx, r, (s) => (kind === 'Users' ? users.getUser(s, id) : groups.getGroup(s, id))), r, kind);
  if (m === 'PUT') {
    return one(await asActor(cx, r, (s, body) => (kind === 'Users' ? users.replaceUser(s, id, body, cx.options) : groups.replaceGroup(s, id, body))), r, kind);
  }
  if (m === 'PATCH') {
    return one(await asActor(cx, r, (s, body) => (kind === 'Users' ? users.patchUser(s, id, body, cx.options) : groups.patchGroup(s, id, body))), r, kind);
  }
  if (m === 'DELETE') {
    await asActor(cx, r, (s) => (kind === 'Users' ? users.deleteUser(s, id) : groups.deleteGroup(s, id)));
    return { status: 204 };
  }
  return notAllowed(m, `/${kind}/{id}`, 'GET, PUT, PATCH, DELETE');
}

function notAllowed(method: string, where: string, allowed: string): Response {
  const e = new RollcallError('USAGE', `${method} is not supported on ${where}`, `use ${allowed}`);
  return { status: 405, headers: { Allow: allowed }, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '405', detail: `${e.code}: ${e.message} (${e.hint})` } };
}

function byId(list: Json[], id: string | undefined, what: string): Response {
  if (id === undefined) return { status: 200, body: { schemas: [SCIM_LIST], totalResults: list.length, startIndex: 1, itemsPerPage: list.length, Resources: list } };
  const found = list.find((x) => x.id === id);
  if (!found) throw new RollcallError('NOT_FOUND', `no ${what} ${id}`);
  return { status: 200, body: found };
}

/** Routes a request below the base path. Throws RollcallErrors for the caller to answer. */
export async function route(cx: Context, r: Request): Promise<Response> {
  const [first, id, ...rest] = r.path.split('/').filter(Boolean).map(decodeURIComponent);
  const name = (first ?? '').toLowerCase();
  if (rest.length) throw new RollcallError('NOT_FOUND', `no endpoint ${r.path}`);
  if (name === 'users') return resourcesOf(cx, r, 'Users', id);
  if (name === 'groups') return resourcesOf(cx, r, 'Groups', id);
  if (r.method !== 'GET' && ['serviceproviderconfig', 'resourcetypes', 'schemas'].includes(name)) return notAllowed(r.method, `/${first}`, 'GET');
  if (name === 'serviceproviderconfig' && id === undefined) return { status: 200, body: serviceProviderConfig() };
  if (name === 'resourcetypes') return byId(resourceTypes(r.base), id, 'resource type');
  if (name === 'schemas') return byId(schemas(r.base), id, 'schema');
  if (name === 'bulk') return { status: 501, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '501', detail: 'bulk operations are not supported (ServiceProviderConfig bulk.supported is false)' } };
  throw new RollcallError('NOT_FOUND', `no endpoint ${r.path || '/'}`, 'the endpoints are /Users, /Groups, /ServiceProviderConfig, /ResourceTypes and /Schemas');
}
