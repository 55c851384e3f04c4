// SPEC §14: the acting member is checked again inside every write transaction. A writer holds the
// workspace's write lock while it suspends, removes, demotes or signs out bob; bob's command, which
// signed in before and then waited for the lock, must not commit what bob may no longer do.
// Also: a suspended account answers a sign-in the same way whether or not the password is right.
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { World, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';

/** A transaction holding the write lock as another rollcall writer would, running `statements` in it. */
async function holdLock(w: World, statements: string[]): Promise<{ commit(): Promise<void> }> {
  if (w.isPg) {
    const client = new pg.Client({ connectionString: w.ws });
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    await client.query('SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE');
    for (const sql of statements) await client.query(sql);
    return { commit: async () => { await client.query('COMMIT'); await client.end(); } };
  }
  const db = new Database(w.ws);
  db.exec('BEGIN IMMEDIATE');
  for (const sql of statements) db.exec(sql);
  return { commit: async () => { db.exec('COMMIT'); db.close(); } };
}

/** Bob (an active admin, signed in) starts `args`; while it waits, the holder's change commits. */
async function raceWith(w: World, change: string[], args: string[], opts: { token?: string } = {}) {
  const lock = await holdLock(w, change);
  const pending = opts.token ? w.run(args, { actor: BOB, token: opts.token }) : w.as(BOB, args);
  // Long enough for bob's command to sign in (a read, not blocked) and queue for the lock.
  await new Promise((r) => setTimeout(r, 1500));
  await lock.commit();
  return pending;
}

async function bobSignedIn(): Promise<World> {
  const w = await World.ready({ spawn: true });
  const pw = await w.activeMember(BOB, 'Bob', 'admin');
  await w.loginAs(BOB, pw);
  return w;
}

const addEvil = ['member', 'add', 'evil@acme.example', '--name', 'Evil', '--role', 'admin', '--json'];
const whereBob = `email = '${BOB}'`;

describe('a command that waited for the lock is checked again when it gets it', () => {
  it('bob suspended while his member add waited: ACCOUNT_SUSPENDED (exit 4), and no member added', async () => {
    const w = await bobSignedIn();
    const r = await raceWith(w, [`UPDATE members SET suspended_at = '2030-01-07T09:00:00.000Z', suspended_reason = 'admin' WHERE ${whereBob}`], addEvil);
    expectError(r, 4, 'ACCOUNT_SUSPENDED');
    expect(await w.emails()).not.toContain('evil@acme.example');
  });

  it('bob removed while his member add waited: NOT_AUTHENTICATED (exit 4), and no member added', async () => {
    const w = await bobSignedIn();
    const r = await raceWith(w, [`UPDATE members SET deleted_at = '2030-01-07T09:00:00.000Z' WHERE ${whereBob}`], addEvil);
    expectError(r, 4, 'NOT_AUTHENTICATED');
    expect(await w.emails(['--status', 'deleted'])).toEqual([BOB]);
    expect(await w.emails()).not.toContain('evil@acme.example');
  });

  it('bob demoted to viewer while his role set waited: PERMISSION_DENIED (exit 4), acting with the role he holds now', async () => {
    const w = await bobSignedIn();
    await w.activeMember('carol@acme.example', 'Carol');
    const r = await raceWith(w, [`UPDATE members SET role = 'viewer' WHERE ${whereBob}`], ['role', 'set', 'carol@acme.example', 'admin']);
    expectError(r, 4, 'PERMISSION_DENIED');
    expect((await w.member('carol@acme.example')).role).toBe('viewer');
  });

  it("bob's session ended while his command waited: NOT_AUTHENTICATED (exit 4)", async () => {
    const w = await bobSignedIn();
    const r = await raceWith(w, ['DELETE FROM sessions'], addEvil);
    expectError(r, 4, 'NOT_AUTHENTICATED');
    expect(await w.emails()).not.toContain('evil@acme.example');
  });

  it("bob's API token revoked while his command waited: NOT_AUTHENTICATED (exit 4)", async () => {
    const w = await bobSignedIn();
    const token = expectOk(await w.as(BOB, ['token', 'create', '--name', 'ci', '--json'])).json().token as string;
    const r = await raceWith(w, [`UPDATE tokens SET revoked_at = '2030-01-07T09:00:00.000Z' WHERE name = 'ci'`], addEvil, { token });
    expectError(r, 4, 'NOT_AUTHENTICATED');
    expect(await w.emails()).not.toContain('evil@acme.example');
  });

  it('a command that waited while nothing about bob changed still commits', async () => {
    const w = await bobSignedIn();
    const r = await raceWith(w, [`UPDATE meta SET value = value WHERE key = 'name'`], addEvil);
    expectOk(r);
    expect(await w.emails()).toContain('evil@acme.example');
  });
});

describe('sign-in to a suspended account (SPEC §14)', () => {
  it('answers ACCOUNT_SUSPENDED whether the password is right or wrong, and every attempt counts', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    expectOk(await w.run(['member', 'suspend', BOB]));
    const login = (password: string) => w.run(['login', BOB, '--password-stdin', '--json'], { input: password + '\n', actor: BOB, token: null });
    const right = await login(pw);
    const wrong = await login('Wr0ngPassword!');
    expectError(right, 4, 'ACCOUNT_SUSPENDED');
    expectError(wrong, 4, 'ACCOUNT_SUSPENDED');
    expect(right.err).toBe(wrong.err); // not one word apart
    const passwd = await w.run(['passwd', BOB, '--password-stdin'], { input: `${pw}\nN3wPassword!x\n`, actor: BOB, token: null });
    expectError(passwd, 4, 'ACCOUNT_SUSPENDED');
    expect(Number(w.sql(`SELECT failed_logins FROM credentials WHERE member_id = (SELECT id FROM members WHERE ${whereBob})`))).toBe(3);
  });

  it('a locked-out account answers the right password as it answers a wrong one', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob');
    const login = (password: string) => w.run(['login', BOB, '--password-stdin'], { input: password + '\n', actor: BOB, token: null });
    for (let i = 0; i < 3; i++) expectError(await login('Wr0ngPassword!'), 4, 'INVALID_CREDENTIALS');
    expect((await w.member(BOB)).status).toBe('suspended');
    const right = await login(pw);
    const wrong = await login('An0therWrong!');
    expectError(right, 4, 'ACCOUNT_SUSPENDED');
    expect(right.err).toBe(wrong.err);
  });
});
