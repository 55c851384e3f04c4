// Issue 18 (4): expected failures are not bugs. A full disk or a server's limits on the workspace
// are WORKSPACE_UNAVAILABLE (exit 6), a writer held up by another is BUSY (exit 5), never INTERNAL
// (exit 70); and a refused write leaves the workspace as it was.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAN_MOUNT, fillDisk, withTmpfs } from '../helpers/mounts.js';
import { stateOf } from '../helpers/state.js';
import { runAsAnotherUser } from '../helpers/users.js';
import { ADMIN, BACKEND, PG_SERVER, PW, World, describeRun, expectError, expectOk } from '../helpers/world.js';

const BIG = 4000;

/** A roster of n new members, in the World's own folder (not on the small disk). */
function bigRoster(w: World, n = BIG): string {
  return w.file('big.csv', 'email,name\n' + Array.from({ length: n }, (_, i) => `user${i}@acme.example,User Number ${i}`).join('\n') + '\n');
}

function psql(url: string, query: string): string {
  const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql failed (${query}): ${r.stderr}`);
  return r.stdout.trim();
}

/** The OS user id the PostgreSQL server runs as, when its data directory is on this machine. */
const PG_OWNER: number | null = (() => {
  if (BACKEND !== 'pg' || !CAN_MOUNT) return null;
  try {
    return statSync(psql(`${PG_SERVER}/postgres`, 'SHOW data_directory')).uid;
  } catch {
    return null;
  }
})();

/**
 * A second session that holds a lock (its SQL ends in the lock) until released: another writer, or
 * a DBA's maintenance, as rollcall's statements meet them.
 */
async function holdLock(url: string, sql: string): Promise<{ release(): Promise<void> }> {
  const p: ChildProcessWithoutNullStreams = spawn('psql', [url, '-qAt', '-v', 'ON_ERROR_STOP=1'], { stdio: 'pipe' });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  p.stderr.on('data', (d) => { out += d; });
  p.stdin.write(`SET statement_timeout = 0; BEGIN; ${sql}; SELECT 'held';\n`);
  for (let i = 0; !out.includes('held'); i++) {
    if (i > 200 || p.exitCode !== null) throw new Error(`could not take the lock: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    release: async () => {
      p.stdin.end('ROLLBACK;\n');
      if (p.exitCode === null) await new Promise((r) => p.on('exit', r));
    },
  };
}

describe('a full disk under a SQLite workspace', () => {
  it.skipIf(BACKEND === 'pg' || !CAN_MOUNT)('a large apply that fills the disk: WORKSPACE_UNAVAILABLE (exit 6), nothing written, the chain intact (SQLite, needs a tmpfs mount)', async () => {
    const w = await World.ready();
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '100000']));
    const roster = bigRoster(w);
    const small = join(w.dir, 'small');
    await withTmpfs(small, 'size=640k', async () => {
      for (const f of readdirSync(w.dir).filter((f) => f.startsWith('ws.db'))) copyFileSync(join(w.dir, f), join(small, f));
      w.ws = join(small, 'ws.db');
      const before = stateOf(w);
      const r = expectError(await w.run(['apply', roster, '--json']), 6, 'WORKSPACE_UNAVAILABLE');
      expect(r.error()?.message ?? '', describeRun(r)).toMatch(/full/);
      expect(r.error()?.hint ?? '', describeRun(r)).toMatch(/space/);
      expect(stateOf(w)).toBe(before);
      expectOk(await w.run(['audit', 'verify']));
      expectOk(await w.run(['member', 'add', 'bob@acme.example', '--name', 'Bob'])); // a small change still fits
    });
  });

  it.skipIf(BACKEND === 'pg' || !CAN_MOUNT)('init on a full disk: WORKSPACE_UNAVAILABLE (exit 6), and no file is left to block the retry (SQLite, needs a tmpfs mount)', async () => {
    const w = new World();
    const small = join(w.dir, 'small');
    await withTmpfs(small, 'size=64k', async () => {
      w.ws = join(small, 'ws.db');
      const init = ['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', ADMIN, '--password-stdin', '--json'];
      expectError(await w.run(init, { input: PW + '\n', token: null }), 6, 'WORKSPACE_UNAVAILABLE');
      expect(readdirSync(small)).toEqual([]);
      expect(existsSync(join(w.cfg(), 'sessions.json'))).toBe(false);
    });
    await withTmpfs(small, 'size=4m', async () => {
      await w.init([], { real: true });
      expect(await w.emails()).toEqual([ADMIN]);
    });
  });

  it.skipIf(BACKEND === 'pg' || !CAN_MOUNT)('a workspace on a read-only file system: reads work, writes are exit 6 saying so (SQLite, needs a tmpfs mount)', async () => {
    const w = await World.ready();
    const ro = join(w.dir, 'ro');
    await withTmpfs(ro, 'size=1m', async () => {
      for (const f of readdirSync(w.dir).filter((f) => f.startsWith('ws.db'))) copyFileSync(join(w.dir, f), join(ro, f));
      spawnSync('mount', ['-o', 'remount,ro', ro]);
      w.ws = join(ro, 'ws.db');
      // A reader needs no write access (read-only.ts); a writer is told why it cannot write.
      expect(expectOk(await w.run(['member', 'list', '--json'])).json()).toHaveLength(1);
      const r = expectError(await w.run(['member', 'add', 'bob@acme.example', '--name', 'Bob', '--json']), 6, 'WORKSPACE_UNAVAILABLE');
      expect(r.error()?.message ?? '', describeRun(r)).toMatch(/read-only|may not write/);
    });
  });
});

