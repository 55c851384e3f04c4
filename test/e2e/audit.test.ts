// SPEC §9 (the audit log) and §2 (no secret is ever stored or logged in clear).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, PW, World, at, describeRun, expectError, expectOk } from '../helpers/world.js';
import type { AuditListItem as Event } from '../../src/core/audit/log.js';

const BOB = 'bob@acme.example';
const CAROL = 'carol@acme.example';
const DAVE = 'dave@acme.example';


describe('audit list', () => {
  // One history, read by every test below.
  let w: World;
  let all: Event[];
  beforeAll(async () => {
    w = await World.ready();
    w.now = at('+1h');
    await w.activeMember(BOB, 'Bob'); // member.add by alice, member.passwd by bob
    w.now = at('+2h');
    expectOk(await w.run(['member', 'suspend', BOB, '--reason', 'on leave']));
    w.now = at('+2d');
    await w.invitedMember(CAROL, 'Carol');
    await w.invitedMember(DAVE, 'Dave');
    expectOk(await w.run(['member', 'suspend', CAROL, DAVE, '--reason', 'audit']));
    w.now = at('+3d');
    expectOk(await w.run(['member', 'remove', CAROL]));
    all = expectOk(await w.run(['audit', 'list', '--json'])).json();
  });

  it('prints [{at, actor, action, target, reason, batch}] in JSON, newest first', async () => {
    expect(Array.isArray(all)).toBe(true);
    for (const e of all) {
      for (const k of ['at', 'actor', 'action', 'target', 'reason', 'batch']) expect(e, JSON.stringify(e)).toHaveProperty(k);
      expect(typeof e.at).toBe('string');
      expect(typeof e.batch).toBe('string');
    }
    const times = all.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all[0]).toMatchObject({ at: at('+3d'), actor: ADMIN, action: 'member.remove', target: CAROL });
  });

  it('records actor (the acting member\'s email), action, target and reason for each change', async () => {
    expect(all).toEqual(expect.arrayContaining([
      expect.objectContaining({ actor: ADMIN, action: 'member.add', target: BOB, at: at('+1h') }),
      expect.objectContaining({ actor: ADMIN, action: 'member.suspend', target: BOB, reason: 'on leave', at: at('+2h') }),
      expect.objectContaining({ actor: ADMIN, action: 'member.add', target: CAROL }),
      expect.objectContaining({ actor: ADMIN, action: 'member.suspend', target: DAVE, reason: 'audit' }),
    ]));
    // bob set his own password: bob is the actor.
    expect(all.some((e) => e.actor === BOB && e.target === BOB)).toBe(true);
  });

  it('gives every event of one command the same batch, and separate commands different batches', async () => {
    const suspends = all.filter((e) => e.action === 'member.suspend');
    const bulk = suspends.filter((e) => e.target === CAROL || e.target === DAVE);
    expect(bulk).toHaveLength(2);
    expect(bulk[0].batch).toBe(bulk[1].batch);
    const single = suspends.find((e) => e.target === BOB)!;
    expect(single.batch).not.toBe(bulk[0].batch);
    const batch = expectOk(await w.run(['audit', 'list', '--batch', bulk[0].batch, '--json'])).json() as Event[];
    expect(batch.map((e) => e.target).sort()).toEqual([CAROL, DAVE]);
  });

  it('--limit N returns the newest N', async () => {
    const two = expectOk(await w.run(['audit', 'list', '--limit', '2', '--json'])).json();
    expect(two).toEqual(all.slice(0, 2));
    expectError(await w.run(['audit', 'list', '--limit', 'many']), 2, 'INVALID_INPUT');
  });

  it('--since takes a duration or a date', async () => {
    const lastDay = expectOk(await w.run(['audit', 'list', '--since', '36h', '--json'])).json() as Event[];
    expect(lastDay.length).toBeGreaterThan(0);
    expect(lastDay).toEqual(all.filter((e) => e.at >= at('-36h', w.now)));
    expect(lastDay.some((e) => e.target === BOB)).toBe(false);
    const sinceDate = expectOk(await w.run(['audit', 'list', '--since', '2030-01-09', '--json'])).json() as Event[];
    expect(sinceDate).toEqual(all.filter((e) => e.at >= '2030-01-09T00:00:00.000Z'));
    expect(sinceDate.some((e) => e.target === CAROL)).toBe(true);
    expectError(await w.run(['audit', 'list', '--since', 'last tuesday']), 2, 'INVALID_INPUT');
  });

  it('--actor keeps one actor\'s events', async () => {
    const bobs = expectOk(await w.run(['audit', 'list', '--actor', BOB, '--json'])).json() as Event[];
    expect(bobs.length).toBeGreaterThan(0);
    for (const e of bobs) expect(e.actor).toBe(BOB);
    const alices = expectOk(await w.run(['audit', 'list', '--actor', 'ALICE@acme.example', '--json'])).json() as Event[];
    expect(alices.length).toBe(all.filter((e) => e.actor === ADMIN).length);
  });

  it('--action keeps one action', async () => {
    const suspends = expectOk(await w.run(['audit', 'list', '--action', 'member.suspend', '--json'])).json() as Event[];
    expect(suspends.map((e) => e.target).sort()).toEqual([BOB, CAROL, DAVE]);
  });

  it('--target keeps the events about one member', async () => {
    const carol = expectOk(await w.run(['audit', 'list', '--target', CAROL, '--json'])).json() as Event[];
    expect(carol.map((e) => e.action)).toEqual(['member.remove', 'member.suspend', 'member.add']);
  });

  it('prints a human table with the actor, action and target', async () => {
    const r = expectOk(await w.run(['audit', 'list', '--limit', '1']));
    expect(r.out).toContain('member.remove');
    expect(r.out).toContain(CAROL);
    expect(r.out).toContain(ADMIN);
  });

  it('shows 100 events unless --limit says otherwise', async () => {
    const big = await World.ready();
    const rows = Array.from({ length: 105 }, (_, i) => `user${i}@acme.example,User ${i}`);
    const file = big.file('many.csv', 'email,name\n' + rows.join('\n') + '\n');
    expectOk(await big.run(['workspace', 'set', 'seat-limit', '200']));
    const applied = await big.run(['apply', file, '--yes']);
    expect(applied.code, describeRun(applied)).toBe(0);
    expect(expectOk(await big.run(['audit', 'list', '--json'])).json()).toHaveLength(100);
    expect((expectOk(await big.run(['audit', 'list', '--limit', '500', '--json'])).json() as Event[]).length).toBeGreaterThan(105);
  });
});

