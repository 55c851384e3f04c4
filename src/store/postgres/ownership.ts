// Direct access to a PostgreSQL workspace, for break-glass commands (recover): a role that owns the
// workspace's tables (or a member of that role, or a superuser), as a database owner would be.
import type pg from 'pg';

/** Why the connected role does not own the workspace's tables in `schema`, or null when it does. */
export async function tableOwnerProblem(client: pg.Client, schema: string): Promise<string | null> {
  const { rows } = await client.query(
    `SELECT t.tableowner AS owner, current_user AS me, pg_has_role(current_user, t.tableowner, 'MEMBER') AS owns
       FROM pg_catalog.pg_tables t WHERE t.schemaname = $1 AND t.tablename = 'members'`, [schema]);
  const row = rows[0] as { owner: string; me: string; owns: boolean } | undefined;
  if (!row) return `no rollcall tables in the schema "${schema}"`;
  return row.owns ? null : `the role "${row.me}" does not own the workspace's tables (their owner is "${row.owner}")`;
}
