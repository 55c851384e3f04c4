// Issue 18 (7): a SQLite workspace this user may not write (the file, or its folder) is read without
// leaving a -shm or -wal beside it: such files, owned by the reader, would block the owner's writes.
// Commands that write are WORKSPACE_UNAVAILABLE (exit 6), saying why. Run as root, the reader is
// spawned as `nobody`, since root may write anything; otherwise the file modes alone make the case.
import { chmodSync, chownSync, copyFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, World, describeRun, expectError, expectOk, type RunOptions } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const NOBODY = 65534;
const ROOT = process.getuid?.() === 0;
/** How the reader runs: another user when the tests run as root (root may write any file). */
const READER: RunOptions = ROOT ? { uid: NOBODY } : {};
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');

const sidecars = (w: World) => ['-wal', '-shm'].filter((s) => existsSync(w.ws + s)).map((s) => 'ws.db' + s);

async function withBob(): Promise<World> {
  const w = await World.ready();
  expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob']));
  expect(sidecars(w), 'a command that has finished leaves no -wal or -shm').toEqual([]);
  return w;
}

/** Reads as the reader must be able to: the member list, one member, and the audit chain. */
async function reads(w: World) {
  const list = expectOk(await w.run(['member', 'list', '--json'], READER)).json() as Array<{ email: string }>;
  expect(list.map((m) => m.email).sort()).toEqual([ADMIN, BOB]);
  expectOk(await w.run(['audit', 'verify'], READER));
}

/** A write as the reader: WORKSPACE_UNAVAILABLE (exit 6) saying why; nothing added. */
async function writeRefused(w: World) {
  const r = expectError(await w.run(['member', 'add', 'carol@acme.example', '--name', 'Carol'], READER), 6, 'WORKSPACE_UNAVAILABLE');
  expect(r.err, describeRun(r)).toMatch(/may not write/);
}

describe.skipIf(BACKEND === 'pg')('a SQLite workspace this user may not write (PostgreSQL has no such files)', () => {
  it('a file it may not write (0444, writable folder): reads work, a write is WORKSPACE_UNAVAILABLE (exit 6), and no -shm or -wal is left', async () => {
    const w = await withBob();
    chmodSync(w.ws, 0o444);
    chmodSync(w.dir, 0o777); // SQLite could create its files here: it must not
    await reads(w);
    expect(sidecars(w)).toEqual([]);
    await writeRefused(w);
    expect(sidecars(w)).toEqual([]);
    // The owner, given write access back, writes as before.
    chmodSync(w.ws, 0o600);
    chmodSync(w.dir, 0o700);
    expectOk(await w.run(['member', 'add', 'carol@acme.example', '--name', 'Carol']));
    expect(await w.emails()).toEqual([ADMIN, BOB, 'carol@acme.example']);
  });

  it('a folder it may not write (0555): reads work, a write is WORKSPACE_UNAVAILABLE (exit 6), nothing is created', async () => {
    const w = await withBob();
    if (ROOT) chownSync(w.ws, NOBODY, NOBODY); // the reader owns the file, but not the folder
    chmodSync(w.dir, 0o555);
    try {
      await reads(w);
      expect(sidecars(w)).toEqual([]);
      await writeRefused(w);
      expect(sidecars(w)).toEqual([]);
    } finally {
      chmodSync(w.dir, 0o700);
      if (ROOT) chownSync(w.ws, 0, 0);
    }
    expectOk(await w.run(['member', 'add', 'carol@acme.example', '--name', 'Carol']));
  });

  it('while a writer holds it open, a reader that may not write reads through the writer\'s -wal (its latest commit) and creates nothing', async () => {
    const w = await withBob();
    chmodSync(w.dir, 0o777);
    chmodSync(w.ws, 0o644); // readable by the reader; the writer's -wal and -shm get this mode too
    const holder = new Database(w.ws);
    try {
      holder.pragma('wal_autocheckpoint = 0');
      holder.prepare("UPDATE members SET name = 'Bob Held' WHERE email = ?").run(BOB);
      chmodSync(w.ws, 0o444);
      const owners = ['-wal', '-shm'].map((s) => statSync(w.ws + s).uid);
      const bob = expectOk(await w.run(['member', 'show', BOB, '--json'], READER)).json();
      expect(bob.name).toBe('Bob Held');
      await writeRefused(w);
      expect(['-wal', '-shm'].map((s) => statSync(w.ws + s).uid)).toEqual(owners);
    } finally {
      holder.close();
    }
    expect(sidecars(w), 'the writer, last to close, removes its -wal and -shm').toEqual([]);
  });

  it('a leftover -wal holding changes, without its -shm, is WORKSPACE_UNAVAILABLE (exit 6) for a reader that may not write; an empty one is no obstacle', async () => {
    const w = await withBob();
    const saved = join(w.dir, 'saved-wal');
    const holder = new Database(w.ws);
    holder.pragma('wal_autocheckpoint = 0');
    holder.prepare("UPDATE members SET name = 'Bob Logged' WHERE email = ?").run(BOB);
    copyFileSync(w.ws + '-wal', saved);
    holder.close();
    chmodSync(w.ws, 0o444);
    chmodSync(w.dir, 0o777);
    writeFileSync(w.ws + '-wal', '');
    await reads(w);
    expect(sidecars(w)).toEqual(['ws.db-wal']);
    copyFileSync(saved, w.ws + '-wal');
    const r = expectError(await w.run(['member', 'list'], READER), 6, 'WORKSPACE_UNAVAILABLE');
    expect(r.err, describeRun(r)).toMatch(/-wal/);
    expect(sidecars(w)).toEqual(['ws.db-wal']);
  });
});
