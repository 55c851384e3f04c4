// SCIM 2.0 in detail (SPEC §13; src/core/roster/formats/scim*.ts): the quirks real providers send
// (active as "False", no primary email), pages of a ListResponse, ids that are another directory's,
// BulkRequest operations and their PatchOps, messages that hold no users, and the export's shape.
import { describe, expect, it } from 'vitest';
import { parseRoster } from '../../src/core/roster/parse.js';
import scim from '../../src/core/roster/formats/scim.js';
import { pageOf } from '../../src/core/roster/formats/scim.js';
import type { MemberView } from '../../src/core/members/views.js';
import type { ExportLibs } from '../../src/core/roster/formats/format.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BOB = 'bob@acme.example';

const read = (doc: unknown, file = 's.json') => parseRoster(new TextEncoder().encode(JSON.stringify(doc, null, 2)), file, { format: 'scim' });
const list = (...resources: unknown[]) => read({ schemas: [LIST], totalResults: resources.length, Resources: resources });
const user = (extra: Record<string, unknown>) => ({ schemas: [USER], userName: BOB, ...extra });
const bulk = (...Operations: unknown[]) => read({ schemas: [BULK], Operations });
const patch = (id: string, ...Operations: unknown[]) => ({ method: 'PATCH', path: `/Users/${id}`, data: { schemas: [PATCH], Operations } });
const messages = (r: { problems: Array<{ message: string }> }) => r.problems.map((p) => p.message);

describe('SCIM Users: the quirks real providers send', () => {
  it('active is a boolean or "true"/"false" in any case (Entra sends "False"); null or absent leaves the status alone; anything else is a problem at the resource', () => {
    const r = list(user({ active: 'False' }), user({ userName: 'c@acme.example', active: 'TRUE' }), user({ userName: 'd@acme.example', active: true }),
      user({ userName: 'e@acme.example', active: null }), user({ userName: 'f@acme.example' }));
    expect(r.problems).toEqual([]);
    expect(r.rows.map((x) => x.fields.status)).toEqual(['suspended', 'active', 'active', undefined, undefined]);
    const bad = list(user({}), user({ userName: 'c@acme.example', active: 'maybe' }), user({ userName: 'd@acme.example', active: 1 }));
    expect(messages(bad)).toEqual([
      'Resources[1]: "active" is "maybe": it is true or false (a boolean, or the string "True" or "False")',
      'Resources[2]: "active" is 1: it is true or false (a boolean, or the string "True" or "False")',
    ]);
    expect(bad.problems[0].line).toBe(13); // the line Resources[1] starts on
  });

  it('the address: the primary email, else a userName that is an address, else the first email; none of these is a problem', () => {
    const r = list(
      user({ userName: 'ghopper', emails: [{ value: 'grace@acme.example', type: 'work' }, { value: 'g@home.example' }] }),
      user({ userName: 'alan@acme.example', emails: [{ value: 'other@acme.example' }] }),
      user({ userName: 'alan@acme.example', emails: [{ value: 'x@acme.example' }, { value: 'hana@acme.example', primary: 'True' }] }),
    );
    expect(r.rows.map((x) => x.email)).toEqual(['grace@acme.example', 'alan@acme.example', 'hana@acme.example']);
    expect(messages(list(user({ userName: 'bjensen' }), { schemas: [USER], displayName: 'Nobody' }))).toEqual([
      'Resources[0]: userName "bjensen" is not an email address, and the User has no emails: rollcall names members by address',
      'Resources[1]: a User needs an email address: emails[].value, or a userName that is an address',
    ]);
  });

  it('id is the exporting directory\'s: it may be this workspace\'s or another\'s; externalId (the provisioning client\'s) is never an id', () => {
    const r = list(user({ id: 'm_0123456789abcdef', externalId: 'm_fedcba9876543210' }), user({ userName: 'c@acme.example', externalId: 'm_fedcba9876543210' }));
    expect(r.rows[0]).toMatchObject({ id: 'm_0123456789abcdef', idMayBeForeign: true });
    expect(r.rows[1].id).toBeUndefined();
    expect(r.rows[1].idMayBeForeign).toBeUndefined();
  });
});

