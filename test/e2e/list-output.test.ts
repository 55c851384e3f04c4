// Issue 23.1–23.3: lists as scripts and spreadsheets take them: piped text one value a column,
// --csv (header, RFC 4180, raw values, formula-safe cells), --fields in every form.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, World, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const EVIL = "=cmd|' /C calc'!A0";

describe('lists for scripts and spreadsheets', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Sales/Osaka', '--parents']));
    expectOk(await w.run(['org', 'add', 'HR']));
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob, "B"', '--role', 'site-admin', '--scope', 'HR', '--scope', 'Sales/Osaka', '--title', EVIL]));
  });

  it('piped text holds one value a column: role and scope apart, scopes ;-joined', async () => {
    const r = expectOk(await w.run(['member', 'list', '--search', 'bob']));
    expect(r.out).toBe(`${BOB}\tBob, "B"\tsite-admin\tHR;Sales/Osaka\tinvited\t\t${EVIL}\n`);
  });

  it('--csv: a header, RFC 4180 quoting, raw values, a formula cell made safe with a leading quote', async () => {
    const r = expectOk(await w.run(['member', 'list', '--csv']));
    expect(r.out).toBe('email,name,role,scope,status,org,title\r\n'
      + `${ADMIN},Alice Admin,admin,,active,,\r\n`
      + `${BOB},"Bob, ""B""",site-admin,HR;Sales/Osaka,invited,,'${EVIL}\r\n`);
    expect(expectOk(await w.run(['org', 'list', '--csv'])).out).toBe('path,name,parent\r\nHR,HR,\r\nSales,Sales,\r\nSales/Osaka,Osaka,Sales\r\n');
    expect(expectOk(await w.run(['member', 'list', '--status', 'deleted', '--csv'])).out).toBe('email,name,deletedAt,removedBy,removedBatch,restorableUntil\r\n');
    for (const list of [['audit', 'list'], ['group', 'list'], ['invite', 'list'], ['token', 'list'], ['role', 'list']]) {
      expect(expectOk(await w.run([...list, '--csv'])).out).toMatch(/^[a-zA-Z]+(,[a-zA-Z]+)+\r\n/);
    }
  });

  it('--fields chooses the fields in CSV, text and JSON alike; an unknown one is INVALID_INPUT naming them', async () => {
    expect(expectOk(await w.run(['member', 'list', '--fields', 'email,scope', '--csv'])).out).toBe(`email,scope\r\n${ADMIN},\r\n${BOB},HR;Sales/Osaka\r\n`);
    expect(expectOk(await w.run(['member', 'list', '--fields', 'email,twoFactor'])).out).toBe(`${ADMIN}\tfalse\n${BOB}\tfalse\n`);
    expect(expectOk(await w.run(['member', 'show', BOB, '--fields', 'email,scope', '--json'])).json()).toEqual({ email: BOB, scope: ['HR', 'Sales/Osaka'] });
    expect(expectOk(await w.run(['member', 'list', '--fields', 'email', '--json'])).json()).toEqual([{ email: ADMIN }, { email: BOB }]);
    const bad = expectError(await w.run(['member', 'suspend', BOB, '--fields', 'email,nope']), 2, 'INVALID_INPUT');
    expect(bad.err).toContain('unknown field "nope": the fields are id, email, name,');
    expect((await w.member(BOB)).status).toBe('invited'); // refused before any work
    expectError(await w.run(['member', 'list', '--csv', '--json']), 2, 'USAGE');
  });

  it('reset-password prints rows of email and temporary password; the note goes to stderr', async () => {
    const r = expectOk(await w.run(['member', 'reset-password', BOB]));
    expect(r.out).toMatch(new RegExp(`^${BOB}\\t\\S{10,}\\n$`));
    expect(r.err).toContain('shown once');
  });
});
