// The roster format registry: every format `apply` reads and `export` writes (SPEC §8, §13).
//
// To add a format: write formats/NAME.ts, whose default export is defineFormat({ name,
// description, extensions?, detect?, parse, export? }) (see format.ts; google.ts is a short
// example); import it here and add it to ROSTER_FORMATS. That is all: --format, detection,
// parsing, export, the USAGE messages, --format's help (formatOptionHelp) and shell completion
// all read this list (test/unit/roster-formats-registry.test.ts adds a format just so).
//
// Keep this module and the format files cheap to import: the CLI reads the names at start-up.
// Format files import no package at run time (`import type` only); their parse and export get
// csv-parse, yaml and csv-stringify as `libs`. A format that needs another package adds it to
// ParseLibs / ExportLibs (format.ts) and to the libs parse.ts / export.ts hand in.
//
// Order matters twice. It is the order help and messages list the formats in. And it is the
// detection order: the first format whose detect() recognises the file by content wins (so a
// Google CSV named users.json is Google's); failing that, the first that recognises it by name
// (extensions, or detect() saying 'name'); failing that, DEFAULT_FORMAT.
import csv from './csv.js';
import entra from './entra.js';
import type { RosterFormatDef } from './format.js';
import gam from './gam.js';
import google from './google.js';
import graph from './graph.js';
import json from './json.js';
import scim from './scim.js';
import yaml from './yaml.js';

export const ROSTER_FORMATS = [csv, yaml, json, google, entra, scim, graph, gam] as const;

export type RosterFormatName = (typeof ROSTER_FORMATS)[number]['name'];

/** For standard input and extensions no format claims, and for export without --format or -o. */
export const DEFAULT_FORMAT: RosterFormatName = 'csv';

/** Every name `apply --format` takes, in registry order. */
export function rosterFormatNames(): RosterFormatName[] {
  return ROSTER_FORMATS.map((f) => f.name);
}

/** The names `export --format` takes: the formats that can be written. */
export function exportFormatNames(): RosterFormatName[] {
  return ROSTER_FORMATS.filter((f: RosterFormatDef) => f.export).map((f) => f.name);
}

/** `a, b or c`. */
export function orList(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The one-line help of `apply --format` and of `export --format`. */
export function formatOptionHelp(command: 'apply' | 'export'): string {
  return command === 'apply'
    ? `${orList(rosterFormatNames())} (default: by content, then extension)`
    : `${orList(exportFormatNames())} (default: by -o extension, else ${DEFAULT_FORMAT})`;
}

/** The format `export -o FILE` writes without --format: the first writable one claiming FILE's extension. */
export function exportFormatFor(file: string | undefined): RosterFormatName {
  const ext = file ? /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase() : undefined;
  const byExt = ext === undefined ? undefined : ROSTER_FORMATS.find((f: RosterFormatDef) => f.export && f.extensions?.includes(ext));
  return byExt?.name ?? DEFAULT_FORMAT;
}