describe('a ListResponse that is one page of a directory', () => {
  it('is partial when totalResults is beyond its Resources or startIndex is past 1, and says which page', () => {
    const page = read({ schemas: [LIST], totalResults: 250, startIndex: 101, itemsPerPage: 100, Resources: Array.from({ length: 100 }, (_, i) => user({ userName: `u${i}@acme.example` })) });
    expect(page.partial).toBe('page 2 of 3 (resources 101–200 of 250)');
    expect(page.rows).toHaveLength(100);
    expect(pageOf({ totalResults: 3, startIndex: 1, itemsPerPage: 2 }, 2)).toBe('page 1 of 2 (resources 1–2 of 3)');
    expect(pageOf({ startIndex: 3 }, 1)).toBe('one page of a directory (resources 3–3)');
    expect(pageOf({ totalResults: '5', startIndex: '1' }, 2)).toBe('page 1 of 3 (resources 1–2 of 5)'); // counts sent as strings
    for (const whole of [{ totalResults: 2, startIndex: 1 }, { totalResults: 2 }, {}, { totalResults: 0, startIndex: 1, itemsPerPage: 0 }]) expect(pageOf(whole, whole.totalResults ?? 2)).toBeUndefined();
    expect(list(user({})).partial).toBeUndefined();
  });

  it('a ListResponse without Resources (RFC 7644 leaves them out when there are none) lists no one', () => {
    const r = read({ schemas: [LIST], totalResults: 0 });
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([]);
  });
});

describe('a SCIM BulkRequest', () => {
  it('POST and PUT carry Users; PATCH changes (never adds); DELETE removes; /Groups operations are counted; the request is never the whole directory', () => {
    const r = bulk(
      { method: 'POST', path: '/Users', bulkId: 'q1', data: user({ displayName: 'Bob', title: 'Lead' }) },
      { method: 'put', path: 'Users/abc-1', data: user({ userName: 'carol@acme.example', id: 'ignored' }) },
      patch('m_0123456789abcdef', { op: 'Replace', path: 'title', value: 'Boss' }),
      { method: 'DELETE', path: '/Users/m_0123456789abcdee' },
      { method: 'DELETE', path: '/Users/other-dir-id', data: { userName: 'dave@acme.example' } },
      { method: 'POST', path: '/Groups', data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'G' } },
      { method: 'PATCH', path: '/Groups/g1', data: { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [] }] } },
    );
    expect(r.problems).toEqual([]);
    expect(r.format).toBe('scim');
    const shown = ({ email, id, idMayBeForeign, remove, changeOnly, fields, at }: (typeof r.rows)[number]) =>
      Object.fromEntries(Object.entries({ email, id, idMayBeForeign, remove, changeOnly, fields, at }).filter(([, v]) => v !== undefined));
    expect(r.rows.map(shown)).toEqual([
      { email: BOB, fields: { name: 'Bob', title: 'Lead' }, at: 'Operations[0]' },
      { email: 'carol@acme.example', id: 'abc-1', idMayBeForeign: true, fields: {}, at: 'Operations[1]' },
      { email: '', id: 'm_0123456789abcdef', idMayBeForeign: true, changeOnly: true, fields: { title: 'Boss' }, at: 'Operations[2]' },
      { email: '', id: 'm_0123456789abcdee', idMayBeForeign: true, remove: true, fields: {}, at: 'Operations[3]' },
      { email: 'dave@acme.example', id: 'other-dir-id', idMayBeForeign: true, remove: true, fields: {}, at: 'Operations[4]' },
    ]);
    expect(r.partial).toBe('a SCIM BulkRequest: changes to some users, not the whole directory');
    expect(r.notes.join('\n')).toMatch(/^2 SCIM Group resources or operations were not imported/);
  });

  it('a later operation may name a user POSTed before it by bulkId; an unknown bulkId is a problem', () => {
    const r = bulk({ method: 'POST', path: '/Users', bulkId: 'qwerty', data: user({}) }, { method: 'DELETE', path: '/Users/bulkId:qwerty' }, { method: 'DELETE', path: '/Users/bulkId:nope' });
    expect(r.rows[1]).toMatchObject({ email: BOB, remove: true });
    expect(r.rows[1].id).toBeUndefined();
    expect(messages(r)).toEqual(['Operations[2]: DELETE /Users/bulkId:nope: no POST before it in this request has the bulkId "nope"']);
  });

  it('a method, path or operation rollcall does not apply is a problem at the operation, never skipped', () => {
    const r = bulk(
      { method: 'GET', path: '/Users' }, { method: 'POST', path: '/Schemas', data: {} }, { method: 'POST', path: '/Users/x', data: user({}) },
      { method: 'PATCH', path: '/Users', data: {} }, { method: 'PATCH', path: '/Users/x', data: [] }, 'POST',
    );
    expect(messages(r)).toEqual([
      'Operations[0]: method "GET" is not one of POST, PUT, PATCH, DELETE',
      'Operations[1]: path "/Schemas": rollcall applies operations on /Users (and counts those on /Groups)',
      'Operations[2]: POST /Users/x: a POST creates a user at /Users, not at /Users/{id}',
      'Operations[3]: PATCH /Users: a PATCH names its user, as /Users/{id}',
      'Operations[4].data: a PATCH carries a PatchOp: { "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{ "op", "path", "value" }] }',
      'Operations[5]: not a bulk operation (a JSON object with method, path and data)',
    ]);
    expect(r.rows).toEqual([]);
  });
});

