// The SCIM server's protocol pieces, without a server: filters, attribute selection, PATCH as real
// providers send it (Entra's capitalised ops and "False", path-less values, members[value eq] paths),
// what a User asks of a member, and the error table.
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, RollcallError, type ErrorCode } from '../../src/core/errors.js';
import { attributeList, project } from '../../src/core/scim/attributes.js';
import { GROUP_ATTRIBUTES, USER_ATTRIBUTES, equalityOn, matches, parseFilter } from '../../src/core/scim/filter.js';
import { applyPatch, patchOperations } from '../../src/core/scim/patch.js';
import { newUser, userChanges } from '../../src/core/scim/user-changes.js';
import { ERROR_ANSWERS, errorResponse } from '../../src/server/scim/errors.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const bob = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT], id: 'm_1', userName: 'bob@acme.example', externalId: 'Ext-1',
  name: { formatted: 'Bob Lee' }, displayName: 'Bob Lee', title: 'Engineer', active: true,
  emails: [{ value: 'bob@acme.example', type: 'work', primary: true }], [ENT]: { department: 'Sales/Tokyo' },
  meta: { resourceType: 'User', created: '2030-01-01T00:00:00.000Z', lastModified: '2030-01-05T00:00:00.000Z' },
};

function refusal(fn: () => unknown): { code: string; scimType?: unknown; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof RollcallError) return { code: e.code, scimType: e.details?.scimType, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('SCIM filters', () => {
  const user = (filter: string) => matches(parseFilter(filter, USER_ATTRIBUTES), bob, USER_ATTRIBUTES);

  it('eq, co, sw, ew, pr on userName, emails.value, externalId, active and displayName; and, or, not, parentheses', () => {
    expect(user('userName eq "BOB@acme.example"')).toBe(true); // userName is not case-exact (RFC 7643 §4.1.1)
    expect(user('userName Eq "bob@acme.example"')).toBe(true); // operators in any case
    expect(user('externalId eq "ext-1"')).toBe(false); // externalId is the client's, case-exact
    expect(user('externalId eq "Ext-1"')).toBe(true);
    expect(user('emails.value co "@ACME"')).toBe(true);
    expect(user('emails eq "bob@acme.example"')).toBe(true); // a multi-valued attribute alone means its value
    expect(user('emails[type eq "work" and value sw "bob"]')).toBe(true);
    expect(user('emails[type eq "home"]')).toBe(false);
    expect(user('displayName sw "bob" and active eq true')).toBe(true);
    expect(user('active eq false or title pr')).toBe(true);
    expect(user('not (title pr)')).toBe(false);
    expect(user('displayName ew "LEE" and (userName eq "x@y.example" or externalId pr)')).toBe(true);
    expect(user(`${ENT}:department eq "sales/tokyo"`)).toBe(true);
    expect(user('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob@acme.example"')).toBe(true);
    expect(user('meta.lastModified gt "2030-01-02T00:00:00Z"')).toBe(true);
    expect(user('meta.lastModified lt "2030-01-02T00:00:00Z"')).toBe(false);
    expect(user('userName ne "bob@acme.example"')).toBe(false);
  });

  it('refuses a filter that does not parse, or names an attribute it cannot filter on, with invalidFilter', () => {
    for (const bad of ['userName eq', 'userName xx "a"', 'nickName eq "b"', '(userName eq "a"', 'active eq "maybe"', 'emails[nope eq "x"]']) {
      expect(refusal(() => parseFilter(bad, USER_ATTRIBUTES)), bad).toMatchObject({ code: 'INVALID_INPUT', scimType: 'invalidFilter' });
    }
  });

  it('finds the exact lookups a filter implies (the providers\' probes), alone or and-ed, never under or', () => {
    const keys = ['username', 'externalid', 'id'];
    expect(equalityOn(parseFilter('userName eq "Bob@acme.example"', USER_ATTRIBUTES), keys)).toEqual({ key: 'username', value: 'Bob@acme.example' });
    expect(equalityOn(parseFilter('active eq true and externalId eq "e"', USER_ATTRIBUTES), keys)).toEqual({ key: 'externalid', value: 'e' });
    expect(equalityOn(parseFilter('userName eq "a@x.example" or userName eq "b@x.example"', USER_ATTRIBUTES), keys)).toBeNull();
    expect(equalityOn(parseFilter('displayName eq "Bob"', USER_ATTRIBUTES), keys)).toBeNull();
  });

  it('filters groups by displayName, externalId, id and members (Entra\'s membership probe)', () => {
    const g = { schemas: [], id: 'g_1', displayName: 'Eng', externalId: 'G', members: [{ value: 'm_1' }, { value: 'm_2' }] };
    const f = (filter: string) => matches(parseFilter(filter, GROUP_ATTRIBUTES), g, GROUP_ATTRIBUTES);
    expect(f('displayName eq "eng"')).toBe(true);
    expect(f('id eq "g_1" and members[value eq "m_2"]')).toBe(true);
    expect(f('members.value eq "m_3"')).toBe(false);
  });
});

describe('attributes and excludedAttributes', () => {
  it('keeps id and schemas always; names attributes, sub-attributes and the extension in any case', () => {
    expect(project(bob, attributeList('userName,EMAILS.value'), [])).toEqual({ schemas: bob.schemas, id: 'm_1', userName: bob.userName, emails: [{ value: 'bob@acme.example' }] });
    expect(Object.keys(project(bob, attributeList(`${ENT}:department`), []))).toEqual(['schemas', 'id', ENT]);
    expect(project(bob, attributeList('urn:ietf:params:scim:schemas:core:2.0:User:name.formatted'), [])).toMatchObject({ name: { formatted: 'Bob Lee' } });
    const without = project(bob, [], attributeList('emails,meta,id,name.formatted'));
    expect(without).not.toHaveProperty('emails');
    expect(without).not.toHaveProperty('meta');
    expect(without.id).toBe('m_1');
    expect(without.name).toEqual({});
  });
});

describe('PATCH as providers send it', () => {
  const patch = (...ops: unknown[]) => userChanges(bob, applyPatch(bob, patchOperations({ schemas: [PATCH], Operations: ops })), true);

  it("reads Entra's capitalised ops, \"False\" strings and path-less values with dotted keys", () => {
    expect(patch({ op: 'Replace', path: 'active', value: 'False' })).toEqual({ active: false });
    expect(patch({ op: 'Replace', value: { active: 'True' } })).toEqual({});
    expect(patch({ op: 'Add', value: { 'name.givenName': 'Robert', 'name.familyName': 'Lee', title: 'Lead' } })).toEqual({ name: 'Robert Lee', title: 'Lead' });
    expect(patch({ op: 'replace', value: { [`${ENT}:department`]: 'Sales/Osaka' } })).toEqual({ org: 'Sales/Osaka' });
    expect(patch({ op: 'replace', path: `${ENT}:department`, value: 'HR' })).toEqual({ org: 'HR' });
  });

  it('takes the first place the name or address changed: displayName alone, userName, or the work email', () => {
    expect(patch({ op: 'replace', path: 'displayName', value: 'Robert Lee' })).toEqual({ name: 'Robert Lee' });
    expect(patch({ op: 'replace', path: 'userName', value: 'Robert@acme.example' })).toEqual({ email: 'Robert@acme.example' });
    expect(patch({ op: 'replace', path: 'emails[type eq "work"].value', value: 'rob@acme.example' })).toEqual({ email: 'rob@acme.example' });
    expect(refusal(() => patch({ op: 'replace', path: 'userName', value: 'robert' }))).toMatchObject({ scimType: 'invalidValue' });
  });

  it('clears what a remove removes; keeps what a PUT leaves out; sets and clears externalId', () => {
    expect(patch({ op: 'remove', path: 'title' }, { op: 'remove', path: `${ENT}:department` })).toEqual({ title: null, org: null });
    expect(patch({ op: 'remove', path: 'externalId' })).toEqual({ externalId: null });
    expect(patch({ op: 'add', path: 'externalId', value: 'Ext-2' })).toEqual({ externalId: 'Ext-2' });
    expect(userChanges(bob, { userName: 'bob@acme.example', active: 'false' }, false)).toEqual({ active: false });
    expect(userChanges(bob, { ...bob, title: null, name: { givenName: 'Bob', familyName: 'Lee' } }, false)).toEqual({ title: null });
  });

  it('ignores attributes rollcall does not keep (manager, nickName) and refuses malformed operations by scimType', () => {
    expect(patch({ op: 'add', path: `${ENT}:manager`, value: { value: 'm_9' } }, { op: 'add', path: 'nickName', value: 'B' })).toEqual({});
    expect(refusal(() => patchOperations({ Operations: [{ op: 'move', path: 'title' }] }))).toMatchObject({ scimType: 'invalidSyntax' });
    expect(refusal(() => patchOperations({ Operations: [{ op: 'remove' }] }))).toMatchObject({ scimType: 'noTarget' });
    expect(refusal(() => patchOperations({ Operations: [{ op: 'add', value: 'x' }] }))).toMatchObject({ scimType: 'invalidValue' });
    expect(refusal(() => patchOperations({ schemas: ['x'], Operations: [] }))).toMatchObject({ scimType: 'invalidSyntax' });
    expect(refusal(() => patch({ op: 'replace', path: 'active', value: 'maybe' }))).toMatchObject({ scimType: 'invalidValue' });
  });

  it('applies group member operations: members[value eq] removes, a value list adds or removes, a replace sets them', () => {
    const g = { schemas: [], id: 'g', displayName: 'G', members: [{ value: 'a' }, { value: 'b' }], meta: {} };
    const run = (...ops: unknown[]) => applyPatch(g, patchOperations({ schemas: [PATCH], Operations: ops })).members.map((m: { value: string }) => m.value);
    expect(run({ op: 'Remove', path: 'members[value eq "a"]' })).toEqual(['b']);
    expect(run({ op: 'remove', path: 'members', value: [{ value: 'b' }] })).toEqual(['a']);
    expect(run({ op: 'Add', path: 'members', value: [{ value: 'c' }, { value: 'a' }] })).toEqual(['a', 'b', 'c']);
    expect(run({ op: 'replace', path: 'members', value: [{ value: 'c' }] })).toEqual(['c']);
    expect(g.members).toHaveLength(2); // the resource shown is left as it was
  });
});

describe('a new User', () => {
  it('takes userName as the address when it is one, else the primary email; the name as a SCIM file has it', () => {
    expect(newUser({ userName: 'Bob@acme.example', emails: [{ value: 'other@acme.example', primary: true }], name: { givenName: '太郎', familyName: '山田' }, active: 'False' }))
      .toEqual({ email: 'Bob@acme.example', name: '山田 太郎', active: false });
    expect(newUser({ userName: 'bob', emails: [{ value: 'bob@acme.example', primary: true }], externalId: 'e', title: 'CTO', [ENT]: { department: 'Sales' } }))
      .toEqual({ email: 'bob@acme.example', title: 'CTO', org: 'Sales', externalId: 'e' });
    expect(refusal(() => newUser({ name: { formatted: 'No Name' } }))).toMatchObject({ scimType: 'invalidValue' });
    expect(refusal(() => newUser({ userName: 'bob' }))).toMatchObject({ scimType: 'invalidValue' });
    expect(refusal(() => newUser([]))).toMatchObject({ scimType: 'invalidSyntax' });
  });
});

describe('the error table', () => {
  it('answers every error code with a 4xx or 5xx status; rule refusals as conflicts or current-state errors', () => {
    expect(Object.keys(ERROR_ANSWERS).sort()).toEqual(Object.keys(EXIT_CODES).sort());
    const status = (code: ErrorCode) => errorResponse(new RollcallError(code, 'x')).status;
    expect(status('SEAT_LIMIT_REACHED')).toBe(409);
    expect(errorResponse(new RollcallError('ALREADY_EXISTS', 'x')).body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    expect(errorResponse(new RollcallError('OWNER_PROTECTED', 'x')).body).toMatchObject({ status: '400', scimType: 'mutability' });
    expect(errorResponse(new RollcallError('LAST_ADMIN', 'x')).body).toMatchObject({ status: '400', scimType: 'mutability' });
    expect([status('PERMISSION_DENIED'), status('NOT_FOUND'), status('NOT_AUTHENTICATED'), status('TOKEN_EXPIRED'), status('BUSY')]).toEqual([403, 404, 401, 401, 503]);
    expect(errorResponse(new RollcallError('INVALID_INPUT', 'x', undefined, undefined, { scimType: 'invalidFilter' })).body).toMatchObject({ status: '400', scimType: 'invalidFilter' });
    const bug = errorResponse(new TypeError('boom'));
    expect(bug.status).toBe(500);
    expect(bug.body.detail).toMatch(/^INTERNAL: this is a bug/);
    expect(errorResponse(new RollcallError('NOT_AUTHENTICATED', 'the API token in ROLLCALL_TOKEN is not valid')).headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="rollcall"' });
  });
});
