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
  /** Two-step sign-in, as written (true/false, on/off, yes/no, 1/0; empty is off): row-checks.ts reads it. */
  twoFactor?: string | null;
}

export interface RosterRow {
  /**
   * Where the row stands, for messages: `FILE: members[3]` while its line is unknown. Absent when
   * `line` tells it (`FILE:LINE`, see whereOf): a million-row CSV need not hold a million of them.
   */
  where?: string;
  /** The line the row starts on; absent when the format cannot tell cheaply (JSON: see RosterRead.lineOf). */
  line?: number;
  /** Where in a document without lines it stands (`members[3]`, `Resources[0]`); named in its problems. */
  at?: string;
  email: string;
  id?: string | null;
  /**
   * The id may be another workspace's (a SCIM file exported elsewhere): it matches a member when
   * this workspace knows it; otherwise the row matches by email.
   */
  idMayBeForeign?: true;
  /** The file asks for this member's removal (an Entra bulk-delete file, a SCIM DELETE): no fields. */
  remove?: true;
  /**
   * The row changes a member and never adds one (a SCIM PATCH, which carries only what changes):
   * a row that finds no member is a problem. Like a removal, it may name its member by `id` alone
   * (`email` empty) when the id is this workspace's.
   */
  changeOnly?: true;
  /** A key present means the file has that column; null or '' clears an optional field. */
  fields: RosterFields;
}

/** Something wrong with a roster, at a place in it. */
export interface RosterProblem {
  /** `FILE:LINE`, `FILE: members[3]`, or `FILE` for the whole file. */
  where: string;
  /** The line it is on, when known: CI jobs annotate it. */
  line: number | null;
  message: string;
  /** A problem with the file as a whole (not a roster of its format) or with its header: not with a row. */
  kind?: 'file' | 'header';
}

/** What a format's parser reads from a file; parseRoster adds the format's name. */
export interface RosterRead {
  rows: RosterRow[];
  /** Orgs the file lists (YAML/JSON `orgs`): created if missing. */
  orgs: string[];
  /** Problems found while reading. */
  problems: RosterProblem[];
  /** Things a person should know that are not errors (SCIM groups not imported). */
  notes: string[];
  /**
   * Set when the file is one part of a directory (a page of a SCIM ListResponse): what part. Its
   * rows add and change; pruning by it would remove everyone on the other parts, so it may not.
   */
  partial?: string;
  /**
   * The line a row starts on, for formats whose parser does not know it (JSON.parse keeps no
   * positions): worked out only when a problem needs it. Not part of a saved plan.
   */
  lineOf?: (row: RosterRow) => number | undefined;
}

export interface RosterFile extends RosterRead {
  /** The name of the format it was read as (formats/index.ts lists them). */
  format: string;
  /** The file's name as given (`<stdin>` for standard input), for messages. */
  file: string;
}

/** A problem at `FILE:LINE` (or the whole FILE when line is null). */
export function problemAt(file: string, line: number | null, message: string, kind?: RosterProblem['kind']): RosterProblem {
  return { where: line === null ? file : `${file}:${line}`, line, message, ...(kind ? { kind } : {}) };
}

/** Where a row of `file` stands, for messages: `FILE:LINE`, or as the row says. */
export function whereOf(file: string, row: RosterRow): string {
  return row.where ?? (row.line !== undefined ? `${file}:${row.line}` : file);
}

/** A problem at a row of `roster`, at its line when the roster can tell. */
export function rowProblem(roster: RosterFile, row: RosterRow, message: string): RosterProblem {
  const line = row.line ?? roster.lineOf?.(row);
  if (line === undefined) return { where: whereOf(roster.file, row), line: null, message };
  return problemAt(roster.file, line, row.at ? `${row.at}: ${message}` : message);
}

/** Problems in file order: the whole file's first, then by line; found order within a line. */
export function inFileOrder(problems: readonly RosterProblem[]): RosterProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || memberIndex(a) - memberIndex(b));
}

/**
 * Within a line, the member a problem's path names (`members[12].title: …`, `[3]: …`): a JSON
 * roster on one line has all its problems on line 1, found in two passes (reading, then planning).
 */
function memberIndex(p: RosterProblem): number {
  const m = /^(?:members)?\[(\d+)\]/.exec(p.message);
  return m ? Number(m[1]) : -1;
}

/** `FILE:LINE: message`, the way problems are printed. */
export function problemText(p: RosterProblem): string {
  return `${p.where}: ${p.message}`;
}