describe('a PatchOp (the data of a BulkRequest PATCH)', () => {
  const one = (...ops: unknown[]) => bulk(patch('m_0123456789abcdef', ...ops));

  it('add and replace, with a path or a value object (dotted keys too), in any case; remove clears title and department', () => {
    const r = one(
      { op: 'Replace', path: 'active', value: 'False' },
      { op: 'add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Sales/Tokyo' },
      { op: 'replace', value: { displayName: 'Robert', 'name.givenName': 'Bob', emails: [{ value: 'other@acme.example' }, { value: 'rob@acme.example', primary: true }] } },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'work@acme.example' },
      { op: 'replace', path: `${USER}:title`, value: 'Chief' },
      { op: 'add', value: { [USER]: { 'name.middleName': 'J' } } },
    );
    expect(r.problems).toEqual([]);
    expect(r.rows[0]).toMatchObject({ email: 'work@acme.example', fields: { status: 'suspended', org: 'Sales/Tokyo', name: 'Robert', title: 'Chief' } });
    expect(r.notes).toEqual(['attributes rollcall does not keep were not imported: name.middleName']);
    const cleared = one({ op: 'remove', path: 'title' }, { op: 'Remove', path: `${ENTERPRISE}:department` }, { op: 'replace', value: { [ENTERPRISE]: { department: null } } });
    expect(cleared.rows[0].fields).toEqual({ title: null, org: null });
    const named = one({ op: 'replace', path: 'name', value: { givenName: '花子', familyName: '佐藤' } }, { op: 'replace', path: 'userName', value: 'hana@acme.example' });
    expect(named.rows[0]).toMatchObject({ email: 'hana@acme.example', fields: { name: '佐藤 花子' } });
  });

  it('attributes rollcall does not keep are noted and not imported; a patch of nothing kept is no row', () => {
    const r = one({ op: 'add', path: 'nickName', value: 'Babs' }, { op: 'replace', path: 'externalId', value: 'x' }, { op: 'add', path: 'emails', value: [{ value: 'home@acme.example', type: 'home' }] });
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual([]);
    expect(r.notes).toEqual(['attributes rollcall does not keep were not imported: nickName, externalId, emails (not primary)']);
  });

  it('what it cannot carry out on an attribute rollcall keeps is a problem at the operation', () => {
    const r = one(
      { op: 'remove', path: 'active' }, { op: 'move', path: 'title' }, { op: 'remove', path: 'emails' }, { op: 'remove', path: 'displayName' },
      { op: 'replace', path: 'active', value: 'maybe' }, { op: 'remove' }, { op: 'replace', value: 'x' }, { op: 'replace', path: 'title', value: { x: 1 } },
      { op: 'replace', path: 'emails.value', value: 'x@acme.example' }, { op: 'remove', path: 'emails[type eq "work"].value' },
    );
    expect(messages(r)).toEqual([
      'Operations[0].data.Operations[0]: "active" cannot be removed: a member is active or suspended',
      'Operations[0].data.Operations[1]: op "move" is not one of add, replace, remove',
      'Operations[0].data.Operations[2]: emails cannot be removed: rollcall keeps an address for every member',
      'Operations[0].data.Operations[3]: displayName cannot be removed: rollcall keeps a name for every member',
      'Operations[0].data.Operations[4]: "active" is "maybe": it is true or false (a boolean, or the string "True" or "False")',
      'Operations[0].data.Operations[5]: a remove names the attribute it removes in "path"',
      'Operations[0].data.Operations[6]: an operation without a path carries an object of attributes in "value"',
      'Operations[0].data.Operations[7]: title takes a text value, not {"x":1}',
      expect.stringMatching(/^Operations\[0\]\.data\.Operations\[8\]: replace of emails\.value is not supported: rollcall reads add and replace of active/),
      'Operations[0].data.Operations[9]: emails cannot be removed: rollcall keeps an address for every member',
    ]);
    expect(r.rows).toEqual([]);
  });

  it('one name part alone cannot change the one name rollcall keeps; a userName that is not an address is not one', () => {
    expect(messages(one({ op: 'Replace', path: 'name.familyName', value: 'Lee' }))).toEqual([
      'Operations[0].data: name.familyName alone cannot change a name: rollcall keeps one name per member; set name.formatted or displayName, or both name.givenName and name.familyName',
    ]);
    expect(messages(one({ op: 'add', path: 'userName', value: 'Dave' }))).toEqual(['Operations[0].data: userName "Dave" is not an email address: rollcall names members by address']);
  });
});

