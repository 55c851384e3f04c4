// `rollcall serve scim` (issue 25) as identity providers use it: the real server process on a loopback
// port, one for the whole file, driven by fetch; the workspace checked through the CLI (audit log,
// restore window). Runs on whichever backend the suite runs on (ROLLCALL_TEST_BACKEND=pg too).
import { spawnSync } from 'node:child_process';
import { get } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, PG_SERVER, World, expectError, expectOk } from '../helpers/world.js';
import { ENTERPRISE, GROUP, patch, scim, slowPost, startServer, user, type ScimServer } from '../helpers/scim-server.js';

let w: World;
let server: ScimServer;
let admin: string;
let scoped: string;
let viewer: string;

async function tokenOf(email: string, pw: string): Promise<string> {
  await w.loginAs(email, pw);
  return expectOk(await w.as(email, ['token', 'create', '--name', 'scim', '--json'])).json().token;
}

beforeAll(async () => {
  w = await World.ready();
  admin = w.token!;
  expectOk(await w.run(['org', 'add', 'Sales/Tokyo', '--parents']));
  expectOk(await w.run(['org', 'add', 'Eng']));
  expectOk(await w.run(['workspace', 'set', 'seat-limit', '40']));
  scoped = await tokenOf('sam@acme.example', await w.activeMember('sam@acme.example', 'Sam Site', 'site-admin', ['--scope', 'Sales', '--org', 'Sales']));
  viewer = await tokenOf('vic@acme.example', await w.activeMember('vic@acme.example', 'Vic Viewer'));
  server = await startServer(w);
});

afterAll(async () => {
  if (server && server.proc.exitCode === null) await server.stop();
});

const api = (method: string, path: string, body?: unknown, token: string | null = admin) => scim(server, method, path, { body, token });

