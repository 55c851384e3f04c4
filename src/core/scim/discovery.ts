// What the server says about itself (RFC 7644 §4, RFC 7643 §5–§7): /ServiceProviderConfig,
// /ResourceTypes and /Schemas. Attributes are those rollcall keeps (scim-user.ts maps them).
import { SCIM_ENTERPRISE, SCIM_GROUP, SCIM_USER, type Json } from '../roster/formats/scim-user.js';

const SCHEMAS = 'urn:ietf:params:scim:schemas:core:2.0:';
export const MAX_RESULTS = 1000;

/** What the server supports; its documentation is the README's "Provisioning from an identity provider". */
export function serviceProviderConfig(): Json {
  return {
    schemas: [`${SCHEMAS}ServiceProviderConfig`],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [{
      type: 'oauthbearertoken', name: 'API token', primary: true,
      description: 'Authorization: Bearer rc_… — a rollcall API token (rollcall token create) of a member who may manage members',
    }],
    meta: { resourceType: 'ServiceProviderConfig' },
  };
}

export function resourceTypes(base: string): Json[] {
  return [
    {
      schemas: [`${SCHEMAS}ResourceType`], id: 'User', name: 'User', endpoint: '/Users', description: 'A member of the workspace',
      schema: SCIM_USER, schemaExtensions: [{ schema: SCIM_ENTERPRISE, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [`${SCHEMAS}ResourceType`], id: 'Group', name: 'Group', endpoint: '/Groups', description: 'A group, owned by the member who created it',
      schema: SCIM_GROUP, meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

interface Attr {
  name: string;
  type?: string;
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: string;
  returned?: string;
  uniqueness?: string;
  description: string;
  subAttributes?: Attr[];
}

/** An attribute definition with RFC 7643 §7's defaults spelled out. */
function attr(a: Attr): Json {
  return {
    name: a.name, type: a.type ?? 'string', multiValued: !!a.multiValued, description: a.description, required: !!a.required,
    caseExact: !!a.caseExact, mutability: a.mutability ?? 'readWrite', returned: a.returned ?? 'default', uniqueness: a.uniqueness ?? 'none',
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attr) } : {}),
  };
}

const USER: Attr[] = [
  { name: 'userName', required: true, uniqueness: 'server', description: "The member's email address: the address rollcall knows the member by (lower-cased)" },
  { name: 'externalId', caseExact: true, description: "The provisioning client's id for the member, stored as sent" },
  { name: 'name', type: 'complex', description: 'The name; rollcall keeps one (name.formatted)', subAttributes: [
    { name: 'formatted', description: 'The full name' },
    { name: 'givenName', description: 'Read with familyName into the full name; not shown' },
    { name: 'familyName', description: 'Read with givenName into the full name; not shown' },
  ] },
  { name: 'displayName', description: 'The full name (the same as name.formatted)' },
  { name: 'title', description: 'Job title' },
  { name: 'active', type: 'boolean', description: 'false: suspended (rollcall member suspend)' },
  { name: 'emails', type: 'complex', multiValued: true, description: 'The address, once, as the primary work email', subAttributes: [
    { name: 'value', description: 'The address' }, { name: 'type', description: 'work' }, { name: 'primary', type: 'boolean', description: 'true' },
  ] },
];

const GROUP: Attr[] = [
  { name: 'displayName', required: true, uniqueness: 'server', description: "The group's name" },
  { name: 'externalId', caseExact: true, description: "The provisioning client's id for the group" },
  { name: 'members', type: 'complex', multiValued: true, description: 'Members of the group (shown to members of the group)', subAttributes: [
    { name: 'value', caseExact: true, mutability: 'immutable', description: "The user's id" },
    { name: 'display', mutability: 'readOnly', description: "The user's address" },
    { name: 'type', mutability: 'readOnly', description: 'User' },
  ] },
];

const ENTERPRISE: Attr[] = [
  { name: 'department', description: "The member's primary org, as a path (Sales/Tokyo)" },
];

export function schemas(base: string): Json[] {
  const schema = (id: string, name: string, attributes: Attr[]) => ({
    schemas: [`${SCHEMAS}Schema`], id, name, attributes: attributes.map(attr), meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
  });
  return [schema(SCIM_USER, 'User', USER), schema(SCIM_GROUP, 'Group', GROUP), schema(SCIM_ENTERPRISE, 'EnterpriseUser', ENTERPRISE)];
}