describe('SCIM documents that hold no users', () => {
  it('a PatchOp alone, or another SCIM message, is refused as a whole-file problem that says what rollcall applies', () => {
    const alone = read({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(alone.problems).toEqual([{ where: 's.json', line: null, kind: 'file', message: expect.stringContaining('a PatchOp alone names no user: apply it as the data of a BulkRequest operation') }]);
    const error = read({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' });
    expect(messages(error)).toEqual(['a SCIM Error message holds no users to apply: rollcall applies a ListResponse, a BulkRequest, an array of resources or one User']);
  });
});

describe('export --format scim', () => {
  const view = (extra: Partial<MemberView>): MemberView => ({
    id: 'm_0123456789abcdef', email: BOB, name: 'Bob Lee', role: 'viewer', scope: [], org: null, orgs: [], title: null, status: 'active', startDate: null,
    createdAt: '2030-01-07T09:00:00.000Z', updatedAt: '2030-01-07T09:00:00.000Z', ...extra,
  } as MemberView);

  it('writes no null attribute and no externalId; the enterprise extension only for a member with an org; no guessed name split', () => {
    const text = scim.export!({ members: [view({}), view({ id: 'm_1', email: 'c@acme.example', org: 'Sales/Tokyo', title: 'Rep', status: 'suspended' })], orgs: [] }, {} as ExportLibs);
    expect(text).not.toContain('null');
    const doc = JSON.parse(text);
    expect(doc.Resources[0]).toEqual({
      schemas: [USER], id: 'm_0123456789abcdef', userName: BOB, name: { formatted: 'Bob Lee' }, displayName: 'Bob Lee', active: true,
      emails: [{ value: BOB, type: 'work', primary: true }], meta: { resourceType: 'User', created: '2030-01-07T09:00:00.000Z', lastModified: '2030-01-07T09:00:00.000Z' },
    });
    expect(doc.Resources[1]).toMatchObject({ schemas: [USER, ENTERPRISE], title: 'Rep', active: false, [ENTERPRISE]: { department: 'Sales/Tokyo' } });
  });
});
