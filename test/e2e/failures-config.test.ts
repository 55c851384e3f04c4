// Issue 18 (4): expected failures are not bugs. A config folder (where sessions are kept) that
// cannot be used is INVALID_INPUT (exit 2) naming the folder and the fix, never INTERNAL (exit 70);
// init leaves no workspace behind that would block its retry; parallel logins keep every session.
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAN_MOUNT, fillDisk, withTmpfs } from '../helpers/mounts.js';
import { stateOf } from '../helpers/state.js';
import { runAsAnotherUser } from '../helpers/users.js';
import { ADMIN, BACKEND, BIN, PW, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const INIT = ['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', ADMIN, '--password-stdin', '--json'];

/** login as the admin with this config folder. */
function login(w: World, cfg: string): Promise<Result> {
  return w.run(['login', ADMIN, '--password-stdin', '--json'], { input: PW + '\n', token: null, env: { ROLLCALL_CONFIG_DIR: cfg } });
}

/** login as the admin, as a user whom permissions stop. */
function loginAsAnotherUser(w: World, cfg: string): Promise<Result> {
  return runAsAnotherUser(w, ['login', ADMIN, '--password-stdin', '--json'], { input: PW + '\n', token: null, env: { ROLLCALL_CONFIG_DIR: cfg } });
}

/** The refusal names the folder and says how to fix it. */
function expectConfigError(r: Result, folder: string, reason: RegExp) {
  expectError(r, 2, 'INVALID_INPUT');
  const e = r.error()!;
  expect(e.message, describeRun(r)).toContain(folder);
  expect(e.message, describeRun(r)).toMatch(reason);
  expect(e.hint ?? '', describeRun(r)).toContain('ROLLCALL_CONFIG_DIR');
}

/** Whether this World has a workspace: SQLite a file, PostgreSQL rollcall's tables. */
async function workspaceExists(w: World): Promise<boolean> {
  const r = await w.run(['member', 'list', '--json'], { token: 'rc_x' });
  return r.errCode() !== 'WORKSPACE_NOT_FOUND';
}

const leftovers = (dir: string) => readdirSync(dir).filter((f) => /\.(tmp|lock|stale)$/.test(f));

describe('a config folder that cannot be used', () => {
  const cases: Array<[string, (w: World) => string, RegExp]> = [
    ['a file', (w) => w.file('cfg-file', 'not a folder'), /is a file/],
    ['a symbolic link to nothing', (w) => { const p = join(w.dir, 'cfg-link'); symlinkSync(join(w.dir, 'gone', 'cfg'), p); return p; }, /symbolic link to .*gone.*does not exist/],
    ['a path under a file', (w) => join(w.file('plain', 'x'), 'rollcall'), /is a file/],
  ];
  for (const [what, make, reason] of cases) {
    it(`login with ${what} as ROLLCALL_CONFIG_DIR: INVALID_INPUT (exit 2) naming it, and nothing changes`, async () => {
      const w = await World.ready();
      const cfg = make(w);
      const before = stateOf(w);
      expectConfigError(await login(w, cfg), cfg, reason);
      expect(stateOf(w)).toBe(before);
    });
  }

  it.skipIf(!CAN_MOUNT)('login with a config folder on a read-only file system: INVALID_INPUT (exit 2), nothing changes (needs a tmpfs mount)', async () => {
    const w = await World.ready();
    const ro = join(w.dir, 'ro');
    await withTmpfs(ro, 'ro,size=64k', async () => {
      const before = stateOf(w);
      expectConfigError(await login(w, ro), ro, /read-only/);
      expectConfigError(await login(w, join(ro, 'rollcall')), join(ro, 'rollcall'), /read-only/);
      expect(stateOf(w)).toBe(before);
    });
  });

  it('login with a config folder it may not write (another user\'s): INVALID_INPUT (exit 2), nothing changes', async () => {
    const w = await World.ready();
    const cfg = join(w.dir, 'locked');
    mkdirSync(cfg, { mode: 0o555 });
    const before = stateOf(w);
    try {
      expectConfigError(await loginAsAnotherUser(w, cfg), cfg, /permission/);
      expectConfigError(await loginAsAnotherUser(w, join(cfg, 'sub')), join(cfg, 'sub'), /permission to create folders in/);
    } finally {
      chmodSync(cfg, 0o700);
    }
    expect(stateOf(w)).toBe(before);
  });

  it('init with a config path that is a file: INVALID_INPUT (exit 2), no workspace is created, and the retry works', async () => {
    const w = new World();
    const cfg = w.file('cfg-file', 'not a folder');
    expectConfigError(await w.run(INIT, { input: PW + '\n', token: null, env: { ROLLCALL_CONFIG_DIR: cfg } }), cfg, /is a file/);
    expect(await workspaceExists(w)).toBe(false);
    if (!w.isPg) expect(existsSync(w.ws)).toBe(false);
    expect(readFileSync(cfg, 'utf8')).toBe('not a folder');
    await w.init([], { real: true });
    expect(await w.emails()).toEqual([ADMIN]);
  });

  it.skipIf(!CAN_MOUNT)('init when the session cannot be written (a full disk): INVALID_INPUT (exit 2), the workspace is discarded, and the retry works (needs a tmpfs mount)', async () => {
    const w = new World();
    const cfg = w.cfg();
    await withTmpfs(cfg, 'size=64k', async () => {
      const filler = fillDisk(cfg);
      const r = expectError(await w.run(INIT, { input: PW + '\n', token: null }), 2, 'INVALID_INPUT');
      expect(r.error()!.message, describeRun(r)).toMatch(/full.*not created/);
      expect(await workspaceExists(w)).toBe(false);
      expect(leftovers(cfg)).toEqual([]);
      rmSync(filler);
      await w.init([], { real: true });
      expect(await w.emails()).toEqual([ADMIN]);
    });
  });
});

describe('the session file', () => {
  it.skipIf(!CAN_MOUNT)('login on a full disk: INVALID_INPUT (exit 2), the stored sessions are kept as they were, no temp file is left (needs a tmpfs mount)', async () => {
    const w = await World.ready();
    const cfg = join(w.dir, 'small');
    await withTmpfs(cfg, 'size=64k', async () => {
      expectOk(await login(w, cfg));
      const sessions = readFileSync(join(cfg, 'sessions.json'), 'utf8');
      const filler = fillDisk(cfg);
      const r = await login(w, cfg);
      expectConfigError(r, cfg, /full/);
      expect(readFileSync(join(cfg, 'sessions.json'), 'utf8')).toBe(sessions);
      expect(leftovers(cfg)).toEqual([]);
      rmSync(filler);
      expectOk(await w.run(['whoami'], { token: null, env: { ROLLCALL_CONFIG_DIR: cfg } }));
    });
  });

  it('8 logins in parallel processes sharing one config folder keep all 8 sessions, and leave no temp or lock file', async () => {
    const worlds = await Promise.all(Array.from({ length: 8 }, () => World.ready()));
    const cfg = join(worlds[0].dir, 'shared-cfg');
    // Many sessions already (other workspaces'): each read-modify-write takes a while, as races need.
    const others = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`/elsewhere/ws-${i}.db`, { email: `u${i}@x.example`, token: `rs_${i}`, expiresAt: '2030-01-07T21:00:00.000Z' }]));
    mkdirSync(cfg);
    writeFileSync(join(cfg, 'sessions.json'), JSON.stringify(others), { mode: 0o600 });
    const runs = await Promise.all(worlds.map((w) => execa(process.execPath, [BIN, 'login', ADMIN, '--password-stdin'], {
      env: w.envFor({ token: null, env: { ROLLCALL_CONFIG_DIR: cfg } }), extendEnv: false, input: PW + '\n', cwd: w.dir, reject: false,
    })));
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(join(cfg, 'sessions.json'), 'utf8')))).toHaveLength(30_000 + 8);
    for (const w of worlds) expectOk(await w.run(['whoami'], { token: null, env: { ROLLCALL_CONFIG_DIR: cfg } }));
    expect(leftovers(cfg)).toEqual([]);
  });

  it('a lock left by a writer that crashed does not block login', async () => {
    const w = await World.ready();
    const cfg = join(w.dir, 'cfg-crashed');
    mkdirSync(cfg);
    const lock = join(cfg, 'sessions.json.lock');
    writeFileSync(lock, '999999999 some-host\n');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expectOk(await login(w, cfg));
    expect(leftovers(cfg)).toEqual([]);
    expectOk(await w.run(['whoami'], { token: null, env: { ROLLCALL_CONFIG_DIR: cfg } }));
  });
});

describe.skipIf(BACKEND === 'pg')('workspace paths (SQLite only: PostgreSQL workspaces are URLs)', () => {
  it('init in a folder that does not exist: WORKSPACE_UNAVAILABLE (exit 6) naming the folder', async () => {
    const w = new World();
    w.ws = join(w.dir, 'missing', 'ws.db');
    const r = expectError(await w.run(INIT, { input: PW + '\n', token: null }), 6, 'WORKSPACE_UNAVAILABLE');
    expect(r.error()!.message, describeRun(r)).toContain(`the folder ${join(w.dir, 'missing')} does not exist`);
    expect(existsSync(join(w.cfg(), 'sessions.json'))).toBe(false);
  });
});
