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
  /** readCsv / readCsvTable: csv-parse with line numbers and the usual problems. */
  csv: Pick<typeof CsvTable, 'readCsv' | 'readCsvTable'>;
  yaml: typeof Yaml;
}

/** The packages writers use. */
export interface ExportLibs {
  stringifyCsv: typeof stringify;
  yaml: Pick<typeof Yaml, 'stringify'>;
}

/** What `export` writes: every member not removed, and every org path (sorted). */
export interface ExportData {
  members: MemberView[];
  orgs: string[];
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
  export?(data: ExportData, libs: ExportLibs): string;
}

/** A read with nothing in it yet, for a parser to fill. */
export function emptyRead(): RosterRead {
  return { rows: [], orgs: [], problems: [], notes: [] };
}

/** Types a format definition, keeping its name as a literal (so RosterFormat stays a union). */
export function defineFormat<const N extends string>(def: RosterFormatDef<N>): RosterFormatDef<N> {
  return def;
}
