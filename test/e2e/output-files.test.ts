// SPEC §14, output files (issue 18): `apply --secrets-out`, `apply --plan-out`, `export -o`, `backup
// DEST` and `workspace copy DEST` (a file) are checked before any work (INVALID_INPUT, exit 2), written
// 0600 through a new temp file in the target folder and a rename, never through a symbolic link; an
// existing destination needs --force, which replaces it (a new file, never the old one rewritten);
// a write that fails leaves nothing behind, and no outcome leaves members created and their
// temporary passwords lost.
import { execa } from 'execa';
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, BIN, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

/** Each command that writes an output file, given the path to write (relative to the World's folder). */
const WRITERS: Array<[string, (path: string) => string[]]> = [
  ['apply --secrets-out', (p) => ['apply', 'roster.csv', '--secrets-out', p]],
  ['apply --plan-out', (p) => ['apply', 'roster.csv', '--plan-out', p]],
  ['export -o', (p) => ['export', '-o', p]],
  ['backup', (p) => ['backup', p]],
  ['workspace copy', (p) => ['workspace', 'copy', p]],
];

/** What each command writes, recognisably. */
function looksWritten(args: string[], path: string) {
  const bytes = readFileSync(path);
  if (args.includes('--secrets-out')) expect(bytes.toString('utf8')).toMatch(/^email,temporaryPassword\n/);
  else if (args.includes('--plan-out')) expect(bytes.toString('utf8')).toContain(BOB);
  else if (args[0] === 'export') expect(bytes.toString('utf8')).toContain(ADMIN);
  else expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
}

/** A World with a roster that adds Bob, and an empty folder `out` for the files under test. */
async function outWorld(): Promise<{ w: World; out: string }> {
  const w = await World.ready();
  w.file('roster.csv', `email,name\n${BOB},Bob\n`);
  const out = join(w.dir, 'out');
  mkdirSync(out);
  return { w, out };
}

const entries = (dir: string) => readdirSync(dir).sort();

/** The workspace as it stands: refused commands must leave it exactly so. */
const snapshot = async (w: World) => ({ emails: await w.emails(), audit: expectOk(await w.run(['audit', 'list', '--limit', '100000', '--json'])).json().length });

/** Refused before any work: INVALID_INPUT, exit 2, with a hint. */
function expectRefused(r: Result): Result {
  expectError(r, 2, 'INVALID_INPUT');
  expect(r.error()?.hint ?? /hint: (.*)/.exec(r.err)?.[1], describeRun(r)).toBeTruthy();
  return r;
}

