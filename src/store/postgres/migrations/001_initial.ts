// Append-only: never edit a migration that has landed; add the next one.
// The same tables, columns and indexes as sqlite/migrations/001_initial.ts, in PostgreSQL's dialect.
// Portable on purpose (SPEC §11): TEXT ids and ISO timestamps, INTEGER 0/1 for booleans, JSON as
// canonical TEXT (JSONB would reorder keys and break the audit hashes), no expression indexes.
// Every text column is COLLATE "C": SQLite compares TEXT bytewise, and a database created with a
// linguistic default (en_US.UTF-8 on most managed servers) would otherwise sort names, emails and
// ISO timestamps differently from a SQLite workspace and from a copy of it.
const T = 'TEXT COLLATE "C"';

export default `
CREATE TABLE meta (key ${T} PRIMARY KEY, value ${T} NOT NULL);
CREATE TABLE domains (domain ${T} PRIMARY KEY, added_at ${T} NOT NULL);
CREATE TABLE members (
  id ${T} PRIMARY KEY,
  email ${T} NOT NULL UNIQUE,
  name ${T} NOT NULL,
  title ${T},
  org_id ${T},
  org_ids ${T} NOT NULL DEFAULT '[]',
  role ${T} NOT NULL,
  scope ${T} NOT NULL DEFAULT '[]',
  registered INTEGER NOT NULL DEFAULT 0,
  suspended_at ${T},
  suspended_reason ${T},
  deleted_at ${T},
  removed_by ${T},
  removed_batch ${T},
  start_date ${T},
  two_factor INTEGER NOT NULL DEFAULT 0,
  created_at ${T} NOT NULL,
  updated_at ${T} NOT NULL
);
CREATE INDEX members_deleted ON members (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE TABLE credentials (
  member_id ${T} PRIMARY KEY,
  password_hash ${T},
  password_set_at ${T},
  temp_hash ${T},
  temp_issued_at ${T},
  failed_logins INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE password_history (member_id ${T} NOT NULL, n INTEGER NOT NULL, hash ${T} NOT NULL, set_at ${T} NOT NULL, PRIMARY KEY (member_id, n));
CREATE TABLE sessions (hash ${T} PRIMARY KEY, member_id ${T} NOT NULL, created_at ${T} NOT NULL, expires_at ${T} NOT NULL);
CREATE INDEX sessions_member ON sessions (member_id);
CREATE TABLE tokens (
  id ${T} PRIMARY KEY, name ${T} NOT NULL, member_id ${T} NOT NULL, hash ${T} NOT NULL UNIQUE,
  created_at ${T} NOT NULL, expires_at ${T}, revoked_at ${T}
);
CREATE INDEX tokens_member ON tokens (member_id);
CREATE TABLE invites (
  id ${T} PRIMARY KEY, member_id ${T} NOT NULL, hash ${T} NOT NULL UNIQUE, created_at ${T} NOT NULL,
  expires_at ${T} NOT NULL, used_at ${T}, revoked_at ${T}
);
CREATE INDEX invites_member ON invites (member_id);
CREATE TABLE orgs (id ${T} PRIMARY KEY, parent_id ${T} NOT NULL DEFAULT '', name ${T} NOT NULL, created_at ${T} NOT NULL, UNIQUE (parent_id, name));
CREATE TABLE roles (name ${T} PRIMARY KEY, permissions ${T} NOT NULL, created_at ${T} NOT NULL);
CREATE TABLE workgroups (
  id ${T} PRIMARY KEY, name ${T} NOT NULL UNIQUE, description ${T}, internal_only INTEGER NOT NULL DEFAULT 0,
  suspended INTEGER NOT NULL DEFAULT 0, owner_id ${T} NOT NULL, created_at ${T} NOT NULL, updated_at ${T} NOT NULL
);
CREATE TABLE group_members (group_id ${T} NOT NULL, member_id ${T} NOT NULL, role ${T} NOT NULL, PRIMARY KEY (group_id, member_id));
CREATE INDEX group_members_member ON group_members (member_id);
CREATE TABLE purged (email ${T} PRIMARY KEY, member_id ${T} NOT NULL, deleted_at ${T}, purged_at ${T} NOT NULL);
CREATE INDEX purged_member ON purged (member_id);
CREATE TABLE audit (
  seq BIGINT PRIMARY KEY, at ${T} NOT NULL, actor ${T}, action ${T} NOT NULL, target ${T} NOT NULL,
  batch ${T} NOT NULL, body ${T} NOT NULL, prev_hash ${T} NOT NULL, hash ${T} NOT NULL
);
CREATE INDEX audit_batch ON audit (batch);
CREATE TABLE chain_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash ${T} NOT NULL);
INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, '');
`;
