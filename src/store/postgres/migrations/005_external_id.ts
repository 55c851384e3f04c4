// Append-only: never edit a migration that has landed; add the next one.
// As sqlite/migrations/005_external_id.ts: the provisioning client's id (SCIM externalId) of a
// member or a group, and an index to match members by it. COLLATE "C" as every text column (001).
const T = 'TEXT COLLATE "C"';

export default `
ALTER TABLE members ADD COLUMN external_id ${T};
ALTER TABLE workgroups ADD COLUMN external_id ${T};
CREATE INDEX members_external_id ON members (external_id) WHERE external_id IS NOT NULL;
`;
