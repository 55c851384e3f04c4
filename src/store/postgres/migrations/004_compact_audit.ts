// Append-only: never edit a migration that has landed; add the next one.
// As sqlite/migrations/004_compact_audit.ts: new entries in a compact `audit` (each field once, the
// hash as 32 bytes, the batch as a range of seqs in audit_batches); the entries from before keep
// their rows, untouched, in audit_v1 (a rename: no row copied or rewritten, every hash kept). Its
// indexes are renamed with it, so that the new table's take the usual names. Body stays TEXT, never
// jsonb: the hash covers the text as written, and jsonb would reorder its keys.
const T = 'TEXT COLLATE "C"';

export default `
ALTER TABLE audit RENAME TO audit_v1;
ALTER TABLE audit_v1 RENAME CONSTRAINT audit_pkey TO audit_v1_pkey;
ALTER INDEX audit_batch RENAME TO audit_v1_batch;
CREATE TABLE audit (
  seq BIGINT PRIMARY KEY, at ${T} NOT NULL, actor ${T}, action ${T} NOT NULL, target ${T} NOT NULL,
  body ${T} NOT NULL, hash BYTEA NOT NULL
);
CREATE TABLE audit_batches (first_seq BIGINT PRIMARY KEY, last_seq BIGINT NOT NULL, batch ${T} NOT NULL);
CREATE INDEX audit_batches_batch ON audit_batches (batch);
`;
