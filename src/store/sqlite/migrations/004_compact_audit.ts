// Append-only: never edit a migration that has landed; add the next one.
// The compact audit format (issue 21). Entries written from here on go into a new `audit` table
// that stores each field once: the columns, and in body only what has no column (targetId, before,
// after, reason), with the SHA-256 as 32 bytes and no copy of the previous hash (it is the previous
// row's). An entry's batch is a row of audit_batches, a range of seqs per write, instead of a
// column and a per-row index. Entries from before stay, untouched, in the old format in audit_v1:
// renaming a table rewrites no row, so their hashes (and every head recorded from them) hold, and the
// first new entry chains onto the last old one. Fast whatever the log's size: no row is copied.
export default `
ALTER TABLE audit RENAME TO audit_v1;
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, target TEXT NOT NULL,
  body TEXT NOT NULL, hash BLOB NOT NULL
);
CREATE TABLE audit_batches (first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL, batch TEXT NOT NULL);
CREATE INDEX audit_batches_batch ON audit_batches (batch);
`;