describe('a workspace file rollcall may not use', () => {
  it.skipIf(BACKEND === 'pg')('a workspace file that may not be written (0444) or read (0000): exit 6 saying which, and nothing changes (SQLite only)', async () => {
    const w = await World.ready();
    const before = stateOf(w);
    for (const [mode, args, reason] of [
      [0o444, ['member', 'add', 'bob@acme.example', '--name', 'Bob', '--json'], /may not write/],
      [0o000, ['member', 'list', '--json'], /no permission to read/],
    ] as const) {
      chmodSync(w.ws, mode);
      const r = expectError(await runAsAnotherUser(w, [...args]), 6, 'WORKSPACE_UNAVAILABLE');
      expect(r.error()?.message ?? '', describeRun(r)).toMatch(reason);
    }
    chmodSync(w.ws, 0o600);
    expect(stateOf(w)).toBe(before);
  });
});

describe('workspace paths that cannot be a workspace (SQLite only: PostgreSQL workspaces are URLs)', () => {
  const init = ['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', ADMIN, '--password-stdin', '--json'];
  it.skipIf(BACKEND === 'pg')('init under a path that is a file, or at a symbolic link to nothing: WORKSPACE_UNAVAILABLE (exit 6) saying which, and nothing is made', async () => {
    const w = new World();
    const file = w.file('plain', 'x');
    symlinkSync(join(w.dir, 'gone', 'ws.db'), join(w.dir, 'link.db'));
    for (const [ws, reason] of [[join(file, 'ws.db'), /plain is a file, not a folder/], [join(w.dir, 'link.db'), /symbolic link to .*gone.*does not exist/]] as const) {
      w.ws = ws;
      const r = expectError(await w.run(init, { input: PW + '\n', token: null }), 6, 'WORKSPACE_UNAVAILABLE');
      expect(r.error()?.message ?? '', describeRun(r)).toMatch(reason);
    }
    expect(readdirSync(w.dir).filter((f) => f !== 'cfg-admin').sort()).toEqual(['link.db', 'plain']);
    expect(readdirSync(w.cfg())).toEqual([]); // the config folder was checked first, and holds no session
  });
});

