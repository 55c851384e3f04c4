// SPEC §13, issue 20 for SCIM: real payloads from the RFCs, Microsoft Entra and Okta (fixtures/real/scim,
// sources in its SOURCES.md) apply as their authors meant or are refused saying what to do; one page
// of a ListResponse never prunes; the quirks providers send; BulkRequest POST/PUT/PATCH/DELETE; and a
// rollcall SCIM export, fit for identity providers, applied back and into another workspace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, ROOT, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const BJENSEN = 'bjensen@example.com';
const KJENSEN = 'kjensen@example.com';
const TESTUSER = 'test_user_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com';
const OKTA = 'test.user@okta.local';
const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';
const DAVE = 'dave@acme.example';
const ERIN = 'erin@acme.example';

const real = (name: string) => join(ROOT, 'fixtures', 'real', 'scim', name);
const realJson = (name: string) => JSON.parse(readFileSync(real(name), 'utf8'));
const bulk = (...Operations: unknown[]) => JSON.stringify({ schemas: [BULK], Operations }, null, 2);
const patchOf = (id: string, data: unknown) => ({ method: 'PATCH', path: `/Users/${id}`, data });
const user = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER], userName, ...extra });
/** Everything stored, as text (without the per-run restrict keys of pg_dump). */
const stored = (w: World) => w.dump().replace(/^\\(un)?restrict .*$/gm, '');

function noChanges(r: Result) {
  expect(r.code, describeRun(r)).toBe(0);
  expect(r.out, describeRun(r)).toMatch(/^No changes\.$/m);
}

async function idOf(w: World, email: string): Promise<string> {
  return (await w.member(email)).id as string;
}

describe('real SCIM payloads apply as their authors meant, or are refused saying what to do', () => {
  it('RFC 7643 Users, Entra and Okta requests add and change members; their PatchOps, as BulkRequest operations, change them; passwords are never stored', async () => {
    const w = await World.ready();
    expectOk(await w.run(['workspace', 'set', 'allow-external', 'true'])); // the samples' own domains, kept verbatim
    const r1 = expectOk(await w.run(['apply', real('rfc7643-8.2-user-full.json')]));
    expect(r1.out).toMatch(/Plan: 1 to add, 0 to change/);
    expect(await w.member(BJENSEN)).toMatchObject({ name: 'Ms. Barbara J Jensen, III', title: 'Tour Guide', org: null, status: 'invited' });
    // the enterprise User is the same person (the RFC's id is not ours: matched by address); her department becomes her org
    const r2 = expectOk(await w.run(['apply', real('rfc7643-8.3-enterprise-user.json'), '--create-orgs']));
    expect(r2.out).toMatch(/Plan: 0 to add, 1 to change/);
    expect((await w.member(BJENSEN)).org).toBe('Tour Operations');
    // Entra API-driven inbound provisioning: Barbara as she is, Kathy added
    expect(expectOk(await w.run(['apply', real('entra-inbound-bulk-request.json')])).out).toMatch(/Plan: 1 to add, 0 to change, 0 to remove/);
    expect(await w.member(KJENSEN)).toMatchObject({ name: 'Ms. Kathy J Jensen, III', title: 'Tour Lead', org: 'Tour Operations' });
    // Entra's POST /Users body (a userName that is no address: the primary email), then its query answer: the same user
    expectOk(await w.run(['apply', real('entra-create-user.json')]));
    expect((await w.member(TESTUSER)).name).toBe('givenName familyName');
    noChanges(await w.run(['apply', real('entra-list-response.json')]));
    // Okta: create, then its PUT renames (givenName Another); an empty query answer changes nothing
    expectOk(await w.run(['apply', real('okta-create-user.json')]));
    expect((await w.member(OKTA)).name).toBe('Test User');
    expect(expectOk(await w.run(['apply', real('okta-put-user.json')])).out).toMatch(/name: Test User → Another User/);
    noChanges(await w.run(['apply', real('okta-empty-list-response.json')]));
    const dump = w.dump();
    for (const secret of ['t1meMa$heen', '1mz050nq']) expect(dump).not.toContain(secret);

    // PatchOps are the data of PATCH /Users/{id}: Entra's 2017 "False" and today's false, Okta's path-less deactivation, Entra's userName change
    const [kathy, barbara, okta, testUser] = await Promise.all([KJENSEN, BJENSEN, OKTA, TESTUSER].map((e) => idOf(w, e)));
    w.file('patches.json', bulk(
      patchOf(kathy, realJson('entra-patch-disable-user-2017.json')), patchOf(barbara, realJson('entra-patch-disable-user.json')),
      patchOf(okta, realJson('okta-patch-deactivate-user.json')), patchOf(testUser, realJson('entra-patch-username.json')),
    ));
    expectOk(await w.run(['apply', 'patches.json']));
    for (const e of [KJENSEN, BJENSEN, OKTA]) expect((await w.member(e)).status, e).toBe('suspended');
    const renamed = '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com';
    expect(await w.member(renamed)).toMatchObject({ id: testUser, name: 'givenName familyName' });
    // Entra's replace of several attributes (path-less, dotted keys): displayName wins over the parts; employeeNumber is noted
    w.file('replace.json', bulk(patchOf(testUser, realJson('entra-patch-replace-attributes.json'))));
    const rep = expectOk(await w.run(['apply', 'replace.json']));
    expect(rep.err).toMatch(/not imported: urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User:employeeNumber/);
    expect(await w.member('testmhvaes@test.microsoft.com')).toMatchObject({ id: testUser, name: 'Bjfe' });

    // refused, saying what to do, and nothing changes
    const before = stored(w);
    w.file('family.json', bulk(patchOf(testUser, realJson('entra-patch-emails-family-name.json'))));
    expect(expectError(await w.run(['apply', 'family.json']), 2, 'ROSTER_INVALID').err)
      .toMatch(/family\.json:\d+: Operations\[0\]\.data: name\.familyName alone cannot change a name: .*set name\.formatted or displayName/);
    expect(expectError(await w.run(['apply', real('okta-patch-deactivate-user.json')]), 2, 'ROSTER_INVALID').err)
      .toMatch(/a PatchOp alone names no user: apply it as the data of a BulkRequest operation/);
    const list = expectError(await w.run(['apply', real('rfc7644-3.4.2-list-response.json')]), 2, 'ROSTER_INVALID');
    expect(list.err).toMatch(/:5: Resources\[0\]: userName "bjensen" is not an email address, and the User has no emails/);
    const rfcBulk = expectError(await w.run(['apply', real('rfc7644-3.7.3-bulk-request.json'), '--json']), 2, 'ROSTER_INVALID');
    expect(rfcBulk.error()!.message.split('\n').slice(1).map((l) => l.replace(/^.*\.json:/, ''))).toEqual([
      '11: Operations[0].data: userName "Alice" is not an email address, and the User has no emails: rollcall names members by address',
      '22: Operations[1].data: userName "Bob" is not an email address, and the User has no emails: rollcall names members by address',
      '34: Operations[2].data: userName "Dave" is not an email address: rollcall names members by address',
      '51: Operations[3]: no member has the id e9025315-6bea-44e1-899c-1e07454e468b, and no address comes with it to find the member by',
    ]);
    expect(stored(w)).toBe(before);
  });
});

