// SPEC §14 "rollcall recover" (issue 22.1): the break-glass way back in for a locked-out sole admin.
// Anyone can type three wrong passwords for the admin's address; then every command says
// ACCOUNT_SUSPENDED, and the hint must lead to recover, which needs no session, only direct access to
// the workspace as its owner (the file's owner; on PostgreSQL, a role owning the tables).
import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, PG_SERVER, PW, World, describeRun, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const NOBODY = 65534;
const IS_ROOT = process.getuid?.() === 0;
/** No session and no token: recover must not need either. */
const NO_CREDENTIALS = { actor: 'nobody', token: null } as const;

async function lockOut(w: World, email: string) {
  for (let i = 0; i < 3; i++) expectError(await w.run(['login', email, '--password-stdin'], { input: 'Wr0ng-guess!\n', actor: email, token: null }), 4, 'INVALID_CREDENTIALS');
}

describe('rollcall recover', () => {
  it('lets the locked-out sole admin back in: the hint names it, it needs no session, it is audited as (local)', async () => {
    const w = await World.ready();
    await lockOut(w, ADMIN);
    const refused = expectError(await w.run(['login', ADMIN, '--password-stdin'], { input: PW + '\n', actor: ADMIN, token: null }), 4, 'ACCOUNT_SUSPENDED');
    expect(refused.err).toContain(`hint: ${ADMIN} is the last admin: someone with direct access to the workspace`);
    expect(refused.err).toContain(`rollcall recover ${ADMIN}`);
    expectError(await w.run(['member', 'list']), 4, 'ACCOUNT_SUSPENDED'); // the admin's token too

    const r = expectOk(await w.run(['recover', ADMIN, '--json'], NO_CREDENTIALS));
    const { temporaryPassword, status } = r.json() as { temporaryPassword: string; status: string };
    expect(status).toBe('active');
    // the old password (perhaps what was guessed at) no longer works; the temporary one must be changed
    expectError(await w.run(['login', ADMIN, '--password-stdin'], { input: PW + '\n', actor: ADMIN, token: null }), 4, 'INVALID_CREDENTIALS');
    const changed = 'N3wAdm1nPassw0rd!';
    expectOk(await w.run(['passwd', ADMIN, '--password-stdin'], { input: `${temporaryPassword}\n${changed}\n`, actor: ADMIN, token: null }));
    expectOk(await w.run(['login', ADMIN, '--password-stdin'], { input: changed + '\n', actor: ADMIN, token: null }));
    const audit = expectOk(await w.run(['audit', 'list', '--json'], { actor: ADMIN, token: null })).json() as Array<{ action: string; actor: string | null; target: string }>;
    expect(audit.find((e) => e.action === 'member.recover')).toMatchObject({ actor: '(local)', target: ADMIN });
    expect(JSON.stringify(audit)).not.toContain(temporaryPassword);
    expectOk(await w.run(['audit', 'verify']));

    // text output: the password once, and what to do with it
    await lockOut(w, ADMIN);
    const text = expectOk(await w.run(['recover', ADMIN], NO_CREDENTIALS));
    expect(text.out).toMatch(new RegExp(`^Recovered ${ADMIN}: active, with a new temporary password\\ntemporary password for ${ADMIN}: \\S{12,}\\n$`));
    expect(text.err).toContain(`rollcall passwd ${ADMIN}`);
  });

  it('is only for admins, and only for members that are there; another active admin keeps the usual hint', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob', 'operator');
    expectError(await w.run(['recover', BOB], NO_CREDENTIALS), 1, 'INVALID_STATE');
    expectError(await w.run(['recover', 'ghost@acme.example'], NO_CREDENTIALS), 3, 'NOT_FOUND');
    await lockOut(w, BOB);
    const r = expectError(await w.run(['login', BOB, '--password-stdin'], { input: pw + '\n', actor: BOB, token: null }), 4, 'ACCOUNT_SUSPENDED');
    expect(r.err).toContain(`hint: ask an admin to run: rollcall member unsuspend ${BOB}`);
    expect((await w.member(BOB)).status).toBe('suspended'); // recover refused it: nothing changed
  });

  it.skipIf(BACKEND === 'pg' || !IS_ROOT)('SQLite: a user who may write the file but does not own it is PERMISSION_DENIED', async () => {
    const w = await World.ready();
    await lockOut(w, ADMIN);
    chmodSync(w.ws, 0o666);
    chmodSync(dirname(w.ws), 0o777);
    const r = expectError(await w.run(['recover', ADMIN], { ...NO_CREDENTIALS, uid: NOBODY }), 4, 'PERMISSION_DENIED');
    expect(r.err, describeRun(r)).toContain('belongs to another user');
    expect((await w.member(ADMIN).catch(() => null))?.status ?? 'suspended').toBe('suspended');
  });

  it.skipIf(BACKEND !== 'pg')('PostgreSQL: a role that may write the tables but does not own them is PERMISSION_DENIED', async () => {
    const w = await World.ready();
    await lockOut(w, ADMIN);
    const role = `rc_helper_${process.pid}`;
    w.sql(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN; END IF; END $$;
      GRANT USAGE ON SCHEMA public TO ${role}; GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role};`);
    const url = `${PG_SERVER.replace('postgres://postgres@', `postgres://${role}@`)}/${w.ws.split('/').pop()}`;
    const r = expectError(await w.run(['-w', url, 'recover', ADMIN], NO_CREDENTIALS), 4, 'PERMISSION_DENIED');
    expect(r.err, describeRun(r)).toContain(`the role "${role}" does not own the workspace's tables`);
    expectOk(await w.run(['recover', ADMIN], NO_CREDENTIALS)); // the owner may
  });
});
