// A workspace as a rollcall from before the compact audit format left it (schema version 2):
// test/e2e/audit-upgrade/workspace-v2.json, every table's rows as main's build at c532ee2 wrote them
// (make-fixture.mjs there), and what that build printed of them. oldWorkspace() puts it back under
// the old schema (migration 001, with 002's rows in meta) on the backend under test.
import { chmodSync, readFileSync } from 'node:fs';
import initialPg from '../../src/store/postgres/migrations/001_initial.js';
import initialSqlite from '../../src/store/sqlite/migrations/001_initial.js';
import { World, at } from './world.js';

export interface Fixture {
  token: string;
  early: string;
  final: string;
  removeBatch: string;
  list: Array<Record<string, any>>;
  batchList: unknown[];
  targetList: unknown[];
  groupList: unknown[];
  verify: unknown;
  tables: Record<string, Array<Record<string, unknown>>>;
}
export const OLD_WORKSPACE: Fixture = JSON.parse(readFileSync(new URL('../e2e/audit-upgrade/workspace-v2.json', import.meta.url), 'utf8'));
const literal = (v: unknown) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);

/** A workspace as the old rollcall left it: its schema (migration 001, with 002's row in meta), its rows. */
export function oldWorkspace(): World {
  const w = new World();
  w.ensureDb();
  const rows = Object.entries(OLD_WORKSPACE.tables).flatMap(([table, list]) => list.map((r) => (table === 'chain_head'
    ? `UPDATE chain_head SET seq = ${r.seq}, hash = ${literal(r.hash)} WHERE id = 1`
    : `INSERT INTO ${table} (${Object.keys(r).join(', ')}) VALUES (${Object.values(r).map(literal).join(', ')})`)));
  w.sql([w.isPg ? initialPg : initialSqlite, ...rows].join(';\n'));
  if (!w.isPg) chmodSync(w.ws, 0o600);
  w.token = OLD_WORKSPACE.token;
  w.now = at('+1h');
  return w;
}

