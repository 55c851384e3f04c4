// export: every non-deleted member in a roster format that `apply` reads back as `No changes.`
// The writers are the registry's (formats/index.ts); this module hands them their packages. Members
// are read a batch at a time (tx.scanMembers) and written as they come, in the format's own text
// (its `stream`), so that neither every member nor the whole text is ever held at once.
import { stringify } from 'csv-stringify/sync';
import { stringify as toYaml } from 'yaml';
import { everyone, requirePermissionSomewhere, visibleFilter } from '../access/grants.js';
import { fail } from '../errors.js';
import type { Member } from '../model.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { memberView, type MemberView } from '../members/views.js';
import type { ExportEncoding } from './encode.js';
import type { ExportData, ExportLibs, ExportOptions, RosterFormatDef } from './formats/format.js';
import { exportFormatNames, ROSTER_FORMATS, type RosterFormatName } from './formats/index.js';

/** The names `export --format` takes. */
export const EXPORT_FORMATS: readonly RosterFormatName[] = exportFormatNames();

const libs: ExportLibs = { stringifyCsv: stringify, yaml: { stringify: toYaml } };

/** Where export's text goes, piece by piece, in order; awaited (a full pipe, a file). */
export type ExportSink = (text: string) => unknown;

function writerDef(format: string, formats: readonly RosterFormatDef[]): RosterFormatDef {
  const writable = formats.filter((f) => f.export);
  const def = writable.find((f) => f.name === format);
  if (!def) fail('USAGE', `export writes ${writable.map((f) => f.name).join(', ')}: not "${format}"`);
  return def;
}

/** The writer of `format` among `formats` (the registry, or a test's copy); USAGE when none writes it. */
export function rosterWriter(format: string, formats: readonly RosterFormatDef[] = ROSTER_FORMATS): (data: ExportData) => string {
  const def = writerDef(format, formats);
  return (data) => def.export!(data, libs);
}

/** Members as export writes them: not removed, visible to the actor; each batch of views in email order. */
async function* exported(s: UnitOfWork, exportable: (m: Member) => boolean, tree: OrgTree, domains: string[]): AsyncGenerator<MemberView[]> {
  for await (const batch of s.tx.scanMembers()) {
    const views: MemberView[] = [];
    for (const m of batch) if (exportable(m)) views.push(memberView(m, tree, domains, s.now));
    if (views.length) yield views;
  }
}

/** The number of members export writes, for a format whose head says it (SCIM's totalResults). */
async function countExported(s: UnitOfWork, exportable: (m: Member) => boolean, visibleToAll: boolean): Promise<number> {
  if (visibleToAll) return s.tx.countSeats(); // the members not removed: an index count, no scan
  let n = 0;
  for await (const batch of s.tx.scanMembers()) for (const m of batch) if (exportable(m)) n++;
  return n;
}

/** How to write an export: the format's options, and the encoding its text will be written in (checked here). */
export interface ExportRequest extends ExportOptions {
  encoding?: ExportEncoding;
}

/**
 * Writes the roster in `format` to `write`, a piece at a time. Every refusal comes before the first
 * piece, a value the encoding cannot hold included (a pass over the members before the one that writes).
 */
export async function exportRoster(s: UnitOfWork, format: string, write: ExportSink, opts: ExportRequest = {}): Promise<void> {
  const def = writerDef(format, ROSTER_FORMATS);
  await requirePermissionSomewhere(s, 'members.view');
  const visible = await visibleFilter(s, 'members.view');
  const exportable = (m: Member) => !m.deletedAt && visible(m);
  const tree = new OrgTree(await s.orgs());
  const domains = await s.tx.listDomains();
  const orgs = tree.orgs.map((o) => tree.pathOf(o.id)!).sort();
  if (opts.encoding === 'shift_jis') { // iconv-lite and its tables, only when asked for
    const { checkEncodable } = await import('./encode.js');
    await checkEncodable(opts.encoding, exported(s, exportable, tree, domains));
  }
  const options: ExportOptions = { formulaSafe: opts.formulaSafe };
  if (!def.stream) { // a format that writes whole documents only
    const members: MemberView[] = [];
    for await (const views of exported(s, exportable, tree, domains)) for (const v of views) members.push(v);
    await write(def.export!({ members, orgs }, libs, options));
    return;
  }
  const stream = def.stream(libs, options);
  const count = stream.counted ? await countExported(s, exportable, visible === everyone) : 0;
  await write(stream.head({ orgs, count }));
  let written = 0;
  for await (const views of exported(s, exportable, tree, domains)) {
    await write(stream.members(views, written === 0));
    written += views.length;
  }
  // The head promised `count`: a store that disagreed with itself must not pass for a valid document.
  if (stream.counted && written !== count) throw new Error(`export counted ${count} members but read ${written}`);
  await write(stream.tail(written));
}
