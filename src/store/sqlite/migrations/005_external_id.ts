// Append-only: never edit a migration that has landed; add the next one.
// The provisioning client's id for a member or a group (SCIM `externalId`, RFC 7643 §3.1): stored as
// the identity provider sends it, matched by `filter=externalId eq "…"`. Versions 3 and 4 belong to
// other changes: a version is a name, and a workspace records the last one it has.
export default `
ALTER TABLE members ADD COLUMN external_id TEXT;
ALTER TABLE workgroups ADD COLUMN external_id TEXT;
CREATE INDEX members_external_id ON members (external_id) WHERE external_id IS NOT NULL;
`;