describe('rollcall serve scim', () => {
  it('describes itself (ServiceProviderConfig, ResourceTypes, Schemas) and answers /healthz', async () => {
    const config = await api('GET', '/ServiceProviderConfig', undefined, null);
    expect(config.status).toBe(200);
    expect(config.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(config.body).toMatchObject({ patch: { supported: true }, bulk: { supported: false }, filter: { supported: true }, authenticationSchemes: [{ type: 'oauthbearertoken' }] });
    expect((await api('GET', '/ResourceTypes')).body.Resources.map((r: any) => r.id)).toEqual(['User', 'Group']);
    const schemas = (await api('GET', '/Schemas')).body.Resources;
    expect(schemas.map((s: any) => s.name)).toEqual(['User', 'Group', 'EnterpriseUser']);
    expect((await api('GET', `/Schemas/${ENTERPRISE}`)).body.attributes[0].name).toBe('department');
    const health = await fetch(server.url.replace(/\/scim\/v2$/, '/healthz'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await api('GET', '/Nope')).status).toBe(404);
  });

  it('needs a bearer API token of a member who manages members: 401 without one or with a bad one, 403 for a viewer', async () => {
    const none = await api('GET', '/Users', undefined, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
    expect((await api('GET', '/Users', undefined, 'rc_not-a-token')).status).toBe(401);
    expect((await scim(server, 'POST', '/Users', { token: null, raw: '{"not json' })).status).toBe(401); // who acts comes first
    const denied = await api('POST', '/Users', user('x@acme.example'), viewer);
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toMatch(/^PERMISSION_DENIED: vic@acme.example/);
    expect((await api('GET', '/Groups', undefined, viewer)).status).toBe(403);
    // The access log: one JSON line per request, who acted, never the token.
    const lines = server.stderr.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(lines.find((l) => l.status === 403)).toMatchObject({ method: 'POST', path: '/scim/v2/Users', actor: 'vic@acme.example', error: 'PERMISSION_DENIED' });
    expect(lines.find((l) => l.status === 401)).toMatchObject({ method: 'GET', actor: null });
    expect(server.stderr.join('\n')).not.toContain(admin);
    expect(server.stderr.join('\n')).not.toContain(viewer);
  });

  it('creates, reads, replaces (Okta\'s PUT), patches (Entra\'s quirks) and finds users; the workspace shows each change', async () => {
    const created = await api('POST', '/Users', user('Bob@acme.example', { externalId: 'okta-bob', title: 'Engineer', [ENTERPRISE]: { department: 'Sales/Tokyo' } }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.headers.get('location')).toBe(`${server.url}/Users/${id}`);
    expect(created.body).toMatchObject({ userName: 'bob@acme.example', name: { formatted: 'Bob Test' }, title: 'Engineer', active: true, externalId: 'okta-bob', [ENTERPRISE]: { department: 'Sales/Tokyo' } });
    expect(await w.member('bob@acme.example')).toMatchObject({ id, status: 'invited', role: 'viewer', org: 'Sales/Tokyo', title: 'Engineer' });
    const dup = await api('POST', '/Users', user('bob@acme.example'));
    expect(dup.status).toBe(409);
    expect(dup.body.scimType).toBe('uniqueness');
    expect((await api('POST', '/Users', user('other@acme.example', { externalId: 'okta-bob' }))).body.scimType).toBe('uniqueness');

    // Okta: a probe by userName with count=1, then a PUT of the whole user.
    const probe = await api('GET', '/Users?filter=' + encodeURIComponent('userName eq "BOB@acme.example"') + '&count=1&startIndex=1');
    expect(probe.body).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1, Resources: [{ id }] });
    const put = await api('PUT', `/Users/${id}`, { ...user('bob@acme.example'), name: { givenName: 'Robert', familyName: 'Test' }, title: 'Lead', active: true });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Robert Test', title: 'Lead', [ENTERPRISE]: { department: 'Sales/Tokyo' } }); // left out: kept

    // Entra: capitalised ops, "False", a path-less value object.
    const off = await api('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }, { op: 'Add', value: { title: 'Manager', [`${ENTERPRISE}:department`]: 'Eng' } }));
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ active: false, title: 'Manager', [ENTERPRISE]: { department: 'Eng' } });
    expect(await w.member(id)).toMatchObject({ status: 'suspended', suspendedReason: 'scim', org: 'Eng', title: 'Manager' });
    const on = await api('PATCH', `/Users/${id}`, patch({ op: 'replace', value: { active: true } }, { op: 'remove', path: 'title' }));
    expect(on.body.active).toBe(true);
    expect(on.body).not.toHaveProperty('title');
    expect(await w.member(id)).toMatchObject({ status: 'invited', title: null });
    expect((await api('GET', `/Users/${id}`)).body.displayName).toBe('Robert Test');
    expect((await api('GET', '/Users/m_0000000000000000')).status).toBe(404);
  });

  it('filters (eq co sw pr, and/or, externalId, active), pages with startIndex/count, and selects attributes', async () => {
    for (const n of [1, 2, 3]) expect((await api('POST', '/Users', user(`page${n}@acme.example`, { externalId: `p-${n}` }))).status).toBe(201);
    const list = async (q: string) => (await api('GET', `/Users?${q}`)).body;
    const f = (filter: string, more = '') => list(`filter=${encodeURIComponent(filter)}${more}`);
    expect((await f('userName sw "page"')).totalResults).toBe(3);
    expect((await f('emails.value co "PAGE2"')).Resources.map((r: any) => r.externalId)).toEqual(['p-2']);
    expect((await f('externalId eq "p-3" or externalId eq "p-1"')).Resources.map((r: any) => r.userName)).toEqual(['page1@acme.example', 'page3@acme.example']);
    expect((await f('userName sw "page" and not (externalId eq "p-1")')).totalResults).toBe(2);
    expect((await f('externalId pr and active eq true')).totalResults).toBeGreaterThanOrEqual(3);
    const page = await f('userName sw "page"', '&startIndex=2&count=1&attributes=userName');
    expect(page).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(page.Resources).toEqual([{ schemas: expect.any(Array), id: expect.any(String), userName: 'page2@acme.example' }]);
    const lean = await f('userName eq "page1@acme.example"', '&excludedAttributes=emails,meta');
    expect(lean.Resources[0]).not.toHaveProperty('emails');
    expect(lean.Resources[0].userName).toBe('page1@acme.example');
    const bad = await api('GET', `/Users?filter=${encodeURIComponent('nickName eq "x"')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidFilter');
    expect((await api('PATCH', '/Users/whatever', { Operations: 'no' })).body.scimType).toBe('invalidSyntax');
    const notJson = await scim(server, 'POST', '/Users', { token: admin, raw: '{"userName":' });
    expect(notJson).toMatchObject({ status: 400, body: { scimType: 'invalidSyntax' } });
  });

  it('keeps the last admin and suspends nobody the rules protect: LAST_ADMIN as a 400 mutability error', async () => {
    const me = (await api('GET', `/Users?filter=${encodeURIComponent(`userName eq "${ADMIN}"`)}`)).body.Resources[0];
    const r = await api('PATCH', `/Users/${me.id}`, patch({ op: 'replace', path: 'active', value: false }));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ scimType: 'mutability', detail: expect.stringMatching(/^LAST_ADMIN: /) });
    expect((await w.member(ADMIN)).status).toBe('active');
  });

  it('DELETE removes softly: audited as member.remove by the token\'s member in one batch, restorable with rollcall member restore', async () => {
    const made = await api('POST', '/Users', user('gone@acme.example', { active: false }));
    const add = (expectOk(await w.run(['audit', 'list', '--target', 'gone@acme.example', '--json'])).json() as any[]).reverse();
    expect(add.map((e) => e.action)).toEqual(['member.add', 'member.suspend']);
    expect(new Set(add.map((e) => e.batch)).size).toBe(1); // one request, one batch
    expect(add[0].actor).toBe(ADMIN);
    const del = await api('DELETE', `/Users/${made.body.id}`);
    expect(del.status).toBe(204);
    expect((await api('GET', `/Users/${made.body.id}`)).status).toBe(404);
    expect((await api('DELETE', `/Users/${made.body.id}`)).status).toBe(404);
    const removed = await w.member('gone@acme.example');
    expect(removed).toMatchObject({ status: 'deleted', removedBy: ADMIN, restorableUntil: expect.any(String) });
    const [entry] = expectOk(await w.run(['audit', 'list', '--action', 'member.remove', '--limit', '1', '--json'])).json();
    expect(entry).toMatchObject({ actor: ADMIN, target: 'gone@acme.example', reason: 'scim', batch: removed.removedBatch });
    expectOk(await w.run(['member', 'restore', 'gone@acme.example']));
    expect((await api('GET', `/Users/${made.body.id}`)).body).toMatchObject({ userName: 'gone@acme.example', active: false });
    expectOk(await w.run(['audit', 'verify']));
  });

  it('a scoped admin provisions only within its scope and cannot delete (members.delete)', async () => {
    const inside = await api('POST', '/Users', user('tokyo@acme.example', { [ENTERPRISE]: { department: 'Sales/Tokyo' } }), scoped);
    expect(inside.status).toBe(201);
    expect((await api('POST', '/Users', user('eng@acme.example', { [ENTERPRISE]: { department: 'Eng' } }), scoped)).status).toBe(403);
    expect((await api('POST', '/Users', user('nowhere@acme.example'), scoped)).status).toBe(403);
    const seen = (await api('GET', '/Users?count=1000', undefined, scoped)).body.Resources.map((r: any) => r.userName);
    expect(seen).toContain('tokyo@acme.example');
    expect(seen).not.toContain(ADMIN);
    expect((await api('PATCH', `/Users/${inside.body.id}`, patch({ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Eng' }), scoped)).status).toBe(403);
    expect((await api('DELETE', `/Users/${inside.body.id}`, undefined, scoped)).status).toBe(403);
    const [add] = expectOk(await w.run(['audit', 'list', '--target', 'tokyo@acme.example', '--json'])).json();
    expect(add.actor).toBe('sam@acme.example');
  });

  it('groups: members added and removed (members[value eq], Entra\'s value lists), renamed, deleted; the owner is never lost', async () => {
    const a = (await api('POST', '/Users', user('ga@acme.example'))).body.id;
    const b = (await api('POST', '/Users', user('gb@acme.example'))).body.id;
    const made = await api('POST', '/Groups', { schemas: [GROUP], displayName: 'Engineering', externalId: 'entra-g1', members: [{ value: a }] });
    expect(made.status).toBe(201);
    const gid = made.body.id;
    const me = made.body.members.find((m: any) => m.display === ADMIN).value; // the token's member owns it
    expect(made.body.members.map((m: any) => m.display).sort()).toEqual([ADMIN, 'ga@acme.example']);
    expect(expectOk(await w.run(['group', 'show', 'Engineering', '--json'])).json()).toMatchObject({ owner: ADMIN });
    const members = async () => (await api('GET', `/Groups/${gid}`)).body.members.map((m: any) => m.display).sort();
    expect((await api('PATCH', `/Groups/${gid}`, patch({ op: 'Add', path: 'members', value: [{ value: b }] }))).status).toBe(200);
    expect(await members()).toEqual([ADMIN, 'ga@acme.example', 'gb@acme.example']);
    expect((await api('PATCH', `/Groups/${gid}`, patch({ op: 'Remove', path: `members[value eq "${a}"]` }))).status).toBe(200);
    expect((await api('PATCH', `/Groups/${gid}`, patch({ op: 'Remove', path: 'members', value: [{ value: b }] }))).status).toBe(200);
    expect(await members()).toEqual([ADMIN]);
    const owner = await api('PATCH', `/Groups/${gid}`, patch({ op: 'remove', path: `members[value eq "${me}"]` }));
    expect(owner).toMatchObject({ status: 400, body: { scimType: 'mutability', detail: expect.stringMatching(/^OWNER_PROTECTED: /) } });
    const put = await api('PUT', `/Groups/${gid}`, { schemas: [GROUP], displayName: 'Platform', members: [{ value: b }] });
    expect(put.body.displayName).toBe('Platform');
    expect(await members()).toEqual([ADMIN, 'gb@acme.example']); // replaced whole: the owner stays
    expect((await api('PATCH', `/Groups/${gid}`, patch({ op: 'add', path: 'members', value: [{ value: 'm_nobody' }] }))).body.scimType).toBe('invalidValue');
    // A removed member keeps its membership for a restore, out of the provider's sight and reach.
    expect((await api('DELETE', `/Users/${b}`)).status).toBe(204);
    expect(await members()).toEqual([ADMIN]);
    expect((await api('PUT', `/Groups/${gid}`, { schemas: [GROUP], displayName: 'Platform', members: [] })).status).toBe(200);
    expect((await api('PATCH', `/Groups/${gid}`, patch({ op: 'replace', path: 'members', value: [{ value: a }] }))).status).toBe(200);
    expectOk(await w.run(['member', 'restore', 'gb@acme.example']));
    expect(await members()).toEqual([ADMIN, 'ga@acme.example', 'gb@acme.example']);
    const found = await api('GET', `/Groups?filter=${encodeURIComponent('externalId eq "entra-g1"')}&excludedAttributes=members`);
    expect(found.body.Resources).toEqual([expect.objectContaining({ id: gid, displayName: 'Platform' })]);
    expect(found.body.Resources[0]).not.toHaveProperty('members');
    expect((await api('GET', `/Groups?filter=${encodeURIComponent(`id eq "${gid}" and members[value eq "${b}"]`)}`)).body.totalResults).toBe(1);
    expect((await api('DELETE', `/Groups/${gid}`)).status).toBe(204);
    expect(expectOk(await w.run(['audit', 'list', '--action', 'group.*', '--json'])).json().map((e: any) => e.action))
      .toEqual(expect.arrayContaining(['group.create', 'group.add-member', 'group.remove-member', 'group.update', 'group.delete']));
  });

  it('8 concurrent clients over two server processes: every POST succeeds or fails cleanly, the seat limit holds exactly', async () => {
    const second = await startServer(w);
    try {
      const seats = expectOk(await w.run(['workspace', 'show', '--json'])).json();
      expectOk(await w.run(['workspace', 'set', 'seat-limit', String(seats.seatsUsed + 5)]));
      const all = await Promise.all(Array.from({ length: 8 }, (_, i) => scim(i % 2 ? second : server, 'POST', '/Users', { token: admin, body: user(`race${i}@acme.example`) })));
      expect(all.filter((r) => r.status === 201)).toHaveLength(5);
      for (const r of all.filter((x) => x.status !== 201)) expect(r).toMatchObject({ status: 409, body: { detail: expect.stringMatching(/^SEAT_LIMIT_REACHED: /) } });
      expect(expectOk(await w.run(['workspace', 'show', '--json'])).json().seatsUsed).toBe(seats.seatsUsed + 5);
      expectOk(await w.run(['audit', 'verify']));
      expectOk(await w.run(['workspace', 'set', 'seat-limit', '100']));
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('refuses bad options before listening: a port that is not one, a certificate without its key, a missing file', async () => {
    expectError(await w.run(['serve', 'scim', '--port', 'http']), 2, 'USAGE');
    expectError(await w.run(['serve', 'scim', '--tls-cert', 'cert.pem']), 2, 'USAGE');
    expectError(await w.run(['serve', 'scim', '--base-path', 'scim']), 2, 'USAGE');
    expectError(await w.run(['serve', 'scim', '--tls-cert', 'none.pem', '--tls-key', 'none.pem']), 3, 'NOT_FOUND');
  });

  // TLS is the same on either backend: one more server process is spent on SQLite only.
  it.skipIf(BACKEND === 'pg' || spawnSync('openssl', ['version']).status !== 0)('serves HTTPS with --tls-cert and --tls-key', async () => {
    const [cert, key] = [join(w.dir, 'cert.pem'), join(w.dir, 'key.pem')];
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const tls = await startServer(w, ['--tls-cert', cert, '--tls-key', key]);
    try {
      expect(tls.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
      const body = await new Promise<any>((resolve, reject) => {
        get(`${tls.url}/Users?count=1`, { rejectUnauthorized: false, headers: { Authorization: `Bearer ${admin}` } }, (res) => {
          let out = '';
          res.on('data', (c) => { out += c; });
          res.on('end', () => resolve(JSON.parse(out)));
        }).on('error', reject);
      });
      expect(body.Resources[0].meta.location).toMatch(/^https:\/\//);
    } finally {
      expect(await tls.stop()).toBe(0);
    }
  });

  it.skipIf(BACKEND !== 'pg')('PostgreSQL: serves on after its connection is cut (a server restart, a proxy), without a restart of its own', async () => {
    const cut = spawnSync('psql', [`${PG_SERVER}/postgres`, '-v', 'ON_ERROR_STOP=1', '-qAtc',
      `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${w.dbName}' AND pid <> pg_backend_pid()`], { encoding: 'utf8' });
    expect(cut.status, cut.stderr).toBe(0);
    expect(Number(cut.stdout.trim())).toBeGreaterThanOrEqual(1);
    // The request that finds the connection gone may fail (503: SCIM clients retry); the next one is served.
    const health = () => fetch(server.url.replace(/\/scim\/v2$/, '/healthz')).then((r) => r.status);
    expect([200, 503]).toContain(await health());
    expect(await health()).toBe(200);
    const created = await api('POST', '/Users', user('after-cut@acme.example'));
    expect(created.status).toBe(201);
    expect(server.proc.exitCode).toBe(null);
  });

  it('SIGTERM: the request in flight completes, new connections are refused, and the server exits 0', async () => {
    let stopped: Promise<number | null> | null = null;
    const slow = slowPost(server, '/Users', admin, user('last@acme.example'), async () => {
      await new Promise((r) => setTimeout(r, 200));
      stopped = server.stop();
      await new Promise((r) => setTimeout(r, 300));
      await expect(fetch(`${server.url}/ServiceProviderConfig`)).rejects.toThrow();
    });
    expect((await slow).status).toBe(201);
    expect(await stopped).toBe(0);
    expect((await w.member('last@acme.example')).email).toBe('last@acme.example');
  });
});
