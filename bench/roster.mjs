// Roster at scale (issue 7): a 100,000-row CSV applied into an empty workspace, re-applied, changed by
// 1%, exported, next to the floor: the same member and audit rows inserted with raw better-sqlite3.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const BIN = join(ROOT, 'bin/rollcall');
const N = Number(process.env.BENCH_ROWS || 100_000);

export function rosterCsv(n, changed = 0) {
  const lines = ['email,name,title,org'];
  for (let i = 0; i < n; i++) lines.push(`user${i}@acme.example,User ${i},${i < changed ? 'Lead' : 'Staff'},Dept${i % 50}`);
  return lines.join('\n') + '\n';
}

/** Runs the CLI under /usr/bin/time: wall milliseconds and peak RSS in MB. */
export function timed(args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 10) throw new Error(`rollcall ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const rssKb = Number(r.stderr.trim().split('\n').pop());
  return { ms: Math.round(ms), rssMb: Math.round(rssKb / 1024) };
}

export function setupWorkspace(dir, ws) {
  const env = { ...process.env, ROLLCALL_WORKSPACE: ws, ROLLCALL_CONFIG_DIR: join(dir, 'cfg'), NO_COLOR: '1', CI: 'true' };
  delete env.ROLLCALL_TOKEN;
  execFileSync(process.execPath, [BIN, 'init', '--name', 'Bench', '--domain', 'acme.example', '--admin', 'admin@acme.example', '--seat-limit', String(N * 2), '--password-stdin'], { env, input: 'Adm1nPassw0rd!\n' });
  return env;
}

function floor(dir) {
  const db = new Database(join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE members (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, title TEXT, org_id TEXT, org_ids TEXT NOT NULL, role TEXT NOT NULL, scope TEXT NOT NULL, registered INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE audit (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, target TEXT NOT NULL, batch TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);`);
  const t = process.hrtime.bigint();
  const now = new Date().toISOString();
  const m = db.prepare('INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const a = db.prepare('INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    let prev = '';
    for (let i = 0; i < N; i++) {
      const id = 'm_' + randomBytes(8).toString('hex');
      const email = `user${i}@acme.example`;
      m.run(id, email, `User ${i}`, 'Staff', null, '[]', 'viewer', '[]', 0, now, now);
      const body = JSON.stringify({ action: 'member.add', target: email, after: { email, name: `User ${i}`, title: 'Staff' } });
      const hash = createHash('sha256').update(prev + '\n' + body).digest('hex');
      a.run(i + 1, now, 'admin@acme.example', 'member.add', email, 'b', body, prev, hash);
      prev = hash;
    }
  })();
  db.close();
  return Math.round(Number(process.hrtime.bigint() - t) / 1e6);
}

/** The same people as a Google Workspace "Download users" export (§13). */
export function googleCsv(n) {
  const lines = ['First Name [Required],Last Name [Required],Email Address [Required],Password [Required],Org Unit Path [Required],Employee Title,Status [READ ONLY]'];
  for (let i = 0; i < n; i++) lines.push(`User,${i},user${i}@acme.example,****,/Dept${i % 50},Staff,Active`);
  return lines.join('\n') + '\n';
}

export function rosterBench() {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-roster-'));
  try {
    const env = setupWorkspace(dir, join(dir, 'ws.db'));
    const file = join(dir, 'roster.csv');
    writeFileSync(file, rosterCsv(N));
    const a = timed(['apply', file, '--create-orgs'], env);
    const b = timed(['apply', file], env);
    writeFileSync(file, rosterCsv(N, N / 100));
    const c = timed(['apply', file], env);
    const d = timed(['export', '-o', join(dir, 'out.csv')], env);
    const f = floor(dir);
    // A 100,000-user Google export into a fresh workspace: the same budget as our own CSV.
    const gDir = mkdtempSync(join(tmpdir(), 'rc-bench-google-'));
    const gEnv = setupWorkspace(gDir, join(gDir, 'ws.db'));
    writeFileSync(join(gDir, 'users.csv'), googleCsv(N));
    const g = timed(['apply', join(gDir, 'users.csv'), '--create-orgs'], gEnv);
    rmSync(gDir, { recursive: true, force: true });
    return {
      name: `roster (SQLite): ${N} rows`, applyMs: a.ms, reapplyMs: b.ms, change1pctMs: c.ms, exportMs: d.ms, googleApplyMs: g.ms, floorMs: f,
      applyVsFloor: +(a.ms / f).toFixed(2), peakRssMb: Math.max(a.rssMb, b.rssMb, c.rssMb, d.rssMb),
      targets: 'apply ≤ 3000 ms and ≤ 4× floor; re-apply ≤ 1500; 1% ≤ 1500; export ≤ 1000; RSS ≤ 400 MB',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
