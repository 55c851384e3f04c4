// Append-only: never edit a migration that has landed; add the next one.
// As sqlite/migrations/002_workspace_id.ts: the workspace id, `ws_` and 32 hex digits, in meta;
// a workspace that has one keeps it. md5 over random(), the clock and the backend's pid rather than
// gen_random_uuid(), which servers before PostgreSQL 13 lack: the id must be unique, not secret.
export default `
INSERT INTO meta (key, value)
  VALUES ('workspace_id', 'ws_' || md5(random()::text || ':' || clock_timestamp()::text || ':' || pg_backend_pid()::text))
  ON CONFLICT (key) DO NOTHING;
`;
