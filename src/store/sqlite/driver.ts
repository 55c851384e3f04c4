import type Database from 'better-sqlite3';
import { inLists, insertSql, upsertSql, type Row, type SqlDriver } from '../sql/driver.js';

// better-sqlite3 is synchronous: each call runs at once; the promise only fits the shared interface.
// Bulk paths are loops over one prepared statement, measured as SQLite's fastest way in.
export class SqliteDriver implements SqlDriver {
  private readonly statements = new Map<string, Database.Statement>();
  /** Statements returning rows as arrays (raw mode sticks to a statement: these are kept apart). */
  private readonly rawStatements = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database) {}

  oneOf(column: string, values: readonly string[]) {
    return inLists(column, values);
  }

  prepare(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
  async all(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.prepare(sql).all(...params) as Row[];
  }
  async arrays(sql: string, params: unknown[] = []): Promise<unknown[][]> {
    let s = this.rawStatements.get(sql);
    if (!s) {
      s = this.db.prepare(sql).raw(true);
      this.rawStatements.set(sql, s);
    }
    return s.all(...params) as unknown[][];
  }
  async run(sql: string, params: unknown[] = []): Promise<void> {
    this.prepare(sql).run(...params);
  }
  /** Rows as arrays (`raw`), stepped as consumed: no row objects, no array of every row at once. */
  async *scan(sql: string, params: unknown[], batchSize: number): AsyncGenerator<unknown[][]> {
    // Its own statement, not the cache's: a statement stepping through rows cannot run anything else.
    const rows = this.db.prepare(sql).raw(true).iterate(...params) as IterableIterator<unknown[]>;
    try {
      let batch: unknown[][] = [];
      for (const row of rows) {
        batch.push(row);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } finally {
      rows.return?.(); // abandoned mid-way: the statement is reset, the connection free again
    }
  }
  async insertRows(table: string, columns: readonly string[], rows: Iterable<unknown[]>): Promise<void> {
    let s: Database.Statement | null = null;
    for (const r of rows) (s ??= this.prepare(insertSql(table, columns))).run(r);
  }
  async upsertRows(table: string, columns: readonly string[], key: readonly string[], rows: unknown[][]): Promise<void> {
    if (!rows.length) return;
    const s = this.prepare(upsertSql(table, columns, key));
    for (const r of rows) s.run(...r);
  }
}
