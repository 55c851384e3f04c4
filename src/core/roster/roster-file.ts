// A roster as the planner sees it, whatever file it came from: rows with their place in the file.

export interface RosterFields {
  name?: string | null;
  role?: string | null;
  scope?: string[];
  org?: string | null;
  orgs?: string[];
  title?: string | null;
  status?: string | null;
  startDate?: string | null;
}

export interface RosterRow {
  /** Where the row stands, for messages: `FILE:LINE`, or `FILE: members[3]` for JSON. */
  where: string;
  email: string;
  id?: string | null;
  /** A key present means the file has that column; null or '' clears an optional field. */
  fields: RosterFields;
}

/** What a format's parser reads from a file; parseRoster adds the format's name. */
export interface RosterRead {
  rows: RosterRow[];
  /** Orgs the file lists (YAML/JSON `orgs`): created if missing. */
  orgs: string[];
  /** Problems found while reading, as `FILE:LINE: message`. */
  problems: string[];
  /** Things a person should know that are not errors (SCIM groups not imported). */
  notes: string[];
}

export interface RosterFile extends RosterRead {
  /** The name of the format it was read as (formats/index.ts lists them). */
  format: string;
}