/** A file with exactly this mode (whatever the umask). */
function fileWithMode(path: string, content: string, mode: number): string {
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

/** Runs the built CLI under a file size limit (ulimit -f, in KiB): writes past it fail with EFBIG. */
async function runLimited(w: World, args: string[], kib: number): Promise<Result> {
  const r = await execa('bash', ['-c', `ulimit -f ${kib} && exec "$@"`, 'rollcall', process.execPath, BIN, ...args], {
    env: w.envFor(), extendEnv: false, cwd: w.dir, reject: false, timeout: 60_000, encoding: 'utf8',
  });
  const err = String(r.stderr ?? '');
  return { args, code: r.exitCode ?? -1, out: String(r.stdout ?? ''), err, json: () => JSON.parse(String(r.stdout)), error: () => null, errCode: () => /error\[([A-Z_]+)\]/.exec(err)?.[1] ?? null };
}

/** A roster of n new members (about 60 bytes a row). */
const bigRoster = (n: number) => 'email,name,title\n' + Array.from({ length: n }, (_, i) => `member${String(i).padStart(5, '0')}@acme.example,Member Number ${i},Staff member\n`).join('');

/** outWorld() with room for 3000 more members and a roster of them in big.csv. */
async function bigWorld(): Promise<{ w: World; out: string }> {
  const { w, out } = await outWorld();
  expectOk(await w.run(['workspace', 'set', 'seat-limit', '5000']));
  w.file('big.csv', bigRoster(3000));
  return { w, out };
}

describe.each(WRITERS)('%s: the output file', (_name, command) => {
  it('refuses a missing folder, a folder given as the file, and a file given as the folder, before any work (INVALID_INPUT, exit 2)', async () => {
    const { w, out } = await outWorld();
    const before = await snapshot(w);
    for (const path of ['missing/dir/f.out', 'out', 'out/', 'roster.csv/f.out']) {
      const r = expectRefused(await w.run(command(path)));
      expect(r.err).toMatch(/folder/);
    }
    expect(await snapshot(w)).toEqual(before);
    expect(existsSync(join(w.dir, 'missing'))).toBe(false);
    expect(entries(out)).toEqual([]);
    expect(readFileSync(join(w.dir, 'roster.csv'), 'utf8')).toBe(`email,name\n${BOB},Bob\n`);
  });

  it('refuses an existing file, a symbolic link and a dangling link without --force, changing nothing and writing through no link', async () => {
    const { w, out } = await outWorld();
    const existing = fileWithMode(join(out, 'existing.out'), 'old\n', 0o644);
    const target = w.file('target.txt', 'the link target\n');
    symlinkSync('../target.txt', join(out, 'link.out'));
    symlinkSync('../nowhere.txt', join(out, 'dangling.out'));
    const before = await snapshot(w);
    for (const name of ['existing.out', 'link.out', 'dangling.out']) {
      const r = expectRefused(await w.run(command(`out/${name}`)));
      expect(r.err).toMatch(/--force/);
    }
    expect(await snapshot(w)).toEqual(before);
    expect(readFileSync(existing, 'utf8')).toBe('old\n');
    expect(statSync(existing).mode & 0o777).toBe(0o644);
    expect(readFileSync(target, 'utf8')).toBe('the link target\n');
    expect(lstatSync(join(out, 'link.out')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(w.dir, 'nowhere.txt'))).toBe(false);
    expect(entries(out)).toEqual(['dangling.out', 'existing.out', 'link.out']);
  });

  it('with --force replaces a file or a link by a new private file (a rename: the old file and the link target are left as they were), and leaves no temp file', async () => {
    const { w, out } = await outWorld();
    const existing = fileWithMode(join(out, 'existing.out'), 'old\n', 0o644);
    const keep = join(w.dir, 'existing-keep'); // a second name for the old file: it must not be written into
    linkSync(existing, keep);
    const oldIno = statSync(existing).ino;
    const target = w.file('target.txt', 'the link target\n');
    symlinkSync('../target.txt', join(out, 'link.out'));
    symlinkSync('../nowhere.txt', join(out, 'dangling.out'));
    for (const name of ['existing.out', 'link.out', 'dangling.out']) {
      const args = command(`out/${name}`);
      expectOk(await w.run([...args, '--force']));
      const path = join(out, name);
      const st = lstatSync(path);
      expect(st.isFile(), `${name} is a regular file now`).toBe(true);
      expect(st.mode & 0o777).toBe(0o600);
      looksWritten(args, path);
    }
    expect(statSync(existing).ino).not.toBe(oldIno);
    expect(readFileSync(keep, 'utf8')).toBe('old\n');
    expect(statSync(keep).mode & 0o777).toBe(0o644);
    expect(readFileSync(target, 'utf8')).toBe('the link target\n');
    expect(existsSync(join(w.dir, 'nowhere.txt'))).toBe(false);
    expect(entries(out)).toEqual(['dangling.out', 'existing.out', 'link.out']);
    // A new name needs no --force, and leaves that one file only.
    const fresh = join(w.dir, 'fresh');
    mkdirSync(fresh);
    expectOk(await w.run(command('fresh/new.out')));
    expect(entries(fresh)).toEqual(['new.out']);
    expect(statSync(join(fresh, 'new.out')).mode & 0o777).toBe(0o600);
  });

  it.skipIf(!IS_ROOT)('never writes into another user\'s file: refused without --force, replaced by a new file of ours with it (needs root to chown)', async () => {
    const { w, out } = await outWorld();
    const theirs = fileWithMode(join(out, 'theirs.out'), 'not yours\n', 0o644);
    chownSync(theirs, NOBODY, NOBODY);
    const keep = join(w.dir, 'theirs-keep');
    linkSync(theirs, keep);
    const before = await snapshot(w);
    expectRefused(await w.run(command('out/theirs.out')));
    expect(await snapshot(w)).toEqual(before);
    expect(readFileSync(theirs, 'utf8')).toBe('not yours\n');
    expect(statSync(theirs).uid).toBe(NOBODY);
    expectOk(await w.run([...command('out/theirs.out'), '--force']));
    const st = statSync(theirs);
    expect({ uid: st.uid, mode: st.mode & 0o777 }).toEqual({ uid: 0, mode: 0o600 });
    expect(readFileSync(keep, 'utf8')).toBe('not yours\n');
    expect(statSync(keep).uid).toBe(NOBODY);
    expect(entries(out)).toEqual(['theirs.out']);
  });
});

describe('apply --secrets-out: no member is created whose temporary password is lost', () => {
  it('refuses a missing folder before any member is added, on a real apply and on a dry run alike (INVALID_INPUT, exit 2)', async () => {
    const { w } = await outWorld();
    for (const extra of [[], ['--dry-run'], ['--yes', '--json']]) {
      const r = expectRefused(await w.run(['apply', 'roster.csv', '--secrets-out', 'missing/dir/s.csv', ...extra]));
      expect(r.err).toMatch(/missing\/dir/);
    }
    expect(await w.emails()).toEqual([ADMIN]);
    expect(existsSync(join(w.dir, 'missing'))).toBe(false);
    // Once the folder exists, the same command adds Bob and writes his password.
    mkdirSync(join(w.dir, 'missing', 'dir'), { recursive: true });
    expectOk(await w.run(['apply', 'roster.csv', '--secrets-out', 'missing/dir/s.csv']));
    expect(await w.emails()).toEqual([ADMIN, BOB].sort());
    expect(readFileSync(join(w.dir, 'missing/dir/s.csv'), 'utf8')).toMatch(new RegExp(`^email,temporaryPassword\n${BOB},\\S{10,}\n$`));
  });

  it('applies nothing when the passwords cannot be written (the file is written before the apply commits), and leaves no partial file', async () => {
    // ~150 KiB of passwords, past a 64 KiB file size limit. On PostgreSQL only the passwords file
    // meets the limit; on SQLite the workspace's own journal would too, had the file not failed first.
    const { w, out } = await bigWorld();
    const before = await snapshot(w);
    const r = await runLimited(w, ['apply', 'big.csv', '--secrets-out', 'out/s.csv'], 64);
    expect(r.code, describeRun(r)).not.toBe(0);
    expect(r.errCode(), describeRun(r)).not.toBe('INTERNAL');
    expect(await snapshot(w)).toEqual(before);
    expect(entries(out)).toEqual([]);
    expectOk(await w.run(['apply', 'big.csv', '--secrets-out', 'out/s.csv']));
    expect(readFileSync(join(out, 's.csv'), 'utf8').trim().split('\n')).toHaveLength(3001);
    expect(entries(out)).toEqual(['s.csv']);
  });
});

describe('a write that fails midway leaves nothing behind', () => {
  // A file size limit (ulimit -f 64: 64 KiB) makes the write fail part way through, as a full disk would.
  it.each([
    ['export -o', ['export', '-o', 'out/roster.csv']],
    ['backup', ['backup', 'out/backup.db']],
    ['workspace copy', ['workspace', 'copy', 'out/copy.db']],
  ])('%s: no truncated file, no temp file, and the retry needs no --force', async (_name, args) => {
    const { w, out } = await bigWorld();
    expectOk(await w.run(['apply', 'big.csv']));
    const r = await runLimited(w, args, 64);
    expect(r.code, describeRun(r)).not.toBe(0);
    expect(r.errCode(), describeRun(r)).not.toBe('INTERNAL');
    expect(entries(out)).toEqual([]);
    expectOk(await w.run(args));
    expect(entries(out)).toHaveLength(1);
  });
});

describe('backup and workspace copy onto files', () => {
  it('backup into a missing folder or onto an existing file is refused (INVALID_INPUT, exit 2); with --force the copy replaces the file and opens as the workspace', async () => {
    const { w, out } = await outWorld();
    expectOk(await w.run(['apply', 'roster.csv']));
    expectRefused(await w.run(['backup', 'nope/b.db']));
    expect(existsSync(join(w.dir, 'nope'))).toBe(false);
    const dest = join(out, 'b.db');
    expectOk(await w.run(['backup', dest]));
    const first = readFileSync(dest);
    expectRefused(await w.run(['backup', dest]));
    expect(readFileSync(dest).equals(first)).toBe(true);
    expectOk(await w.run(['member', 'remove', BOB, '--reason', 'left']));
    expectOk(await w.run(['backup', dest, '--force']));
    const emails = expectOk(await w.run(['member', 'list', '--json'], { env: { ROLLCALL_WORKSPACE: dest } })).json().map((m: any) => m.email);
    expect(emails).toEqual([ADMIN]);
    expect(statSync(dest).mode & 0o777).toBe(0o600);
    expect(entries(out)).toEqual(['b.db']);
  });

  it('workspace copy onto an existing file is refused (INVALID_INPUT, exit 2); with --force the copy replaces it and its audit chain verifies', async () => {
    const { w, out } = await outWorld();
    const dest = fileWithMode(join(out, 'c.db'), 'an older file\n', 0o644);
    expectRefused(await w.run(['workspace', 'copy', dest]));
    expect(readFileSync(dest, 'utf8')).toBe('an older file\n');
    expectOk(await w.run(['workspace', 'copy', dest, '--force']));
    expectOk(await w.run(['audit', 'verify'], { env: { ROLLCALL_WORKSPACE: dest } }));
    expect(statSync(dest).mode & 0o777).toBe(0o600);
    expect(entries(out)).toEqual(['c.db']);
    // A journal left beside a new name belongs to some other database: SQLite would replay it into the copy.
    const stale = w.file('out/d.db-wal', 'a journal of another database\n');
    expectRefused(await w.run(['workspace', 'copy', join(out, 'd.db')]));
    expect(readFileSync(stale, 'utf8')).toBe('a journal of another database\n');
    expectOk(await w.run(['workspace', 'copy', join(out, 'd.db'), '--force']));
    expectOk(await w.run(['audit', 'verify'], { env: { ROLLCALL_WORKSPACE: join(out, 'd.db') } }));
    expect(entries(out)).toEqual(['c.db', 'd.db']);
  });
});
