// A roster as the planner sees it, whatever file it came from: rows with their place in the file.
export { listCell, textCell } from './formats/cells.js';

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

export interface RosterFile {
  format: RosterFormat;
  rows: RosterRow[];
  /** Orgs the file lists (YAML/JSON `orgs`): created if missing. */
  orgs: string[];
  /** Problems found while reading, as `FILE:LINE: message`. */
  problems: string[];
  /** Things a person should know that are not errors (SCIM groups not imported). */
  notes: string[];
}

export const FORMATS = ['csv', 'yaml', 'json', 'google', 'entra', 'scim'] as const;
export type RosterFormat = (typeof FORMATS)[number];