describe('pages, quirks and BulkRequests', () => {
  it('a page of a ListResponse adds and changes but never prunes; active "False" suspends, "maybe" is refused; emails[0] without a primary', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
    const page = (startIndex: number, ...Resources: unknown[]) => JSON.stringify({ schemas: [LIST], totalResults: 3, startIndex, itemsPerPage: 2, Resources }, null, 2);
    w.file('page1.json', page(1, user(CAROL, { active: 'False' }), user('dhopper', { emails: [{ value: DAVE, type: 'work' }, { value: 'd@home.example' }] })));
    const pruned = expectError(await w.run(['apply', 'page1.json', '--prune', '--yes']), 2, 'ROSTER_INVALID');
    expect(pruned.err).toContain('page1.json is page 1 of 2 (resources 1–2 of 3): pruning by it would remove everyone on the other parts');
    expect(await w.emails()).toEqual([ADMIN, BOB]);
    expect(expectOk(await w.run(['apply', 'page1.json'])).out).toMatch(/Plan: 2 to add, 0 to change, 0 to remove/);
    expect(await w.emails()).toEqual([ADMIN, BOB, CAROL, DAVE]);
    expect((await w.member(CAROL)).status).toBe('suspended');
    w.file('page2.json', page(3, user(BOB, { active: 'TRUE', title: 'Lead' })));
    expectError(await w.run(['apply', 'page2.json', '--prune', '--yes']), 2, 'ROSTER_INVALID');
    expectOk(await w.run(['apply', 'page2.json']));
    expect(await w.member(BOB)).toMatchObject({ title: 'Lead', status: 'invited' });
    w.file('maybe.json', JSON.stringify([user(CAROL, { active: 'true' }), user(DAVE, { active: 'maybe' })], null, 2));
    expect(expectError(await w.run(['apply', 'maybe.json']), 2, 'ROSTER_INVALID').err).toMatch(/maybe\.json:\d+: \[1\]: "active" is "maybe": it is true or false/);
    expect((await w.member(CAROL)).status).toBe('suspended');
  });

  it('a BulkRequest: POST adds, PUT and PATCH change, DELETE soft-removes (restorable, counted by --max-removals, --yes when not interactive), Groups noted; it never prunes', async () => {
    const w = await World.ready();
    for (const e of [BOB, CAROL, DAVE]) expectOk(await w.run(['member', 'add', e, '--name', e.split('@')[0]]));
    const [bob, carol] = await Promise.all([idOf(w, BOB), idOf(w, CAROL)]);
    w.file('ops.json', bulk(
      { method: 'POST', path: '/Users', bulkId: 'e1', data: user(ERIN, { displayName: 'Erin Ek', title: 'Intern' }) },
      { method: 'PUT', path: '/Users/entra-object-7', data: user(DAVE, { displayName: 'Dave Dee' }) },
      patchOf(bob, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'title', value: 'Lead' }] }),
      { method: 'DELETE', path: `/Users/${carol}` },
      { method: 'POST', path: '/Groups', bulkId: 'g1', data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Tour Guides' } },
    ));
    const before = stored(w);
    // a removal, and no terminal (the plan may be shown on stdout before the refusal)
    const noYes = await w.run(['apply', 'ops.json']);
    expect({ exit: noYes.code, code: noYes.errCode() }, describeRun(noYes)).toEqual({ exit: 2, code: 'USAGE' });
    expectError(await w.run(['apply', 'ops.json', '--yes', '--max-removals', '0']), 1, 'REMOVAL_LIMIT');
    expect(expectError(await w.run(['apply', 'ops.json', '--prune', '--yes']), 2, 'ROSTER_INVALID').err).toContain('ops.json is a SCIM BulkRequest');
    expect(stored(w)).toBe(before);
    const r = expectOk(await w.run(['apply', 'ops.json', '--yes']));
    expect(r.out).toMatch(/Plan: 1 to add, 2 to change, 1 to remove, 0 to restore\./);
    expect(r.err).toMatch(/1 SCIM Group resource or operation was not imported/);
    expect(await w.member(ERIN)).toMatchObject({ name: 'Erin Ek', title: 'Intern', status: 'invited' });
    expect(await w.member(BOB)).toMatchObject({ title: 'Lead' });
    expect((await w.member(DAVE)).name).toBe('Dave Dee');
    expect((await w.member(CAROL)).status).toBe('deleted');
    expectOk(await w.run(['member', 'restore', CAROL]));
    expect((await w.member(CAROL)).status).toBe('invited');
    // another directory's ids: a DELETE needs an address beside it; a PATCH that finds no one adds no one
    w.file('foreign.json', bulk(
      { method: 'DELETE', path: '/Users/e9025315-6bea-44e1-899c-1e07454e468b' },
      patchOf('23a35c27', { Operations: [{ op: 'replace', value: { active: false, userName: 'nobody@acme.example' } }] }),
    ));
    const foreign = expectError(await w.run(['apply', 'foreign.json', '--yes']), 2, 'ROSTER_INVALID');
    expect(foreign.err).toMatch(/Operations\[0\]: no member has the id e9025315-6bea-44e1-899c-1e07454e468b, and no address comes with it/);
    expect(foreign.err).toMatch(/Operations\[1\]: no member has the address nobody@acme\.example or the id 23a35c27: the row changes a member and cannot add one/);
    w.file('by-address.json', bulk({ method: 'DELETE', path: '/Users/e9025315', data: { userName: DAVE } }));
    expectOk(await w.run(['apply', 'by-address.json', '--yes']));
    expect((await w.member(DAVE)).status).toBe('deleted');
  });
});

