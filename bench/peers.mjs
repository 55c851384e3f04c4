// The floor and the peers of issue 21, as cases for rounds(): each writes a new database per round.
//   floor          bench/floor.mjs: raw better-sqlite3, the same member rows + hash-chained audit rows
//   sqlite-utils   `sqlite-utils insert db members roster.csv --csv` (the bare CSV, no audit, no rules)
//   sqlite3        `sqlite3 db '.import --csv roster.csv members'`
// A peer that is not installed is measured as null, with a note; the bench never fails for it.
import { join } from 'node:path';
import { ROOT, removeDb, timedProcess, which } from './lib.mjs';

const FLOOR = join(ROOT, 'bench/floor.mjs');

/**
 * The floor's own time (its insert, not Node's start-up) and its process's peak RSS. `target` is
 * the database (a SQLite file, removed before each round, or a PostgreSQL URL) or a function
 * giving it, for a `setup` that makes a new one each round.
 */
export function floorCase(name, kind, target, rows, { setup } = {}) {
  const where = () => (typeof target === 'function' ? target() : target);
  return {
    name,
    setup: setup ?? (() => removeDb(where())),
    run: () => {
      const r = timedProcess(process.execPath, [FLOOR, kind, where(), String(rows)], { capture: true });
      return { ms: JSON.parse(r.stdout).ms, rssMb: r.rssMb };
    },
  };
}

export const PEERS = {
  'sqlite-utils': { install: 'apt-get install sqlite-utils', args: (db, csv) => ['insert', db, 'members', csv, '--csv'] },
  sqlite3: { install: 'apt-get install sqlite3', args: (db, csv) => [db, `.import --csv ${csv} members`] },
};

/** A peer's whole process (its start-up included, as the CLI's is), or null when it is not installed. */
export function peerCase(peer, dir, csv) {
  const bin = which(peer);
  const db = join(dir, `${peer}.db`);
  return {
    name: peer,
    note: bin ? undefined : `not installed: ${PEERS[peer].install}`,
    version: bin ? timedProcess(bin, ['--version'], { capture: true }).stdout.trim() : null,
    setup: () => removeDb(db),
    run: () => (bin ? timedProcess(bin, PEERS[peer].args(db, csv)) : null),
  };
}
