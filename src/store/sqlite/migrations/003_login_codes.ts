// Append-only: never edit a migration that has landed; add the next one.
// Two-step sign-in (SPEC §14): the code mailed after the password, one per member (a new sign-in
// replaces it), stored as a salted scrypt hash, never the code. The mail settings (smtp_url,
// mail_from) are rows of meta and need no schema. IF NOT EXISTS: running it twice changes nothing.
export default `
CREATE TABLE IF NOT EXISTS login_codes (member_id TEXT PRIMARY KEY, hash TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
`;
