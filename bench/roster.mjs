// Roster at scale on SQLite (issues 7 and 21): a 100,000-row CSV applied into an empty workspace,
// re-applied unchanged, applied with 1% changed, then the reads on that workspace (export as CSV and
// as YAML, member list --json, audit verify); then support's day: a prune that removes every member
// but the admin, the removed members listed, the batch's audit entries listed, and the batch
// restored in one command; and a 100,000-user Google export applied into another empty one.
// In the same rounds: the floor (raw better-sqlite3), sqlite-utils insert and sqlite3 .import.
// Every round starts from a fresh copy of the empty workspace; each figure is a median of rounds.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, N, RUNS, goal, size, googleCsv, loadavg, ratio, restore, rosterCsv, rounds, setupWorkspace, snapshot, timed } from './lib.mjs';
import { floorCase, peerCase } from './peers.mjs';

/** A workspace at `ws`, initialised once and put back empty before each round's first case. */
export function emptyWorkspace(dir, ws, rows) {
  mkdirSync(dir, { recursive: true });
  const env = setupWorkspace(dir, ws, rows);
  const empty = join(dir, 'empty.db');
  snapshot(ws, empty);
  return { env, reset: () => restore(empty, ws) };
}

export function rosterBench() {
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-roster-'));
  const load = [loadavg()];
  try {
    const { env, reset } = emptyWorkspace(join(dir, 'a'), join(dir, 'ws.db'), N);
    const google = emptyWorkspace(join(dir, 'g'), join(dir, 'google.db'), N);
    const file = join(dir, 'roster.csv');
    const changed = join(dir, 'roster-1pct.csv');
    const gFile = join(dir, 'users.csv');
    const out = join(dir, 'out.csv');
    const outYaml = join(dir, 'out.yaml');
    const adminOnly = join(dir, 'admin-only.csv');
    writeFileSync(adminOnly, 'email,name,role\nadmin@acme.example,admin,admin\n');
    let pruned = ''; // the prune's batch id
    const pruneBatch = () => {
      const [last] = JSON.parse(execFileSync(process.execPath, [BIN, 'audit', 'list', '--action', 'member.remove', '--limit', '1', '--json'], { env, encoding: 'utf8' }));
      pruned = last.batch;
    };
    writeFileSync(file, rosterCsv(N));
    writeFileSync(changed, rosterCsv(N, N / 100));
    writeFileSync(gFile, googleCsv(N));
    const sqliteUtils = peerCase('sqlite-utils', dir, file);
    const sqlite3 = peerCase('sqlite3', dir, file);
    const f = rounds([
      floorCase('floor', 'sqlite', join(dir, 'floor.db'), N),
      sqliteUtils,
      sqlite3,
      { name: 'apply', setup: reset, run: () => timed(['apply', file, '--create-orgs'], env) },
      { name: 'reapply', run: () => timed(['apply', file], env) },
      { name: 'change1pct', run: () => timed(['apply', changed], env) },
      { name: 'export', setup: () => rmSync(out, { force: true }), run: () => timed(['export', '-o', out], env) },
      { name: 'exportYaml', setup: () => rmSync(outYaml, { force: true }), run: () => timed(['export', '--format', 'yaml', '-o', outYaml], env) },
      { name: 'list', run: () => timed(['member', 'list', '--json'], env) },
      { name: 'verify', run: () => timed(['audit', 'verify'], env) },
      { name: 'prune', run: () => timed(['apply', adminOnly, '--prune', '--max-removals', '100%', '--yes'], env) },
      { name: 'listRemoved', setup: pruneBatch, run: () => timed(['member', 'list', '--status', 'deleted', '--json'], env) },
      { name: 'auditBatch', run: () => timed(['audit', 'list', '--batch', pruned, '--limit', String(2 * N), '--json'], env) },
      { name: 'restoreBatch', run: () => timed(['member', 'restore', '--batch', pruned, '--yes'], env) },
      { name: 'googleApply', setup: google.reset, run: () => timed(['apply', gFile, '--create-orgs'], google.env) },
    ]);
    load.push(loadavg());
    const ms = (k) => f[k]?.ms ?? null;
    const floor = ms('floor');
    const ours = ['apply', 'reapply', 'change1pct', 'export', 'exportYaml', 'list', 'verify', 'prune', 'listRemoved', 'auditBatch', 'restoreBatch', 'googleApply'];
    const worst = ours.reduce((a, b) => ((f[b]?.rssMb ?? 0) > (f[a]?.rssMb ?? 0) ? b : a));
    const peak = f[worst]?.rssMb ?? null;
    const K = size(N);
    return {
      name: `roster (SQLite): ${N} rows`,
      rows: N,
      runs: RUNS,
      loadavg: load,
      figures: f,
      peers: { 'sqlite-utils': sqliteUtils.version ?? sqliteUtils.note, sqlite3: sqlite3.version ?? sqlite3.note },
      vsFloor: Object.fromEntries([...ours, 'sqlite-utils', 'sqlite3'].map((k) => [k, ratio(ms(k), floor)])),
      applyVsSqliteUtils: ratio(ms('apply'), ms('sqlite-utils')),
      googleVsCsv: ratio(ms('googleApply'), ms('apply')),
      peakRssMb: { value: peak, command: worst },
      goals: [
        goal(`SQLite ${K} apply`, ms('apply'), 1500, { floor }),
        goal(`SQLite ${K} apply ÷ floor`, ratio(ms('apply'), floor), 2, { unit: '×' }),
        goal(`SQLite ${K} apply vs sqlite-utils insert`, ms('apply'), ms('sqlite-utils'),
          { strict: true, target: `< sqlite-utils (${ms('sqlite-utils') ?? 'n/a'} ms)`, note: sqliteUtils.note }),
        goal(`SQLite ${K} re-apply`, ms('reapply'), 750, { floor }),
        goal(`SQLite ${K} re-apply ÷ floor`, ratio(ms('reapply'), floor), 1, { unit: '×' }),
        goal(`SQLite ${K} apply, 1% changed`, ms('change1pct'), 750, { floor }),
        goal(`SQLite ${K} export`, ms('export'), 500, { floor }),
        goal(`SQLite ${K} member list --json`, ms('list'), 500, { floor }),
        goal(`SQLite ${K} audit verify`, ms('verify'), 500, { floor }),
        goal(`SQLite ${K} peak memory, any command (${worst})`, peak, 250, { unit: 'MB' }),
      ],
      notes: [
        ...(sqliteUtils.note ? [`sqlite-utils ${sqliteUtils.note}`] : []),
        ...(N === 100_000 ? [] : ['BENCH_ROWS is not 100000: the targets in milliseconds and MB are for 100,000 rows']),
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
