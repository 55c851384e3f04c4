// The PostgreSQL workspace's schema version: reading it, and migrating to ours (migrations/).
import type pg from 'pg';
import { MIGRATIONS } from './migrations/index.js';

/** A stable advisory-lock key per schema, so that migrations of different workspaces do not wait on each other. */
export function lockKey(schema: string): number {
  let h = 0x5eed;
  for (const ch of 'rollcall:' + schema) h = (Math.imul(h, 31) + ch.codePointAt(0)!) | 0;
  return h;
}

export async function metaExists(client: pg.Client, schema: string): Promise<boolean> {
  const r = await client.query("SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = $1 AND tablename = 'meta'", [schema]);
  return r.rows.length > 0;
}

/** The version in meta; null without a meta table or without the key. */
export async function schemaVersion(client: pg.Client, schema: string): Promise<number | null> {
  if (!(await metaExists(client, schema))) return null;
  const r = await client.query("SELECT value FROM meta WHERE key = 'schema_version'");
  return r.rows.length ? Number(r.rows[0].value) : null;
}

/** Applies every migration past `from`, in the open transaction. */
export async function applyMigrations(client: pg.Client, from: number) {
  for (const m of MIGRATIONS.filter((m) => m.version > from)) {
    await client.query(m.sql); // several statements: the simple protocol runs them in order
    await client.query("INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(m.version)]);
  }
}
