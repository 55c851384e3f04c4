// Whole-workspace copies between any two stores (SQLite ↔ PostgreSQL): `workspace copy` and a
// PostgreSQL `backup`. Raw rows, table by table, so that password hashes, history and the audit
// chain arrive byte for byte; checking the copied chain (audit verify) is the caller's job.
import { fail } from '../core/errors.js';
import { ALL_TABLES } from './sql/tables.js';
import type { Store, TableName } from '../core/store.js';

const PAGE_ROWS = 2000;
// A fresh workspace already has these: its schema version and the empty chain head.
const PRESET_TABLES: readonly TableName[] = ['meta', 'chain_head'];

/**
 * Copies every table of `from` into `to`, which must be empty (no rows beyond what creating it
 * wrote). Reads one consistent snapshot of the source in pages; writes in one destination write
 * transaction, so a failed copy leaves the destination as it was.
 */
export async function copyWorkspace(from: Store, to: Store): Promise<void> {
  if (from === to) throw new Error('copyWorkspace: source and destination are the same store');
  await to.write(async (dst) => {
    for (const table of ALL_TABLES) {
      if (PRESET_TABLES.includes(table)) continue;
      const { rows } = await dst.dumpTable(table, null, 1);
      if (rows.length) {
        fail('ALREADY_EXISTS', `${to.location} is not empty (it has ${table})`, 'copy into a new, empty workspace');
      }
    }
    if ((await dst.auditHead()).seq !== 0) fail('ALREADY_EXISTS', `${to.location} is not empty (it has an audit chain)`, 'copy into a new, empty workspace');
    const dstVersion = (await dst.getMeta()).schema_version;
    await from.read(async (src) => {
      const srcVersion = (await src.getMeta()).schema_version;
      // Both are migrated to this program's version on open, unless the source could not be (this
      // user may only read it, sql/layout.ts): its tables are then laid out as an older version's.
      if (srcVersion !== dstVersion) {
        fail('WORKSPACE_UNAVAILABLE', `cannot copy ${from.location}: it is at schema version ${srcVersion}, and this user may not upgrade it to ${dstVersion}`,
          'run any rollcall command on it once as a user who may write it (that upgrades it), then copy it again');
      }
      for (const table of ALL_TABLES) {
        let after: unknown = null;
        do {
          const page = await src.dumpTable(table, after, PAGE_ROWS);
          // The destination keeps its own schema_version (equal, checked above).
          const rows = table === 'meta' ? page.rows.filter((r) => r.key !== 'schema_version') : page.rows;
          await dst.loadTable(table, rows);
          after = page.next;
        } while (after !== null);
      }
    });
  });
}
