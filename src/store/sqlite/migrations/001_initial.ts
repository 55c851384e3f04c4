// Append-only: never edit a migration that has landed; add the next one.
// Portable on purpose (SPEC §11): TEXT ids and ISO timestamps, 0/1 for booleans, JSON as canonical TEXT.
export default `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE domains (domain TEXT PRIMARY KEY, added_at TEXT NOT NULL);
CREATE TABLE members (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  title TEXT,
  org_id TEXT,
  org_ids TEXT NOT NULL DEFAULT '[]',
  role TEXT NOT NULL,
  scope TEXT NOT NULL DEFAULT '[]',
  registered INTEGER NOT NULL DEFAULT 0,
  suspended_at TEXT,
  suspended_reason TEXT,
  deleted_at TEXT,
  removed_by TEXT,
  removed_batch TEXT,
  start_date TEXT,
  two_factor INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX members_deleted ON members (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE TABLE credentials (
  member_id TEXT PRIMARY KEY,
  password_hash TEXT,
  password_set_at TEXT,
  temp_hash TEXT,
  temp_issued_at TEXT,
  failed_logins INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE password_history (member_id TEXT NOT NULL, n INTEGER NOT NULL, hash TEXT NOT NULL, set_at TEXT NOT NULL, PRIMARY KEY (member_id, n));
CREATE TABLE sessions (hash TEXT PRIMARY KEY, member_id TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE INDEX sessions_member ON sessions (member_id);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, member_id TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL, expires_at TEXT, revoked_at TEXT
);
CREATE INDEX tokens_member ON tokens (member_id);
CREATE TABLE invites (
  id TEXT PRIMARY KEY, member_id TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL, used_at TEXT, revoked_at TEXT
);
CREATE INDEX invites_member ON invites (member_id);
CREATE TABLE orgs (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL DEFAULT '', name TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (parent_id, name));
CREATE TABLE roles (name TEXT PRIMARY KEY, permissions TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE workgroups (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT, internal_only INTEGER NOT NULL DEFAULT 0,
  suspended INTEGER NOT NULL DEFAULT 0, owner_id TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE group_members (group_id TEXT NOT NULL, member_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (group_id, member_id));
CREATE INDEX group_members_member ON group_members (member_id);
CREATE TABLE purged (email TEXT PRIMARY KEY, member_id TEXT NOT NULL, deleted_at TEXT, purged_at TEXT NOT NULL);
CREATE INDEX purged_member ON purged (member_id);
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, target TEXT NOT NULL,
  batch TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX audit_batch ON audit (batch);
CREATE TABLE chain_head (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL);
INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, '');
`;