describe('audit verify', () => {
  async function history(): Promise<World> {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    await w.invitedMember(CAROL, 'Carol');
    expectOk(await w.run(['member', 'suspend', BOB, '--reason', 'test']));
    return w;
  }

  it('passes on an untouched log (exit 0)', async () => {
    const w = await history();
    const r = expectOk(await w.run(['audit', 'verify']));
    expect(r.out).toMatch(/intact|ok|pass/i);
  });

  it('fails with exit 1 after a row was altered in the database, naming the broken entry', async () => {
    const w = await history();
    expectOk(await w.run(['audit', 'verify']));
    w.sql("UPDATE audit SET target = 'x' WHERE seq = 2");
    const r = await w.run(['audit', 'verify']);
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.out + r.err).toMatch(/\b2\b/);
  });

  it('fails with exit 1 after a row\'s hashed content was altered', async () => {
    const w = await history();
    w.sql("UPDATE audit SET body = replace(body, 'bob@acme.example', 'eve@acme.example') WHERE action = 'member.add' AND target = 'bob@acme.example'");
    const r = await w.run(['audit', 'verify']);
    expect(r.code, describeRun(r)).toBe(1);
  });

  it('fails with exit 1 after a row was deleted', async () => {
    const w = await history();
    w.sql('DELETE FROM audit WHERE seq = 3');
    const r = await w.run(['audit', 'verify']);
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.out + r.err).toMatch(/\b3\b/);
  });

  it('fails with exit 1 after the newest row was deleted', async () => {
    const w = await history();
    w.sql('DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)');
    const r = await w.run(['audit', 'verify']);
    expect(r.code, describeRun(r)).toBe(1);
  });

  it('still passes after many commands of every kind', async () => {
    const w = await history();
    expectOk(await w.run(['member', 'remove', CAROL]));
    expectOk(await w.run(['member', 'restore', CAROL]));
    expectOk(await w.run(['workspace', 'set', 'name', 'Acme 2']));
    expectOk(await w.run(['domain', 'add', 'beta.example']));
    expectOk(await w.run(['member', 'reset-password', CAROL]));
    w.now = at('+9d');
    expectOk(await w.run(['member', 'remove', CAROL]));
    w.now = at('+17d');
    expectOk(await w.run(['member', 'purge', '--expired']));
    expectOk(await w.run(['audit', 'verify']));
  });
});

