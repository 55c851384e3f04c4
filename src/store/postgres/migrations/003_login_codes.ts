// Append-only: never edit a migration that has landed; add the next one.
// As sqlite/migrations/003_login_codes.ts: the pending sign-in codes of two-step sign-in, one per
// member, hashed. Text columns COLLATE "C" as in 001; IF NOT EXISTS, as the SQLite one.
const T = 'TEXT COLLATE "C"';

export default `
CREATE TABLE IF NOT EXISTS login_codes (member_id ${T} PRIMARY KEY, hash ${T} NOT NULL, created_at ${T} NOT NULL, expires_at ${T} NOT NULL);
`;
