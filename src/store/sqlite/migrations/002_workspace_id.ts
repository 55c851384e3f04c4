// Append-only: never edit a migration that has landed; add the next one.
// The workspace id (SPEC §14, saved plans): `ws_` and 128 random bits in hex, kept in meta. A new
// workspace gets one here too, as it is created. Idempotent: a workspace that has one keeps it.
// Copies (a file copied, `backup`, `workspace copy`) carry the meta row, so a copy keeps the id.
export default `
INSERT INTO meta (key, value) VALUES ('workspace_id', 'ws_' || lower(hex(randomblob(16)))) ON CONFLICT (key) DO NOTHING;
`;
