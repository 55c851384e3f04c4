// Whole-workspace copies (workspace copy, backup between backends): a table read a keyset page at a
// time, and rows loaded into a fresh workspace.
import type { TableName } from '../../core/store.js';
import type { SqlDriver } from './driver.js';
import { REPLACED_ON_LOAD, TABLE_ORDER, type DumpCursor } from './tables.js';

// Keyset pages with `>=` and a count of rows already emitted at the last key: correct even for
// password_history, whose identical rows a plain `>` would drop. Both backends compare row values
// with the same ordering their ORDER BY uses, so pages neither skip nor repeat rows.
export async function dumpTable(db: SqlDriver, table: TableName, after: unknown, limit: number) {
  const order = TABLE_ORDER[table];
  if (!order) throw new Error(`dumpTable: unknown table ${table}`);
  const cursor = after as DumpCursor | null;
  const cols = order.join(', ');
  const params: unknown[] = [];
  let sql = `SELECT * FROM ${table}`;
  if (cursor) {
    sql += ` WHERE (${cols}) >= (${order.map(() => '?').join(', ')})`;
    params.push(...cursor.key);
  }
  sql += ` ORDER BY ${cols} LIMIT ?`;
  params.push(limit + (cursor?.seen ?? 0));
  const rows = (await db.all(sql, params)).slice(cursor?.seen ?? 0);
  if (rows.length < limit) return { rows, next: null };
  const keyOf = (r: Record<string, unknown>) => order.map((c) => r[c]);
  const same = (a: unknown[], b: unknown[]) => a.every((v, i) => v === b[i]);
  const last = keyOf(rows[rows.length - 1]);
  let seen = 0;
  for (let i = rows.length - 1; i >= 0 && same(keyOf(rows[i]), last); i--) seen++;
  // A page made only of ties with the previous page's last key: those count too.
  if (cursor && same(cursor.key, last)) seen += cursor.seen;
  const next: DumpCursor = { key: last, seen };
  return { rows, next };
}
export async function loadTable(db: SqlDriver, table: TableName, rows: Record<string, unknown>[]) {
  if (!rows.length) return;
  if (!TABLE_ORDER[table]) throw new Error(`loadTable: unknown table ${table}`);
  const columns = Object.keys(rows[0]);
  // Names go into SQL text: only plain column names, never anything a row could smuggle in.
  const bad = columns.find((c) => !/^[a-z_][a-z0-9_]*$/.test(c));
  if (bad !== undefined) throw new Error(`loadTable: bad column name ${JSON.stringify(bad)}`);
  const values = rows.map((r) => columns.map((c) => r[c] ?? null));
  const key = REPLACED_ON_LOAD[table];
  if (key) await db.upsertRows(table, columns, key, values);
  else await db.insertRows(table, columns, values);
}
