// export: every non-deleted member in a roster format that `apply` reads back as `No changes.`
// The writers are the registry's (formats/index.ts); this module hands them their packages.
import { stringify } from 'csv-stringify/sync';
import { stringify as toYaml } from 'yaml';
import { requirePermissionSomewhere, visibleFilter } from '../access/grants.js';
import { fail } from '../errors.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { memberView } from '../members/views.js';
import type { ExportData, ExportLibs, RosterFormatDef } from './formats/format.js';
import { exportFormatNames, ROSTER_FORMATS, type RosterFormatName } from './formats/index.js';

/** The names `export --format` takes. */
export const EXPORT_FORMATS: readonly RosterFormatName[] = exportFormatNames();

const libs: ExportLibs = { stringifyCsv: stringify, yaml: { stringify: toYaml } };

async function exportedMembers(s: UnitOfWork): Promise<ExportData> {
  await requirePermissionSomewhere(s, 'members.view');
  const visible = await visibleFilter(s, 'members.view');
  const tree = new OrgTree(await s.orgs());
  const domains = await s.tx.listDomains();
  const members = (await s.tx.listMembers()).filter((m) => !m.deletedAt && visible(m)).map((m) => memberView(m, tree, domains, s.now));
  return { members, orgs: tree.orgs.map((o) => tree.pathOf(o.id)!).sort() };
}

/** The writer of `format` among `formats` (the registry, or a test's copy); USAGE when none writes it. */
export function rosterWriter(format: string, formats: readonly RosterFormatDef[] = ROSTER_FORMATS): (data: ExportData) => string {
  const writable = formats.filter((f) => f.export);
  const def = writable.find((f) => f.name === format);
  if (!def) fail('USAGE', `export writes ${writable.map((f) => f.name).join(', ')}: not "${format}"`);
  return (data) => def.export!(data, libs);
}

export async function exportRoster(s: UnitOfWork, format: string): Promise<string> {
  const write = rosterWriter(format);
  return write(await exportedMembers(s));
}
