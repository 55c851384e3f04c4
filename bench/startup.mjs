// Start-up cost: `rollcall member show X --json` on a 10,000-member workspace, next to bare `node -e ''`,
// interleaved, medians of BENCH_STARTUP_RUNS (30) each. Goal (issue 21): ≤ 1.6× `node -e ''`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BIN, goal, loadavg, median } from './lib.mjs';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS || 30);

function time(cmd, args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export function startupBench() {
  const load = [loadavg()];
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
  const ws = join(dir, 'ws.db');
  const env = { ...process.env, ROLLCALL_WORKSPACE: ws, ROLLCALL_CONFIG_DIR: join(dir, 'cfg'), NO_COLOR: '1', CI: 'true' };
  delete env.ROLLCALL_TOKEN;
  execFileSync(process.execPath, [BIN, 'init', '--name', 'Bench', '--domain', 'acme.example', '--admin', 'admin@acme.example', '--seat-limit', '20000', '--password-stdin'], { env, input: 'Adm1nPassw0rd!\n' });
  const token = JSON.parse(execFileSync(process.execPath, [BIN, 'token', 'create', '--name', 'bench', '--json'], { env })).token;
  // 10,000 members written straight into the file: the benchmark measures reading, not adding.
  const db = new Database(ws);
  const now = new Date().toISOString();
  const insert = db.prepare(`INSERT INTO members (id, email, name, title, org_id, org_ids, role, scope, registered, created_at, updated_at)
    VALUES (?, ?, ?, ?, NULL, '[]', 'viewer', '[]', 1, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < 10_000; i++) insert.run(`m_bench${i}`, `user${i}@acme.example`, `User ${i}`, 'Staff', now, now);
  })();
  db.close();
  const runEnv = { ...env, ROLLCALL_TOKEN: token };
  const args = [BIN, 'member', 'show', 'user5000@acme.example', '--json'];
  for (let i = 0; i < 3; i++) { time(process.execPath, ['-e', ''], runEnv); time(process.execPath, args, runEnv); } // warm the page cache
  const bare = [], rc = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(time(process.execPath, ['-e', ''], runEnv));
    rc.push(time(process.execPath, args, runEnv));
  }
  rmSync(dir, { recursive: true, force: true });
  load.push(loadavg());
  const b = median(bare), r = median(rc);
  const ratio = +(r / b).toFixed(2);
  return {
    name: 'startup: member show --json, 10k members', runs: RUNS, loadavg: load, nodeMs: +b.toFixed(1), rollcallMs: +r.toFixed(1), ratio,
    goals: [goal(`start-up ÷ node -e '' (${r.toFixed(0)} vs ${b.toFixed(0)} ms)`, ratio, 1.6, { unit: '×' })],
  };
}
