// PostgreSQL at scale (issue 11): a 100,000-row apply into an empty workspace and its re-apply,
// next to the floor: the same member and audit rows written with raw COPY in one transaction.
// Uses ROLLCALL_TEST_PG (a server URL) if set, else starts a throwaway server (scripts/pg-server.sh).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { rosterCsv, setupWorkspace, timed } from './roster.mjs';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const N = Number(process.env.BENCH_ROWS || 100_000);

function server() {
  if (process.env.ROLLCALL_TEST_PG) return { url: process.env.ROLLCALL_TEST_PG, stop: () => {} };
  const out = execFileSync('bash', [join(ROOT, 'scripts/pg-server.sh'), 'start'], { encoding: 'utf8' });
  const url = /ROLLCALL_TEST_PG=(\S+)/.exec(out)[1].replace(/['"]/g, '');
  return { url, stop: () => spawnSync('bash', [join(ROOT, 'scripts/pg-server.sh'), 'stop'], { stdio: 'ignore' }) };
}

function createDb(url, name) {
  execFileSync('psql', [`${url}/postgres`, '-qAtc', `create database ${name}`]);
  return `${url}/${name}`;
}

async function floor(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE members (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL, title TEXT, org_id TEXT, org_ids TEXT NOT NULL, role TEXT NOT NULL, scope TEXT NOT NULL, registered INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE audit (seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, target TEXT NOT NULL, batch TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);`);
  const now = new Date().toISOString();
  const q = (s) => '"' + String(s).replace(/"/g, '""') + '"';
  const t = process.hrtime.bigint();
  await client.query('BEGIN');
  const members = [];
  const audit = [];
  let prev = '';
  for (let i = 0; i < N; i++) {
    const email = `user${i}@acme.example`;
    members.push([`m_${randomBytes(8).toString('hex')}`, email, `User ${i}`, 'Staff', '', '[]', 'viewer', '[]', 0, now, now].map(q).join(',') + '\n');
    const body = JSON.stringify({ action: 'member.add', target: email, after: { email, name: `User ${i}`, title: 'Staff' } });
    const hash = createHash('sha256').update(prev + '\n' + body).digest('hex');
    audit.push([i + 1, now, 'admin@acme.example', 'member.add', email, 'b', body, prev, hash].map(q).join(',') + '\n');
    prev = hash;
  }
  await pipeline(Readable.from(members), client.query(copyStreams.from('COPY members FROM STDIN WITH (FORMAT csv)')));
  await pipeline(Readable.from(audit), client.query(copyStreams.from('COPY audit FROM STDIN WITH (FORMAT csv)')));
  await client.query('COMMIT');
  const ms = Math.round(Number(process.hrtime.bigint() - t) / 1e6);
  await client.end();
  return ms;
}

export async function postgresBench() {
  const srv = server();
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-pg-'));
  try {
    const tag = `${process.pid}_${Date.now() % 1e6}`;
    const ws = createDb(srv.url, `rc_bench_${tag}`);
    const env = setupWorkspace(dir, ws);
    const file = join(dir, 'roster.csv');
    writeFileSync(file, rosterCsv(N));
    const a = timed(['apply', file, '--create-orgs'], env);
    const b = timed(['apply', file], env);
    const f = await floor(createDb(srv.url, `rc_floor_${tag}`));
    return {
      name: `roster (PostgreSQL): ${N} rows`, applyMs: a.ms, reapplyMs: b.ms, floorMs: f, applyVsFloor: +(a.ms / f).toFixed(2),
      peakRssMb: Math.max(a.rssMb, b.rssMb), targets: 'apply ≤ 4× floor; re-apply ≤ 3000 ms',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    srv.stop();
  }
}
