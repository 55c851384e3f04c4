// What the shared SQL layer needs from a database connection. SQL is written with `?` placeholders;
// a driver rewrites them for its dialect. Bulk methods exist so that no backend pays a round trip per row.
export type Row = Record<string, any>;

export interface SqlDriver {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Like all, each row as an array of its column values in SELECT order: no object per row, for large reads. */
  arrays(sql: string, params?: unknown[]): Promise<unknown[][]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  /** Inserts many rows into one table, taking them one at a time (a generator's rows are never all held at once). */
  insertRows(table: string, columns: readonly string[], rows: Iterable<unknown[]>): Promise<void>;
  /** Inserts or replaces many rows, matched by the key columns. */
  upsertRows(table: string, columns: readonly string[], key: readonly string[], rows: unknown[][]): Promise<void>;
  /**
   * A query's rows as arrays of column values, in batches of up to `batchSize`, read as they are
   * consumed (SQLite: one stepping statement; PostgreSQL: a cursor in the open transaction). No other
   * statement runs on the connection until the scan ends or is abandoned (`break`, a throw).
   */
  scan(sql: string, params: unknown[], batchSize: number): AsyncGenerator<unknown[][]>;
  /**
   * `column` is one of `values`, as few conditions as the dialect allows, each with its parameters:
   * SQLite binds one parameter per value (IN lists of at most 500); PostgreSQL binds the whole list
   * as one array (`= ANY`), which it plans once however long the list is.
   */
  oneOf(column: string, values: readonly string[]): Array<{ sql: string; params: unknown[] }>;
}

/** IN lists of at most `size` values each: what a dialect without array parameters does. */
export function inLists(column: string, values: readonly string[], size = 500): Array<{ sql: string; params: unknown[] }> {
  return chunks(values, size).map((c) => ({ sql: `${column} IN ${placeholders(c.length)}`, params: c }));
}

/**
 * Rows per batch of a scan: small enough that a batch dies young (no old-generation garbage), large
 * enough that PostgreSQL makes few round trips.
 */
export const SCAN_BATCH = 1000;

/** A scan's batches of arrays, each row made a record by `of`. */
export async function* mapBatches<T>(batches: AsyncIterable<unknown[][]>, of: (values: any[]) => T): AsyncGenerator<T[]> {
  for await (const batch of batches) yield batch.map(of);
}

/** `(?, ?, ?)` for an IN list. */
export function placeholders(n: number): string {
  return '(' + Array(n).fill('?').join(', ') + ')';
}

/** The items as rows, one at a time. */
export function* mapped<T>(items: Iterable<T>, row: (item: T) => unknown[]): Generator<unknown[]> {
  for (const item of items) yield row(item);
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function upsertSql(table: string, columns: readonly string[], key: readonly string[], rowCount = 1): string {
  const values = Array(rowCount).fill(placeholders(columns.length)).join(', ');
  const updates = columns.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
  const conflict = updates.length ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING';
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values} ON CONFLICT (${key.join(', ')}) ${conflict}`;
}

export function insertSql(table: string, columns: readonly string[], rowCount = 1): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rowCount).fill(placeholders(columns.length)).join(', ')}`;
}
