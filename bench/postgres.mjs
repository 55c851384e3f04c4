// PostgreSQL at scale (issues 11 and 21): a 100,000-row apply into an empty workspace and its
// re-apply, next to the floor: the same member and audit rows written with raw COPY in one
// transaction (bench/floor.mjs), each round on new databases, medians of rounds.
// Needs a server: ROLLCALL_TEST_PG (`eval "$(bash scripts/pg-server.sh start)"`); without one, or
// when it does not answer, the suite is skipped with a note. Its databases are dropped afterwards.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { N, RUNS, goal, size, loadavg, ratio, rosterCsv, rounds, setupWorkspace, timed } from './lib.mjs';
import { floorCase } from './peers.mjs';

const NAME = `roster (PostgreSQL): ${N} rows`;
const psql = (url, sql) => execFileSync('psql', [`${url}/postgres`, '-qAtc', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function reachable(url) {
  if (!url) return 'skipped: no server (set ROLLCALL_TEST_PG: eval "$(bash scripts/pg-server.sh start)")';
  const r = spawnSync('psql', [`${url}/postgres`, '-qAtc', 'select 1'], { encoding: 'utf8' });
  if (r.error) return `skipped: psql not found (${r.error.message})`;
  return r.status === 0 ? null : `skipped: the server at ${url} did not answer: ${r.stderr.trim()}`;
}

export async function postgresBench() {
  const url = process.env.ROLLCALL_TEST_PG?.replace(/\/+$/, '');
  const skip = reachable(url);
  if (skip) return { name: NAME, skipped: true, notes: [skip], goals: [] };
  const load = [loadavg()];
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-pg-'));
  const tag = `${process.pid}_${Date.now() % 1e6}`;
  const dbs = [];
  const createDb = (name) => {
    psql(url, `create database ${name}`);
    dbs.push(name);
    return `${url}/${name}`;
  };
  try {
    const file = join(dir, 'roster.csv');
    writeFileSync(file, rosterCsv(N));
    let env, floorDb;
    const f = rounds([
      floorCase('floor', 'pg', () => floorDb, N, { setup: (r) => { floorDb = createDb(`rc_bench_floor_${tag}_${r}`); } }),
      { name: 'apply', setup: (r) => {
        const cfg = join(dir, `r${r}`);
        mkdirSync(cfg, { recursive: true });
        env = setupWorkspace(cfg, createDb(`rc_bench_ws_${tag}_${r}`), N);
      }, run: () => timed(['apply', file, '--create-orgs'], env) },
      { name: 'reapply', run: () => timed(['apply', file], env) },
    ]);
    load.push(loadavg());
    const ms = (k) => f[k]?.ms ?? null;
    const floor = ms('floor');
    const rss = [f.apply?.rssMb ?? 0, f.reapply?.rssMb ?? 0];
    const peak = Math.max(...rss) || null;
    const version = psql(url, 'show server_version').trim();
    const fsync = psql(url, 'show fsync').trim();
    return {
      name: NAME, rows: N, runs: RUNS, loadavg: load, server: { version, fsync }, figures: f,
      vsFloor: { apply: ratio(ms('apply'), floor), reapply: ratio(ms('reapply'), floor) },
      peakRssMb: { value: peak, command: rss[0] >= rss[1] ? 'apply' : 'reapply' },
      goals: [
        goal(`PostgreSQL ${size(N)} apply ÷ COPY floor`, ratio(ms('apply'), floor), 1.5, { unit: '×' }),
        goal(`PostgreSQL ${size(N)} re-apply ÷ COPY floor`, ratio(ms('reapply'), floor), 0.5, { unit: '×' }),
        goal(`PostgreSQL ${size(N)} peak memory`, peak, 250, { unit: 'MB' }),
      ],
      notes: fsync === 'off' ? ['the server runs with fsync off (scripts/pg-server.sh): the floor and rollcall alike'] : [],
    };
  } finally {
    for (const db of dbs) spawnSync('psql', [`${url}/postgres`, '-qAtc', `drop database if exists ${db}`], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}