describe('export --format scim: fit for identity providers, and for another workspace', () => {
  it('has no null attribute and no externalId, applies back as No changes., and applies into another workspace matched by address', async () => {
    const staging = await World.ready();
    expectOk(await staging.run(['org', 'add', 'Sales/Tokyo', '--parents']));
    expectOk(await staging.run(['member', 'add', BOB, '--name', '山田 太郎', '--title', '課長', '--org', 'Sales/Tokyo']));
    expectOk(await staging.run(['member', 'add', CAROL, '--name', 'Carol King']));
    expectOk(await staging.run(['member', 'suspend', CAROL, '--reason', 'leave']));
    const out = expectOk(await staging.run(['export', '--format', 'scim'])).out;
    expect(out).not.toMatch(/\bnull\b/);
    expect(out).not.toContain('externalId');
    const carolRes = JSON.parse(out).Resources.find((x: any) => x.userName === CAROL);
    expect(carolRes).toMatchObject({ id: await idOf(staging, CAROL), active: false, name: { formatted: 'Carol King' } });
    expect(carolRes).not.toHaveProperty('title');
    expect(carolRes.name).not.toHaveProperty('givenName'); // one display name: no guessed split
    noChanges(await staging.run(['apply', '-', '--format', 'scim'], { input: out }));

    const production = await World.ready();
    expectOk(await production.run(['member', 'add', BOB, '--name', 'Bob', '--title', 'Old']));
    production.file('staging.json', out);
    const r = expectOk(await production.run(['apply', 'staging.json', '--create-orgs']));
    expect(r.out).toMatch(/Plan: 1 to add, 1 to change, 0 to remove, 0 to restore\./);
    expect(await production.member(BOB)).toMatchObject({ name: '山田 太郎', title: '課長', org: 'Sales/Tokyo' });
    expect(await production.member(CAROL)).toMatchObject({ name: 'Carol King', status: 'suspended' });
    expect(await production.member(BOB)).not.toMatchObject({ id: await idOf(staging, BOB) });
    noChanges(await production.run(['apply', 'staging.json']));
  });
});
