// What a roster format is to the registry (formats/index.ts). Types only, and no package: the
// registry and every format file must stay cheap to import, because the CLI lists the formats'
// names at start-up. The packages a parser or writer needs (csv-parse, yaml, csv-stringify) are
// handed to it as `libs` by parse.ts and export.ts, which are imported only when a roster is read
// or written.
import type { stringify } from 'csv-stringify/sync';
import type * as Yaml from 'yaml';
import type { MemberView } from '../../members/views.js';
import type { RosterRead } from '../roster-file.js';
import type * as CsvTable from './csv-table.js';

/**
 * How a format recognises a file, strongest first: `content` is a signature only that format has
 * (Entra's first line, Google's header, SCIM's `schemas` key); `name` is a weaker hint (the file's
 * extension, the look of extension-less text). parseRoster takes the first format, in registry
 * order, that recognises the file by content, else the first that does by name, else the default.
 */
export type Recognition = 'content' | 'name';

/** The file as detection sees it: computed once, shared by every format's `detect`. */
export interface RosterProbe {
  readonly text: string;
  /** The file's name as given (`<stdin>` for standard input). */
  readonly file: string;
  /** The first line, without its line break. */
  readonly firstLine: string;
  /** The name's extension, lower case, without the dot; undefined for `<stdin>` and names without one. */
  readonly ext: string | undefined;
  /** JSON by name: a `.json` file, or a name without extension whose text starts with `{` or `[`. */
  readonly jsonish: boolean;
  /** The parsed JSON when `jsonish` and the text parses; undefined otherwise. Parsed once, on first use. */
  json(): { value: unknown } | undefined;
}

/** The packages parsers use, handed in so that format files need not import them. */
export interface ParseLibs {
  /** readCsv / csvTable / readCsvTable: CSV records with line numbers and the usual problems (csvTable's body read once, as it is parsed). */
  csv: Pick<typeof CsvTable, 'readCsv' | 'readCsvTable' | 'csvTable'>;
  yaml: typeof Yaml;
}

/** The packages writers use. */
export interface ExportLibs {
  stringifyCsv: typeof stringify;
  yaml: Pick<typeof Yaml, 'stringify'>;
}

/** How `export` was asked to write. */
export interface ExportOptions {
  /** Cells a spreadsheet would run as formulas get a leading `'` (formats meant for spreadsheets: CSV). */
  formulaSafe?: boolean;
}

/** What `export` writes: every member not removed, and every org path (sorted). */
export interface ExportData {
  members: MemberView[];
  orgs: string[];
}

/** What a streaming writer's head is told: every org path (sorted); the number of members when `counted`, else 0. */
export interface ExportHead {
  orgs: string[];
  count: number;
}

/**
 * A writer that streams: `export`'s text, written as the head, then each batch of members (in
 * order, never an empty batch), then the tail. Their concatenation is exactly `export`'s text.
 */
export interface RosterStream {
  /** The head needs the number of members (SCIM's totalResults): the exporter counts them first. */
  readonly counted?: boolean;
  head(h: ExportHead): string;
  members(batch: MemberView[], first: boolean): string;
  tail(count: number): string;
}

/** The whole text of a streaming writer at once: `export` for a format that streams. */
export function streamedText(stream: RosterStream, { members, orgs }: ExportData): string {
  const n = members.length;
  return stream.head({ orgs, count: n }) + (n ? stream.members(members, true) : '') + stream.tail(n);
}

/**
 * Pretty-printed JSON (two spaces, as JSON.stringify(doc, null, 2)) of a document whose last key
 * holds the members' array, written a batch at a time: JSON.stringify's own text, cut at the array.
 */
export function jsonStream(key: string, doc: (h: ExportHead) => Record<string, unknown>, item: (v: MemberView) => unknown, counted = false): RosterStream {
  const open = `{\n  ${JSON.stringify(key)}: [`;
  const close = '\n  ]\n}';
  return {
    counted,
    head: (h) => {
      const text = JSON.stringify({ ...doc(h), [key]: [] }, null, 2);
      return text.slice(0, text.length - ']\n}'.length); // up to the array's `[`
    },
    members: (batch, first) => (first ? '' : ',') + JSON.stringify({ [key]: batch.map(item) }, null, 2).slice(open.length, -close.length),
    tail: (count) => (count ? '\n  ]\n}\n' : ']\n}\n'),
  };
}

export interface RosterFormatDef<N extends string = string> {
  /** The `--format` value, and RosterFile.format. */
  readonly name: N;
  /** One line, for help and documentation. */
  readonly description: string;
  /** Extensions (lower case, no dot) that select this format by name; export's default for `-o FILE`. */
  readonly extensions?: readonly string[];
  /** Recognises a file by its content or name beyond `extensions`; undefined when it does not. */
  detect?(probe: RosterProbe): Recognition | undefined;
  /** Text → rows; problems are collected in the result, not thrown. */
  parse(text: string, file: string, libs: ParseLibs): RosterRead;
  /** Rows → text that `parse` reads back as `No changes.`; absent when `export` cannot write the format. */
  export?(data: ExportData, libs: ExportLibs, opts?: ExportOptions): string;
  /** The same text, a batch of members at a time (`export` holds every member and the whole text at once). */
  stream?(libs: ExportLibs, opts?: ExportOptions): RosterStream;
}

/** A read with nothing in it yet, for a parser to fill. */
export function emptyRead(): RosterRead {
  return { rows: [], orgs: [], problems: [], notes: [] };
}

/** Types a format definition, keeping its name as a literal (so RosterFormat stays a union). */
export function defineFormat<const N extends string>(def: RosterFormatDef<N>): RosterFormatDef<N> {
  return def;
}
