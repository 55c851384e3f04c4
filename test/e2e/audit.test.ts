// SPEC §9 (the audit log) and §2 (no secret is ever stored or logged in clear).
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, PW, World, at, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';
import type { AuditListItem as Event } from '../../src/core/audit/log.js';
import { hexSql, rewriteCompact, storedHash } from '../helpers/audit-sql.js';

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

  it('--actor \'(system)\' keeps what the system did by itself (a lockout, an automatic purge), as the list shows it', async () => {
    const own = await World.ready();
    await own.activeMember('lou@acme.example', 'Lou');
    for (let i = 0; i < 3; i++) await own.run(['login', 'lou@acme.example', '--password-stdin'], { input: 'Wr0ng-guess!\n', actor: 'lou@acme.example', token: null });
    const system = expectOk(await own.run(['audit', 'list', '--actor', '(system)', '--json'])).json() as Event[];
    expect(system.map((e) => [e.actor, e.action, e.target])).toEqual([[null, 'member.lockout', 'lou@acme.example']]);
    expect(expectOk(await own.run(['audit', 'list', '--actor', '(system)'])).out).toContain('(system)');
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

// SPEC §14, audit anchors. Each tamper below keeps the chain consistent with itself, so plain
// `audit verify` passes; a head recorded before it (`audit head`) is what finds it.
describe('audit anchors: audit head, audit verify --head/--heads', () => {
  const HEAD = /^\d+:[0-9a-f]{64}$/;
  const headOf = async (w: World): Promise<string> => expectOk(await w.run(['audit', 'head'])).out.trim();
  const verify = (w: World, heads: string[] = [], extra: string[] = []) => w.run(['audit', 'verify', ...heads.flatMap((h) => ['--head', h]), ...extra]);
  const seqOf = (head: string) => Number(head.split(':')[0]);

  async function history(): Promise<World> {
    const w = await World.ready();
    await w.invitedMember(BOB, 'Bob');
    await w.invitedMember(CAROL, 'Carol');
    expectOk(await w.run(['member', 'suspend', BOB, '--reason', 'test']));
    return w;
  }

  async function moreWrites(w: World, tag: string) {
    await w.invitedMember(`${tag}@acme.example`, `Member ${tag}`);
    expectOk(await w.run(['member', 'suspend', `${tag}@acme.example`, '--reason', tag]));
  }

  /** Deletes the newest entries and moves chain_head onto the new last one, as a careful intruder would. */
  function truncate(w: World, seq: number) {
    w.sql(`DELETE FROM audit WHERE seq > ${seq}; UPDATE chain_head SET seq = ${seq}, hash = (SELECT ${hexSql(w, 'hash')} FROM audit WHERE seq = ${seq}) WHERE id = 1`);
  }

  /** Changes entry `seq`'s body and target, then recomputes every later hash and the head, as rollcall would have. */
  function rewrite(w: World, seq: number, from: string, to: string) {
    rewriteCompact(w, seq, (e) => {
      expect(e.body).toContain(from);
      e.body = e.body.replaceAll(from, to);
      e.target = e.target.replaceAll(from, to);
    });
  }

  /** Puts a backup file back as the workspace: the file itself, or its copy into the emptied database. */
  async function restore(w: World, backup: string) {
    if (w.isPg) {
      w.sql('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      expectOk(await w.run(['workspace', 'copy', w.ws], { env: { ROLLCALL_WORKSPACE: backup } }));
    } else {
      for (const suffix of ['-wal', '-shm']) rmSync(w.ws + suffix, { force: true });
      copyFileSync(backup, w.ws);
    }
  }

  /** Exit 1, naming the head that no longer holds and why, in text and in JSON. */
  async function expectHeadFails(w: World, head: string, why: RegExp) {
    const r = await verify(w, [head]);
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.out).toContain(`Recorded head ${head} no longer holds`);
    expect(r.out).toMatch(why);
    const j = await verify(w, [head], ['--json']);
    expect(j.code, describeRun(j)).toBe(1);
    const result = j.json();
    expect(result).toMatchObject({ ok: false, seq: seqOf(head), heads: [{ seq: seqOf(head), hash: head.split(':')[1], ok: false }] });
    expect(result.problem).toContain(`recorded head ${head} no longer holds`);
    expect(result.heads[0].problem).toMatch(why);
    expect(typeof result.entries).toBe('number');
  }

  it('audit head prints SEQ:HASH in text and {seq, hash} in JSON: the last entry', async () => {
    const w = await history();
    const text = await headOf(w);
    expect(text).toMatch(HEAD);
    const json = expectOk(await w.run(['audit', 'head', '--json'])).json();
    expect(json).toEqual({ seq: seqOf(text), hash: text.split(':')[1] });
    expect(expectOk(await w.run(['audit', 'verify', '--json'])).json()).toEqual({ ok: true, entries: json.seq });
    await w.invitedMember(DAVE, 'Dave');
    expect(seqOf(await headOf(w))).toBe(json.seq + 1);
  });

  it('audit head needs audit.view (PERMISSION_DENIED, exit 4), as verify --head does', async () => {
    const w = await World.ready();
    const pw = await w.activeMember(BOB, 'Bob', 'viewer');
    await w.loginAs(BOB, pw);
    expectError(await w.as(BOB, ['audit', 'head']), 4, 'PERMISSION_DENIED');
    expectError(await w.as(BOB, ['audit', 'verify', '--head', await headOf(w)]), 4, 'PERMISSION_DENIED');
  });

  it('audit head refuses a chain head that does not name the last entry (INVALID_STATE, exit 1)', async () => {
    const w = await history();
    w.sql('DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)');
    expectError(await w.run(['audit', 'head']), 1, 'INVALID_STATE');
  });

  it('(d) an honest workspace still holds an old head after more writes, in text and JSON', async () => {
    const w = await history();
    const old = await headOf(w);
    await moreWrites(w, 'erin');
    const now = await headOf(w);
    expect(seqOf(now)).toBeGreaterThan(seqOf(old));
    const r = expectOk(await verify(w, [old, now]));
    expect(r.out).toMatch(new RegExp(`intact: ${seqOf(now)} entries; it still holds the 2 recorded heads \\(up to entry ${seqOf(now)}\\)`));
    expect(expectOk(await verify(w, [old], ['--json'])).json()).toEqual({
      ok: true, entries: seqOf(now), heads: [{ seq: seqOf(old), hash: old.split(':')[1], ok: true }],
    });
  });

  it('(a) a truncation that also moves the chain head passes plain verify, and fails a head recorded before it', async () => {
    const w = await history();
    const kept = await headOf(w);
    await moreWrites(w, 'erin');
    const recorded = await headOf(w);
    truncate(w, seqOf(kept));
    expect(await headOf(w)).toBe(kept);
    // Without a recorded head: nothing to see.
    expect(expectOk(await verify(w)).out).toMatch(/intact/);
    // With one: the chain is shorter than what was recorded.
    await expectHeadFails(w, recorded, new RegExp(`entry ${seqOf(recorded)} is missing: the chain is shorter, it ends at entry ${seqOf(kept)}`));
    // A head recorded below the cut still holds.
    expectOk(await verify(w, [kept]));
  });

  it('(b) a rewrite of an early entry with every later hash and the head recomputed passes plain verify, and fails a later head', async () => {
    const w = await history();
    const beforeBob = w.sql(`SELECT seq FROM audit WHERE action = 'member.add' AND target = '${BOB}'`);
    const early = `${Number(beforeBob) - 1}:${storedHash(w, Number(beforeBob) - 1)}`;
    const recorded = await headOf(w);
    rewrite(w, Number(beforeBob), BOB, 'eve@acme.example');
    expect(await headOf(w)).not.toBe(recorded);
    expect(expectOk(await verify(w)).out).toMatch(/intact/);
    expect(expectOk(await w.run(['audit', 'list', '--action', 'member.add', '--json'])).json().map((e: Event) => e.target)).toContain('eve@acme.example');
    await expectHeadFails(w, recorded, new RegExp(`entry ${seqOf(recorded)} has a different hash: the log up to it was rewritten, or rolled back`));
    // Entries before the rewritten one are untouched: a head there still holds.
    expectOk(await verify(w, [early]));
  });

  it('(c) a rollback to an older backup passes plain verify, and fails a head recorded after the backup', async () => {
    const w = await history();
    const beforeBackup = await headOf(w);
    const backup = join(w.dir, 'older.db');
    expectOk(await w.run(['backup', backup]));
    await moreWrites(w, 'erin');
    const recorded = await headOf(w);
    await restore(w, backup);
    expect(await headOf(w)).toBe(beforeBackup);
    expect(expectOk(await verify(w)).out).toMatch(/intact/);
    await expectHeadFails(w, recorded, /the chain is shorter/);
    expectOk(await verify(w, [beforeBackup]));
    // Work goes on from the old copy past the recorded position: now the entry is there, but another one.
    await moreWrites(w, 'frank');
    await moreWrites(w, 'gina');
    expect(seqOf(await headOf(w))).toBeGreaterThan(seqOf(recorded));
    expectOk(await verify(w));
    await expectHeadFails(w, recorded, /different hash: the log up to it was rewritten, or rolled back to an older copy/);
  });

  it('an edited row fails the chain check and is still named first when heads are checked too', async () => {
    const w = await history();
    const recorded = await headOf(w);
    w.sql("UPDATE audit SET target = 'x' WHERE seq = 2");
    const r = await verify(w, [recorded]);
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.out).toMatch(/broken at entry 2/);
    expect((await verify(w, [recorded], ['--json'])).json()).toMatchObject({ ok: false, seq: 2, heads: [{ ok: true }] });
  });

  it('--heads FILE reads one head a line, skipping blank lines and # comments; - reads standard input', async () => {
    const w = await history();
    const first = await headOf(w);
    await moreWrites(w, 'erin');
    const second = await headOf(w);
    const file = w.file('heads.txt', `# kept by CI\n\n${first}\n${second}   # after erin\n`);
    expect(expectOk(await verify(w, [], ['--heads', 'heads.txt'])).out).toMatch(/still holds the 2 recorded heads/);
    expect(expectOk(await verify(w, [], ['--heads', file, '--json'])).json().heads).toHaveLength(2);
    expectOk(await w.run(['audit', 'verify', '--heads', '-'], { input: `${first}\n` }));
    truncate(w, seqOf(first));
    const r = await verify(w, [], ['--heads', file]);
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.out).toContain(`Recorded head ${second} no longer holds`);
    expect(r.out).not.toContain(`Recorded head ${first}`);
  });

  it('a malformed head is INVALID_INPUT (exit 2), naming the file and line; a missing file is NOT_FOUND (exit 3)', async () => {
    const w = await history();
    const good = await headOf(w);
    for (const bad of ['12', '12:abc', `x:${good.split(':')[1]}`, `${good}0`]) {
      const r = expectError(await verify(w, [bad]), 2, 'INVALID_INPUT');
      expect(r.err).toContain('not an audit head');
      expect(r.err).toContain('--head');
    }
    w.file('bad.txt', `${good}\n\n# fine so far\nnot-a-head\n`);
    const r = expectError(await verify(w, [], ['--heads', 'bad.txt']), 2, 'INVALID_INPUT');
    expect(r.err).toContain('bad.txt, line 4');
    expectError(await verify(w, [], ['--heads', 'bad.txt', '--json']), 2, 'INVALID_INPUT');
    expectError(await verify(w, [], ['--heads', 'nowhere.txt']), 3, 'NOT_FOUND');
  });

  describe('ROLLCALL_AUDIT_HEADS', () => {
    it('appends the new head after every write that added entries, and nothing after a read or a refusal', async () => {
      const w = await World.ready();
      const env = { ROLLCALL_AUDIT_HEADS: 'heads.txt' }; // relative to the working directory
      const file = join(w.dir, 'heads.txt');
      const expected: string[] = [];
      const step = async (r: Promise<Result>) => {
        expectOk(await r);
        expected.push(await headOf(w));
      };
      await step(w.run(['member', 'add', BOB, '--name', 'Bob'], { env }));
      await step(w.run(['member', 'add', CAROL, '--name', 'Carol'], { env }));
      expectOk(await w.run(['member', 'list'], { env }));
      expectOk(await w.run(['audit', 'verify'], { env }));
      expectError(await w.run(['member', 'suspend', 'nobody@acme.example'], { env }), 3, 'NOT_FOUND');
      await step(w.run(['member', 'suspend', BOB, CAROL, '--reason', 'leave'], { env })); // two entries, one write: one line
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      expect(lines).toEqual(expected);
      for (const l of lines) expect(l).toMatch(HEAD);
      if (BACKEND === 'sqlite') expect(statSync(file).mode & 0o077).toBe(0);
      expect(expectOk(await verify(w, [], ['--heads', file])).out).toMatch(/still holds the 3 recorded heads/);
      truncate(w, seqOf(lines[0]));
      expect((await verify(w, [], ['--heads', file])).code).toBe(1);
    });

    it('a file that cannot be appended to is INVALID_INPUT (exit 2) before any work', async () => {
      const w = await World.ready();
      const before = await headOf(w);
      const r = expectError(await w.run(['member', 'add', BOB, '--name', 'Bob'], { env: { ROLLCALL_AUDIT_HEADS: join(w.dir, 'no-such-dir', 'heads.txt') } }), 2, 'INVALID_INPUT');
      expect(r.err).toContain('ROLLCALL_AUDIT_HEADS');
      expectError(await w.run(['member', 'add', BOB, '--name', 'Bob'], { env: { ROLLCALL_AUDIT_HEADS: w.dir } }), 2, 'INVALID_INPUT');
      expect(await headOf(w)).toBe(before);
      expect(existsSync(join(w.dir, 'no-such-dir'))).toBe(false);
    });
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