describe('a full disk under a PostgreSQL workspace', () => {
  it.skipIf(PG_OWNER === null)('a large apply that fills the server\'s disk (53100 disk_full): WORKSPACE_UNAVAILABLE (exit 6), nothing written (PostgreSQL on this machine, needs a tmpfs mount)', async () => {
    const w = await World.ready();
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '100000']));
    const roster = bigRoster(w);
    const base = mkdtempSync(join(tmpdir(), 'rc-pgfull-'));
    chmodSync(base, 0o755); // the server's user must reach the tablespace
    const space = `rc_full_${w.dbName}`;
    try {
      await withTmpfs(base, `size=1m,mode=0700,uid=${PG_OWNER}`, async () => {
        psql(`${PG_SERVER}/postgres`, `CREATE TABLESPACE ${space} LOCATION '${base}'`);
        try {
          psql(w.ws, `ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE ${space}; ALTER INDEX ALL IN TABLESPACE pg_default SET TABLESPACE ${space}`);
          const before = stateOf(w);
          const r = expectError(await w.run(['apply', roster, '--json']), 6, 'WORKSPACE_UNAVAILABLE');
          expect(r.error()?.message ?? '', describeRun(r)).toMatch(/disk|space/);
          expect(stateOf(w)).toBe(before);
          expectOk(await w.run(['audit', 'verify']));
        } finally {
          psql(`${PG_SERVER}/postgres`, `DROP DATABASE IF EXISTS ${w.dbName} WITH (FORCE)`);
          psql(`${PG_SERVER}/postgres`, `DROP TABLESPACE IF EXISTS ${space}`);
        }
      });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('a PostgreSQL role without the privileges', () => {
  it.skipIf(BACKEND !== 'pg')('init and commands as a role that may not create or read the tables (42501): WORKSPACE_UNAVAILABLE (exit 6) saying so, and nothing is created (PostgreSQL only)', async () => {
    const w = new World();
    w.ensureDb();
    const role = `rc_weak_${w.dbName}`;
    psql(`${PG_SERVER}/postgres`, `CREATE ROLE ${role} LOGIN`);
    try {
      psql(w.ws, 'REVOKE CREATE ON SCHEMA public FROM PUBLIC');
      const weak = w.ws.replace('//postgres@', `//${role}@`);
      const init = ['init', '--name', 'Acme', '--domain', 'acme.example', '--admin', ADMIN, '--password-stdin', '--json'];
      const r = expectError(await w.run(['-w', weak, ...init], { input: PW + '\n', token: null }), 6, 'WORKSPACE_UNAVAILABLE');
      expect(r.error()?.message ?? '', describeRun(r)).toMatch(/permission denied/);
      expect(psql(w.ws, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).toBe('0');
      await w.init([], { real: true }); // the owner can, and finds nothing in the way
      const list = expectError(await w.run(['-w', weak, 'member', 'list', '--json']), 6, 'WORKSPACE_UNAVAILABLE');
      expect(list.error()?.message ?? '', describeRun(list)).toMatch(/permission denied/);
    } finally {
      psql(`${PG_SERVER}/postgres`, `DROP DATABASE IF EXISTS ${w.dbName} WITH (FORCE)`);
      psql(`${PG_SERVER}/postgres`, `DROP ROLE IF EXISTS ${role}`);
    }
  });
});

describe('PostgreSQL statement_timeout and lock waits', () => {
  it.skipIf(BACKEND !== 'pg')('a write cut off by the server\'s statement_timeout (57014) is WORKSPACE_UNAVAILABLE (exit 6) naming it, and writes nothing (PostgreSQL only)', async () => {
    const w = await World.ready();
    psql(w.ws, `ALTER DATABASE ${w.dbName} SET statement_timeout = '300ms'`);
    const before = stateOf(w);
    // Maintenance holds the audit table: the write gets its chain lock, then waits at the audit insert.
    const hold = await holdLock(w.ws, 'LOCK TABLE audit IN EXCLUSIVE MODE');
    let r;
    try {
      r = await w.run(['member', 'add', 'bob@acme.example', '--name', 'Bob', '--json']);
    } finally {
      await hold.release();
    }
    expectError(r, 6, 'WORKSPACE_UNAVAILABLE');
    expect(r.error()?.message ?? '', describeRun(r)).toMatch(/statement_timeout/);
    expect(stateOf(w)).toBe(before);
  });

  it.skipIf(BACKEND !== 'pg')('a read cut off by statement_timeout is WORKSPACE_UNAVAILABLE (exit 6) (PostgreSQL only)', async () => {
    const w = await World.ready();
    psql(w.ws, `ALTER DATABASE ${w.dbName} SET statement_timeout = '300ms'`);
    const hold = await holdLock(w.ws, 'LOCK TABLE members IN ACCESS EXCLUSIVE MODE');
    let r;
    try {
      r = await w.run(['member', 'list', '--json']);
    } finally {
      await hold.release();
    }
    expectError(r, 6, 'WORKSPACE_UNAVAILABLE');
    expect(r.error()?.message ?? '', describeRun(r)).toMatch(/statement_timeout/);
  });

  it.skipIf(BACKEND !== 'pg')('a writer that statement_timeout cuts off while another writer holds the workspace is BUSY (exit 5), and writes nothing (PostgreSQL only)', async () => {
    const w = await World.ready();
    psql(w.ws, `ALTER DATABASE ${w.dbName} SET statement_timeout = '300ms'`);
    const before = stateOf(w);
    const hold = await holdLock(w.ws, 'SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE');
    let r;
    try {
      r = await w.run(['member', 'add', 'bob@acme.example', '--name', 'Bob', '--json']);
    } finally {
      await hold.release();
    }
    expectError(r, 5, 'BUSY');
    expect(stateOf(w)).toBe(before);
    // Once the other writer is done, the same write goes through.
    expectOk(await w.run(['member', 'add', 'bob@acme.example', '--name', 'Bob']));
  });
});
