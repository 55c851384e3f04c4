// rollcall's own CSV (SPEC §8): a header row, English or Japanese column names, any order.
import { headerIndex, textCell } from './cells.js';
import { defineFormat, emptyRead } from './format.js';
import { fieldsFrom } from './ours.js';

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

const EXPORT_HEADER = ['email', 'name', 'role', 'scope', 'org', 'orgs', 'title', 'status', 'start_date', 'id'];

export default defineFormat({
  name: 'csv',
  description: "rollcall's CSV: a header row (email, name, role, scope, org, orgs, title, status, start_date, id)",
  extensions: ['csv'],
  parse(text, file, { csv }) {
    const out = emptyRead();
    const table = csv.readCsvTable(text, file, out.problems);
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
  },
  export({ members }, { stringifyCsv }) {
    const rows = members.map((v) => [v.email, v.name, v.role, v.scope.join(';'), v.org ?? '', v.orgs.join(';'), v.title ?? '', v.status, v.startDate ?? '', v.id]);
    return stringifyCsv([EXPORT_HEADER, ...rows]);
  },
});
