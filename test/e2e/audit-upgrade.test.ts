// Issue 21, the compact audit format (schema version 4): a workspace whose log was written by an
// older rollcall keeps working. The history in audit-upgrade/workspace-v2.json was written by main at
// c532ee2 (schema version 2, make-fixture.mjs); it is put back as that rollcall left it (its tables'
// rows under the old schema, migrations 001–002), then used by this one. Its old entries are never
// rewritten: heads recorded before the upgrade still hold after it, the first new entry chains onto
// the last old one, every listing shows old entries as the old rollcall did, and tampering with old
// or new entries is found at the first broken link. Both backends.
import { chmodSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, PG_SERVER, World, at, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';
import { OLD_WORKSPACE as F, oldWorkspace } from '../helpers/old-workspace.js';
import { SCHEMA_VERSION } from '../../src/store/sqlite/migrations/index.js';

const OLD = F.tables.audit;
const LAST_OLD = OLD.length; // 19
const BOB = 'bob@acme.example';
const NOBODY = 65534;
const ROOT = process.getuid?.() === 0;

const version = (w: World) => w.sql("SELECT value FROM meta WHERE key = 'schema_version'");
const json = async (w: World, args: string[]) => expectOk(await w.run([...args, '--json'])).json();
const head = async (w: World) => expectOk(await w.run(['audit', 'head'])).out.trim();
const verifyWith = (w: World, heads: string[], extra: string[] = []) => w.run(['audit', 'verify', ...heads.flatMap((h) => ['--head', h]), ...extra]);

/** Exit 1, the chain broken at `seq`. */
async function expectBrokenAt(w: World, seq: number, what: string) {
  const r = await verifyWith(w, [], ['--json']);
  expect(r.code, `${what}\n${describeRun(r)}`).toBe(1);
  expect(r.json(), what).toMatchObject({ ok: false, seq });
}

/** An upgraded workspace with new entries: a member added, bob unsuspended, frank removed (its own batch). */
async function upgradedWithMore(): Promise<{ w: World; removeBatch: string; latest: string }> {
  const w = oldWorkspace();
  expectOk(await w.run(['member', 'add', 'ivy@acme.example', '--name', 'Ivy']));
  expectOk(await w.run(['member', 'unsuspend', BOB]));
  expectOk(await w.run(['member', 'remove', 'frank@acme.example', '--reason', 'moved']));
  const removeBatch = (await json(w, ['audit', 'list', '--action', 'member.remove', '--limit', '1']))[0].batch as string;
  expect(removeBatch).not.toBe(F.removeBatch);
  return { w, removeBatch, latest: await head(w) };
}

describe('a workspace written before the compact audit format (schema version 2)', () => {
  it('is upgraded when first used, rewriting no old entry: the old heads hold, and every listing is what the old rollcall printed', async () => {
    const w = oldWorkspace();
    expect(version(w)).toBe('2');
    expect(await json(w, ['audit', 'verify', '--head', F.early, '--head', F.final])).toEqual(F.verify);
    expect(version(w)).toBe(String(SCHEMA_VERSION));
    // The old rows are where the upgrade moved their table, byte for byte.
    for (const column of ['at', 'actor', 'action', 'target', 'batch', 'body', 'prev_hash', 'hash']) {
      expect(w.sql(`SELECT '<' || COALESCE(${column}, '(null)') || '>' FROM audit_v1 ORDER BY seq`).split('\n'), column).toEqual(OLD.map((r) => `<${r[column] ?? '(null)'}>`));
    }
    expect(w.sql('SELECT COUNT(*) FROM audit')).toBe('0');
    expect(await head(w)).toBe(F.final);
    expect(await json(w, ['audit', 'list', '--limit', '1000'])).toEqual(F.list);
    expect(await json(w, ['audit', 'list', '--batch', F.removeBatch])).toEqual(F.batchList);
    expect(await json(w, ['audit', 'list', '--target', BOB])).toEqual(F.targetList);
    expect(await json(w, ['audit', 'list', '--target', 'design'])).toEqual(F.groupList);
    expect(await json(w, ['audit', 'show', '3'])).toEqual(F.list.find((e) => e.seq === 3));
  });

  it('chains new entries onto the last old one: heads, verify, lists, show and restore --batch span both formats', async () => {
    const { w, removeBatch, latest } = await upgradedWithMore();
    const count = Number(latest.split(':')[0]);
    expect(w.sql('SELECT MIN(seq) FROM audit')).toBe(String(LAST_OLD + 1));
    const verified = await json(w, ['audit', 'verify', '--head', F.early, '--head', F.final, '--head', latest]);
    expect(verified).toMatchObject({ ok: true, entries: count, heads: [{ ok: true }, { ok: true }, { ok: true }] });
    const list = await json(w, ['audit', 'list', '--limit', '1000']) as Array<Record<string, any>>;
    expect(list.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => count - i));
    expect(list.filter((e) => e.seq <= LAST_OLD)).toEqual(F.list);
    for (const e of list) expect(Object.keys(e)).toEqual(Object.keys(F.list[0]));
    expect(list[0]).toMatchObject({ action: 'member.remove', target: 'frank@acme.example', reason: 'moved', batch: removeBatch, actor: ADMIN });
    expect(list[0].before).toMatchObject({ email: 'frank@acme.example', deleted: false });
    expect(await json(w, ['audit', 'show', String(LAST_OLD + 1)])).toEqual(list.find((e) => e.seq === LAST_OLD + 1));
    expect(await json(w, ['audit', 'list', '--batch', F.removeBatch])).toEqual(F.batchList);
    expect((await json(w, ['audit', 'list', '--batch', removeBatch])).map((e: any) => e.seq)).toEqual([count]);
    expect((await json(w, ['audit', 'list', '--target', BOB])).map((e: any) => e.action)).toEqual(['member.unsuspend', ...(F.targetList as any[]).map((e) => e.action)]);
    expect((await json(w, ['audit', 'list', '--action', 'member.*', '--since', at('+30m')])).map((e: any) => e.seq)).toEqual([count, count - 1, count - 2]);
    // Members an old command removed come back by its batch, and the log goes on.
    const restored = expectOk(await w.run(['member', 'restore', '--batch', F.removeBatch]));
    expect(restored.out, describeRun(restored)).toMatch(/carol@acme\.example/);
    expect(await w.emails()).toContain('dave@acme.example');
    expectOk(await verifyWith(w, [F.early, F.final, latest]));
  });

  it('finds tampering with old and new entries alike, at the first broken link', async () => {
    const { w } = await upgradedWithMore();
    const suspended = Number(w.sql("SELECT seq FROM audit_v1 WHERE action = 'member.suspend'"));
    const cases: Array<[string, number, string]> = [
      ["UPDATE audit_v1 SET target = 'x' WHERE seq = 5", 5, 'an old entry\'s column'],
      ["UPDATE audit_v1 SET body = replace(body, 'on leave', 'fired')", suspended, 'an old entry\'s body'],
      [`DELETE FROM audit_v1 WHERE seq = ${LAST_OLD}`, LAST_OLD + 1, 'the last old entry deleted'],
      [`UPDATE audit_v1 SET seq = -1 WHERE seq = 17; UPDATE audit_v1 SET seq = 17 WHERE seq = 18; UPDATE audit_v1 SET seq = 18 WHERE seq = -1`, 17, 'two old entries swapped'],
      [`DELETE FROM audit WHERE seq = ${LAST_OLD + 1}`, LAST_OLD + 2, 'the first new entry deleted'],
      [`UPDATE audit SET target = 'x' WHERE seq = ${LAST_OLD + 2}`, LAST_OLD + 2, 'a new entry\'s column'],
      [`UPDATE audit SET body = replace(body, 'Ivy', 'Eve') WHERE seq = ${LAST_OLD + 1}`, LAST_OLD + 1, 'a new entry\'s body'],
      [`UPDATE audit_batches SET batch = 'b-forged' WHERE first_seq = ${LAST_OLD + 1}`, LAST_OLD + 1, 'a new entry\'s batch'],
      [`UPDATE audit SET hash = (SELECT hash FROM audit WHERE seq = ${LAST_OLD + 1}) WHERE seq = ${LAST_OLD + 2}`, LAST_OLD + 2, 'a new entry\'s hash'],
      [`UPDATE audit SET seq = -1 WHERE seq = ${LAST_OLD + 1}; UPDATE audit SET seq = ${LAST_OLD + 1} WHERE seq = ${LAST_OLD + 2}; UPDATE audit SET seq = ${LAST_OLD + 2} WHERE seq = -1`, LAST_OLD + 1, 'two new entries swapped'],
      [`INSERT INTO audit_v1 (seq, at, actor, action, target, batch, body, prev_hash, hash) SELECT 0, at, actor, action, target, batch, body, prev_hash, hash FROM audit_v1 WHERE seq = 1; DELETE FROM audit_v1 WHERE seq = 1; UPDATE audit_v1 SET seq = 1 WHERE seq = 0`, 0, 'an old entry deleted and put back as it was (nothing changed)'],
    ];
    for (const [sql, seq, what] of cases) {
      const copy = w.copy();
      copy.sql(sql);
      if (seq === 0) expectOk(await verifyWith(copy, [F.final]));
      else await expectBrokenAt(copy, seq, what);
    }
  });

  it('a truncation of the new entries back to the last old one passes plain verify and fails a head recorded after it; the log then goes on', async () => {
    const { w, latest } = await upgradedWithMore();
    w.sql(`DELETE FROM audit; UPDATE chain_head SET seq = ${LAST_OLD}, hash = (SELECT hash FROM audit_v1 WHERE seq = ${LAST_OLD}) WHERE id = 1`);
    expectOk(await verifyWith(w, [F.early, F.final]));
    const r = await verifyWith(w, [latest]);
    expect(r.code, describeRun(r)).toBe(1);
    expect(r.out).toMatch(/the chain is shorter, it ends at entry 19/);
    // Writes go on (the batches of the entries removed make way), and the recorded head still finds the change.
    expectOk(await w.run(['member', 'add', 'judy@acme.example', '--name', 'Judy']));
    expectOk(await w.run(['member', 'add', 'kim@acme.example', '--name', 'Kim']));
    expectOk(await w.run(['member', 'add', 'lee@acme.example', '--name', 'Lee']));
    expectOk(await w.run(['member', 'add', 'mo@acme.example', '--name', 'Mo']));
    expectOk(await verifyWith(w, [F.early, F.final]));
    expect((await verifyWith(w, [latest])).out).toMatch(/different hash/);
    expect(w.sql('SELECT COUNT(*) FROM audit_batches')).toBe('4');
  });

  it('a backup and a workspace copy carry old and new entries: they verify against every head', async () => {
    const { w, latest } = await upgradedWithMore();
    for (const [args, dest] of [[['backup'], join(w.dir, 'backup.db')], [['workspace', 'copy'], join(w.dir, 'copy.db')]] as const) {
      expectOk(await w.run([...args, dest]));
      const r = expectOk(await w.run(['audit', 'verify', '--head', F.early, '--head', F.final, '--head', latest, '--json'], { env: { ROLLCALL_WORKSPACE: dest } }));
      expect(r.json()).toMatchObject({ ok: true, entries: Number(latest.split(':')[0]) });
      const rows = spawnSync('sqlite3', [dest, `SELECT (SELECT COUNT(*) FROM audit_v1), (SELECT COUNT(*) FROM audit), (SELECT lower(hex(hash)) FROM audit ORDER BY seq DESC LIMIT 1)`], { encoding: 'utf8' }).stdout.trim();
      expect(rows).toBe(`${LAST_OLD}|3|${latest.split(':')[1]}`);
    }
  });

  it.skipIf(BACKEND === 'pg')('one this user may not write is read as it is, never upgraded: verify, lists and heads work; writes are WORKSPACE_UNAVAILABLE; the owner upgrades it later', async () => {
    const w = oldWorkspace();
    const reader = ROOT ? { uid: NOBODY } : {};
    chmodSync(w.ws, 0o444);
    chmodSync(w.dir, 0o777);
    try {
      const read = async (args: string[]): Promise<Result> => expectOk(await w.run([...args, '--json'], reader));
      expect((await read(['audit', 'verify', '--head', F.early, '--head', F.final])).json()).toEqual(F.verify);
      expect((await read(['audit', 'list', '--limit', '1000'])).json()).toEqual(F.list);
      expect((await read(['audit', 'list', '--batch', F.removeBatch])).json()).toEqual(F.batchList);
      expect((await read(['audit', 'head'])).json()).toEqual({ seq: LAST_OLD, hash: F.final.split(':')[1] });
      expect((await read(['audit', 'show', '7'])).json()).toEqual(F.list.find((e) => e.seq === 7));
      // Members are scanned without the columns later versions add (external ids, version 5).
      const listed = (await read(['member', 'list'])).json() as Array<{ email: string }>;
      expect(listed.map((m) => m.email)).toEqual(F.tables.members.filter((m) => !m.deleted_at).map((m) => m.email as string).sort());
      expectError(await w.run(['member', 'add', 'ivy@acme.example', '--name', 'Ivy'], reader), 6, 'WORKSPACE_UNAVAILABLE');
      // A copy would need the tables as this version lays them out: refused, saying how to get there.
      const copy = expectError(await w.run(['workspace', 'copy', join(w.dir, 'copy.db')], reader), 6, 'WORKSPACE_UNAVAILABLE');
      expect(copy.err).toMatch(/schema version 2/);
      expect(existsSync(join(w.dir, 'copy.db'))).toBe(false);
      expect(['-wal', '-shm'].filter((s) => existsSync(w.ws + s))).toEqual([]);
      expect(version(w)).toBe('2');
    } finally {
      chmodSync(w.ws, 0o600);
      chmodSync(w.dir, 0o700);
    }
    expectOk(await verifyWith(w, [F.early, F.final]));
    expect(version(w)).toBe(String(SCHEMA_VERSION));
  });

  it.skipIf(BACKEND !== 'pg')('a role that may read the tables but not change them reads it as it is, never upgraded; the owner upgrades it later (PostgreSQL only)', async () => {
    const w = oldWorkspace();
    const role = `rc_reader_${w.dbName}`;
    const admin = `${PG_SERVER}/postgres`;
    w.sql(`CREATE ROLE ${role} LOGIN; GRANT USAGE ON SCHEMA public TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    try {
      const weak = w.ws.replace('//postgres@', `//${role}@`);
      expect(await json(w, ['-w', weak, 'audit', 'verify', '--head', F.early, '--head', F.final])).toEqual(F.verify);
      expect(await json(w, ['-w', weak, 'audit', 'list', '--batch', F.removeBatch])).toEqual(F.batchList);
      expect((await json(w, ['-w', weak, 'member', 'list'])).map((m: { email: string }) => m.email)).toEqual(F.tables.members.filter((m) => !m.deleted_at).map((m) => m.email as string).sort());
      expect(version(w)).toBe('2');
      expectError(await w.run(['-w', weak, 'member', 'add', 'ivy@acme.example', '--name', 'Ivy']), 6, 'WORKSPACE_UNAVAILABLE');
      expectOk(await verifyWith(w, [F.early, F.final]));
      expect(version(w)).toBe(String(SCHEMA_VERSION));
    } finally {
      spawnSync('psql', [admin, '-qAtc', `DROP DATABASE IF EXISTS ${w.dbName} WITH (FORCE)`]);
      spawnSync('psql', [admin, '-qAtc', `DROP ROLE IF EXISTS ${role}`]);
    }
  });
});
