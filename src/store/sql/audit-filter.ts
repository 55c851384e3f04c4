// The WHERE clause of an audit listing (Tx.listAudit), the same SQL on both backends and for both
// audit tables. The batch is not here: each table finds it its own way (sql/audit.ts).
import type { AuditFilter } from '../../core/store.js';

const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** A LIKE pattern for text found anywhere in a column, with `!` escaping the pattern characters. */
const containing = (text: string) => `%${text.replace(/[!%_]/g, '!$&')}%`;

export function auditWhere(f: Omit<AuditFilter, 'batch'>): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.since) { where.push('at >= ?'); params.push(f.since); }
  if (f.actor === null) where.push('actor IS NULL');
  else if (f.actor) { where.push('actor = ?'); params.push(f.actor); }
  if (f.target) { where.push('target = ?'); params.push(f.target); }
  if (f.action) { where.push('action = ?'); params.push(f.action); }
  if (f.actions) { where.push(f.actions.length ? `action IN (${marks(f.actions)})` : '1 = 0'); params.push(...f.actions); }
  if (f.involving) {
    // The body is JSON text as JSON.stringify wrote it (the whole entry in the old format, targetId,
    // before, after and reason in the compact one): a key and its value appear in it exactly as
    // JSON.stringify writes them, so `"group":"Design"` is found as that text (never as part of a
    // longer string, whose quotes would be escaped).
    const { name, membershipActions: actions } = f.involving;
    if (actions.length) {
      where.push(`(target = ? OR (action IN (${marks(actions)}) AND (body LIKE ? ESCAPE '!' OR body LIKE ? ESCAPE '!')))`);
      params.push(name, ...actions, ...['group', 'member'].map((key) => containing(`${JSON.stringify(key)}:${JSON.stringify(name)}`)));
    } else {
      where.push('target = ?');
      params.push(name);
    }
  }
  return { where, params };
}
