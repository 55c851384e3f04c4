// export: every non-deleted member in a roster format that `apply` reads back as `No changes.`
import { stringify } from 'csv-stringify/sync';
import { stringify as toYaml } from 'yaml';
import { requirePermissionSomewhere, visibleFilter } from '../access/grants.js';
import { fail } from '../errors.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { memberView, type MemberView } from '../members/views.js';
import { SCIM_ENTERPRISE, SCIM_LIST, SCIM_USER } from './formats/scim.js';

export const EXPORT_FORMATS = ['csv', 'yaml', 'json', 'scim'] as const;

async function exportedMembers(s: UnitOfWork): Promise<{ views: MemberView[]; orgs: string[] }> {
  await requirePermissionSomewhere(s, 'members.view');
  const visible = await visibleFilter(s, 'members.view');
  const tree = new OrgTree(await s.orgs());
  const domains = await s.tx.listDomains();
  const views = (await s.tx.listMembers()).filter((m) => !m.deletedAt && visible(m)).map((m) => memberView(m, tree, domains, s.now));
  return { views, orgs: tree.orgs.map((o) => tree.pathOf(o.id)!).sort() };
}

function rosterObject(v: MemberView) {
  return { email: v.email, name: v.name, role: v.role, scope: v.scope, org: v.org, orgs: v.orgs, title: v.title, status: v.status, startDate: v.startDate, id: v.id };
}

function scimUser(v: MemberView) {
  return {
    schemas: [SCIM_USER, SCIM_ENTERPRISE],
    id: v.id,
    externalId: v.id,
    userName: v.email,
    name: { formatted: v.name },
    displayName: v.name,
    title: v.title,
    active: v.status !== 'suspended',
    emails: [{ value: v.email, primary: true, type: 'work' }],
    [SCIM_ENTERPRISE]: { department: v.org },
    meta: { resourceType: 'User', created: v.createdAt, lastModified: v.updatedAt },
  };
}

export async function exportRoster(s: UnitOfWork, format: string): Promise<string> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) fail('USAGE', `export writes ${EXPORT_FORMATS.join(', ')}: not "${format}"`);
  const { views, orgs } = await exportedMembers(s);
  if (format === 'csv') {
    const rows = views.map((v) => [v.email, v.name, v.role, v.scope.join(';'), v.org ?? '', v.orgs.join(';'), v.title ?? '', v.status, v.startDate ?? '', v.id]);
    return stringify([['email', 'name', 'role', 'scope', 'org', 'orgs', 'title', 'status', 'start_date', 'id'], ...rows]);
  }
  if (format === 'scim') {
    return JSON.stringify({ schemas: [SCIM_LIST], totalResults: views.length, startIndex: 1, itemsPerPage: views.length, Resources: views.map(scimUser) }, null, 2) + '\n';
  }
  const doc = { orgs, members: views.map(rosterObject) };
  return format === 'json' ? JSON.stringify(doc, null, 2) + '\n' : toYaml(doc);
}
