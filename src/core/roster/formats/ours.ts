// rollcall's own roster formats (SPEC §8): CSV with a header, YAML and JSON `{ orgs, members }`.
import { LineCounter, Parser, parseDocument, isMap, isSeq } from 'yaml';
import type { RosterFields, RosterFile, RosterRow } from '../roster-file.js';
import { headerIndex, listCell, textCell } from './cells.js';
import { readCsvTable } from './csv-table.js';

const CSV_ALIASES: Record<string, string> = {
  email: 'email', 'e-mail': 'email', メールアドレス: 'email',
  name: 'name', 氏名: 'name',
  role: 'role', 役割: 'role', 権限: 'role', '役割/権限': 'role',
  scope: 'scope',
  org: 'org', 組織: 'org',
  orgs: 'orgs', 兼務組織: 'orgs',
  title: 'title', 職級: 'title',
  status: 'status',
  start_date: 'startDate', startdate: 'startDate', 'start date': 'startDate',
  id: 'id',
};

function fieldsFrom(get: (key: string) => unknown, has: (key: string) => boolean): RosterFields {
  const f: RosterFields = {};
  if (has('name')) f.name = textCell(get('name'));
  if (has('role')) f.role = textCell(get('role'));
  if (has('scope')) f.scope = listCell(get('scope'));
  if (has('org')) f.org = textCell(get('org'));
  if (has('orgs')) f.orgs = listCell(get('orgs'));
  if (has('title')) f.title = textCell(get('title'));
  if (has('status')) f.status = textCell(get('status'));
  if (has('startDate')) f.startDate = textCell(get('startDate'));
  return f;
}

export function parseOurCsv(text: string, file: string): RosterFile {
  const out: RosterFile = { format: 'csv', rows: [], orgs: [], problems: [], notes: [] };
  const table = readCsvTable(text, file, out.problems);
  if (!table) return out;
  const { header, body } = table;
  const index = headerIndex(header.cells, CSV_ALIASES);
  if (!index.has('email')) {
    out.problems.push(`${file}:${header.line}: the header has no email column (メールアドレス): ${header.cells.join(',')}`);
    return out;
  }
  for (const r of body) {
    const get = (k: string) => r.cells[index.get(k)!] ?? '';
    out.rows.push({ where: `${file}:${r.line}`, email: String(get('email')), id: index.has('id') ? textCell(get('id')) : undefined, fields: fieldsFrom(get, (k) => index.has(k)) });
  }
  return out;
}

const KEY_ALIASES: Record<string, string> = { start_date: 'startDate', startdate: 'startDate' };

function rowFromObject(obj: Record<string, unknown>, where: string, problems: string[]): RosterRow | null {
  const keys = new Map(Object.keys(obj).map((k) => [KEY_ALIASES[k.toLowerCase()] ?? k, k]));
  const get = (k: string) => obj[keys.get(k)!];
  if (typeof get('email') !== 'string') {
    problems.push(`${where}: a member needs an email`);
    return null;
  }
  return { where, email: get('email') as string, id: keys.has('id') ? textCell(get('id')) : undefined, fields: fieldsFrom(get, (k) => keys.has(k)) };
}

const MAX_YAML_DEPTH = 64;

/**
 * How deeply a YAML text nests collections, read from yaml's concrete syntax tree (built without
 * recursion) and walked with an explicit stack. Composing a hostile document 100,000 levels deep
 * would recurse until V8 gives up, and near the stack's limit V8 may abort the process instead
 * of throwing; a roster never nests more than a few levels.
 */
function yamlDepthExceeds(text: string, max: number): boolean {
  const stack: Array<[unknown, number]> = [];
  for (const token of new Parser().parse(text)) stack.push([token, 0]);
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    const type = (node as { type?: unknown }).type;
    const d = type === 'block-map' || type === 'block-seq' || type === 'flow-collection' ? depth + 1 : depth;
    if (d > max) return true;
    for (const child of Object.values(node as object)) if (child && typeof child === 'object') stack.push([child, d]);
  }
  return false;
}

/** YAML or JSON `{ orgs: [path…], members: [{…}] }` (a bare members array is accepted too). */
export function parseOurDocument(text: string, file: string, format: 'yaml' | 'json'): RosterFile {
  const out: RosterFile = { format, rows: [], orgs: [], problems: [], notes: [] };
  let data: unknown;
  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument> | null = null;
  if (format === 'json') {
    try {
      data = JSON.parse(text);
    } catch (e) {
      out.problems.push(`${file}: not valid JSON: ${(e as Error).message}`);
      return out;
    }
  } else {
    if (yamlDepthExceeds(text, MAX_YAML_DEPTH)) {
      out.problems.push(`${file}: not usable YAML: collections nested more than ${MAX_YAML_DEPTH} levels deep`);
      return out;
    }
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length) {
      for (const e of doc.errors.slice(0, 20)) out.problems.push(`${file}:${lines.linePos(e.pos[0]).line}: not valid YAML: ${e.message.split('\n')[0]}`);
      return out;
    }
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      out.problems.push(`${file}: not usable YAML: ${(e as Error).message}`);
      return out;
    }
  }
  if (data === null || data === undefined) return out;
  const root = Array.isArray(data) ? { members: data } : data;
  if (typeof root !== 'object') {
    out.problems.push(`${file}: expected { orgs: [...], members: [...] }`);
    return out;
  }
  const { orgs, members } = root as { orgs?: unknown; members?: unknown };
  if (orgs !== undefined) {
    if (!Array.isArray(orgs) || orgs.some((o) => typeof o !== 'string')) out.problems.push(`${file}: orgs must be a list of org paths`);
    else out.orgs = orgs as string[];
  }
  if (members === undefined) return out;
  if (!Array.isArray(members)) {
    out.problems.push(`${file}: members must be a list`);
    return out;
  }
  const seq = doc ? (Array.isArray(data) ? doc.contents : (doc.contents && isMap(doc.contents) ? doc.contents.get('members', true) : null)) : null;
  members.forEach((m, i) => {
    let where = `${file}: members[${i}]`;
    if (seq && isSeq(seq)) {
      const node = seq.items[i] as { range?: [number, number, number] } | undefined;
      if (node?.range) where = `${file}:${lines.linePos(node.range[0]).line}`;
    }
    if (!m || typeof m !== 'object' || Array.isArray(m)) {
      out.problems.push(`${where}: a member is a mapping like { email: …, name: … }`);
      return;
    }
    const row = rowFromObject(m as Record<string, unknown>, where, out.problems);
    if (row) out.rows.push(row);
  });
  return out;
}
