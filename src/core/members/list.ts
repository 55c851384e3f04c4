// member list and member show: what a member may see of others.
import { orgsOf, requirePermission, visibleFilter } from '../access/grants.js';
import { fail } from '../errors.js';
import { STATUSES, type Member, type Status } from '../model.js';
import { checkRole } from '../access/roles.js';
import { OrgTree } from '../orgs/tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { kindOf, memberView, statusOf, type MemberView, viewsOf } from './views.js';
import { resolveTarget } from './targets.js';

export interface ListFilter {
  status?: string;
  role?: string;
  org?: string;
  direct?: boolean;
  kind?: string;
  search?: string;
}

/** A status as a filter takes it: in any case ("Active"), else INVALID_INPUT listing the statuses. */
export function parseStatus(raw: string): Status {
  const status = STATUSES.find((st) => st === raw.trim().toLowerCase());
  if (!status) fail('INVALID_INPUT', `unknown status "${raw}"`, `statuses: ${STATUSES.join(', ')}`);
  return status;
}

/**
 * What member list shows, handed to `out` a batch of views at a time as members are read (by email;
 * removed members, `--status deleted`, by the end of their window, then email). Every refusal
 * comes before the first batch. Returns how many were shown.
 */
export async function streamMembers(s: UnitOfWork, filter: ListFilter, out: (views: MemberView[]) => unknown): Promise<number> {
  const visible = await visibleFilter(s, 'members.view');
  const f = { ...filter, status: filter.status === undefined ? undefined : parseStatus(filter.status) };
  if (f.role !== undefined) await checkRole(s, f.role); // an unknown role is a mistake, not an empty list
  if (f.kind && f.kind !== 'internal' && f.kind !== 'external') fail('INVALID_INPUT', `a member's kind is internal or external: got "${f.kind}"`, undefined, 'kind');
  const tree = new OrgTree(await s.orgs());
  const domains = await s.tx.listDomains();
  const org = f.org ? tree.resolve(f.org) : null;
  const needle = f.search ? f.search.normalize('NFKC').toLowerCase() : null;
  const shown = (m: Member) => visible(m)
    && (f.status ? statusOf(m, s.now) === f.status : !m.deletedAt) // removed members only when asked for
    && (!f.role || m.role === f.role)
    && (!f.kind || kindOf(m.email, domains) === f.kind)
    && (!org || orgsOf(m).some((id) => (f.direct ? id === org.id : tree.isWithin(id, org.id))));
  const found = (v: MemberView) => !needle || [v.name, v.email, v.title ?? '', v.org ?? '', ...v.orgs].some((text) => text.normalize('NFKC').toLowerCase().includes(needle));
  let count = 0;
  // Removed members come soonest purged first: by the time of their removal, read in that order.
  for await (const batch of s.tx.scanMembers(undefined, f.status === 'deleted' ? 'removed' : 'all')) {
    const views: MemberView[] = [];
    for (const m of batch) {
      if (!shown(m)) continue;
      const v = memberView(m, tree, domains, s.now);
      if (found(v)) views.push(v);
    }
    count += views.length;
    if (views.length) await out(views);
  }
  return count;
}

export async function listMembers(s: UnitOfWork, filter: ListFilter): Promise<MemberView[]> {
  const all: MemberView[] = [];
  await streamMembers(s, filter, (views) => {
    for (const v of views) all.push(v);
  });
  return all;
}

export async function showMember(s: UnitOfWork, target: string): Promise<MemberView> {
  const m = await resolveTarget(s, target);
  await requirePermission(s, 'members.view', [orgsOf(m)]);
  const [view] = await viewsOf(s, [m]);
  const groups = await s.tx.listGroups();
  const byId = new Map(groups.map((g) => [g.id, g]));
  view.groups = (await s.tx.listGroupMemberships({ memberId: m.id }))
    .map((gm) => ({ name: byId.get(gm.groupId)?.name ?? gm.groupId, role: gm.role, owner: byId.get(gm.groupId)?.ownerId === m.id }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return view;
}