describe('secrets', () => {
  it('no temporary password, token or chosen password appears in the database or in audit list --json', async () => {
    const w = await World.ready();
    const secrets: string[] = [PW, w.token!];
    // A temporary password, then a chosen one.
    const tmp = await w.invitedMember(BOB, 'Bob');
    secrets.push(tmp);
    const chosen = 'B0bsChosenPass!';
    expectOk(await w.run(['passwd', BOB, '--password-stdin'], { input: `${tmp}\n${chosen}\n`, actor: BOB, token: null }));
    secrets.push(chosen);
    // A session and an API token.
    await w.loginAs(BOB, chosen);
    const token = expectOk(await w.as(BOB, ['token', 'create', '--name', 'ci', '--json'])).json().token;
    secrets.push(token);
    // A reset, and an unsuspend after a lockout: both issue temporary passwords.
    await w.invitedMember(CAROL, 'Carol');
    const reset = expectOk(await w.run(['member', 'reset-password', CAROL, '--json'])).json();
    secrets.push((Array.isArray(reset) ? reset[0] : reset).temporaryPassword);
    for (let i = 0; i < 3; i++) await w.run(['login', BOB, '--password-stdin'], { input: 'Wr0ngPassword!\n', actor: 'x', token: null });
    const unsuspended = expectOk(await w.run(['member', 'unsuspend', BOB, '--json'])).json();
    secrets.push((Array.isArray(unsuspended) ? unsuspended[0] : unsuspended).temporaryPassword);
    // A failed password change mentions no password either.
    const refused = await w.run(['passwd', CAROL, '--password-stdin'], { input: `Wr0ngPassword!\nAn0therSecret!\n`, actor: CAROL, token: null });
    expect(refused.code).not.toBe(0);
    expect(refused.err).not.toContain('An0therSecret!');

    for (const s of secrets) expect(typeof s === 'string' && s.length >= 10, `secret ${s}`).toBe(true);
    const dump = w.dump();
    expect(dump).toContain(BOB); // the dump is real
    const audit = expectOk(await w.run(['audit', 'list', '--limit', '1000', '--json'])).out;
    for (const s of secrets) {
      expect(dump.includes(s), `a secret is stored in clear in the database: ${s}`).toBe(false);
      expect(audit.includes(s), `a secret is in audit list --json: ${s}`).toBe(false);
    }
    // The session secret kept in the config dir is not in the database in clear either.
    for (const f of readdirSync(w.cfg(BOB))) {
      const text = readFileSync(join(w.cfg(BOB), f), 'utf8');
      for (const m of text.matchAll(/"token"\s*:\s*"([^"]{10,})"/g)) expect(dump.includes(m[1]), 'a session token is stored in clear').toBe(false);
    }
  });
});
