// The org chart (SPEC §6): add, rename, move, remove subtrees; members' posts move with it.
import { orgsOf, requirePermission, requirePermissionSomewhere } from '../access/grants.js';
import { fail, nameSome } from '../errors.js';
import { newId } from '../ids.js';
import type { Member, Org } from '../model.js';
import { MAX_ORG_DEPTH, OrgTree, normalizePath, orgPathNames, validOrgName } from './tree.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { shellQuote } from '../shell.js';

export interface OrgView {
  path: string;
  name: string;
  parent: string | null;
}

/**
 * Counts are of members now: removed ones, restorable or not, are left out (they are not members
 * until restored, and `member list` leaves them out too; `org rm` still refuses while they hold a post).
 */
export interface OrgNode extends OrgView {
  members: number; // members holding this org itself (primary or additional)
  total: number; // distinct members holding this org or any org below it: one with two posts there counts once
  children: OrgNode[];
}

async function tree(s: UnitOfWork): Promise<OrgTree> {
  return new OrgTree(await s.orgs());
}

function viewOf(t: OrgTree, o: Org): OrgView {
  return { path: t.pathOf(o.id)!, name: o.name, parent: t.pathOf(o.parentId) };
}

function siblingsHave(t: OrgTree, parentId: string | null, name: string, exceptId?: string): boolean {
  return t.children(parentId).some((o) => o.name.toLowerCase() === name.toLowerCase() && o.id !== exceptId);
}

/** Creates the orgs of PATH that are missing (all of them with parents, else only the last). */
export async function ensureOrgPath(s: UnitOfWork, path: string, parents: boolean): Promise<{ org: Org; created: Org[] }> {
  const names = orgPathNames(path);
  if (!names.length) fail('INVALID_INPUT', 'an org path names at least one org, e.g. Sales/Tokyo');
  const t = await tree(s);
  let parentId: string | null = null;
  const created: Org[] = [];
  let org: Org | undefined;
  for (const [i, name] of names.entries()) {
    org = t.children(parentId).find((o) => o.name.toLowerCase() === name.toLowerCase()) ?? created.find((o) => o.parentId === parentId && o.name === name);
    if (!org) {
      const last = i === names.length - 1;
      if (!last && !parents) fail('NOT_FOUND', `no org "${names.slice(0, i + 1).join('/')}"`, `create the parents too: rollcall org add ${shellQuote(names.join('/'))} --parents`);
      org = { id: newId('o'), parentId, name, createdAt: s.nowIso };
      created.push(org);
    }
    parentId = org.id;
  }
  if (created.length) {
    await s.tx.insertOrgs(created);
    s.invalidateOrgs();
    const after = await tree(s);
    for (const o of created) s.record({ action: 'org.add', target: after.pathOf(o.id)!, targetId: o.id });
  }
  return { org: org!, created };
}

export async function addOrg(s: UnitOfWork, path: string, parents: boolean): Promise<OrgView> {
  await requirePermission(s, 'orgs.manage');
  const { org, created } = await ensureOrgPath(s, path, parents);
  if (!created.length) fail('ALREADY_EXISTS', `the org "${normalizePath(path)}" already exists`);
  return viewOf(await tree(s), org);
}

export async function renameOrg(s: UnitOfWork, path: string, newName: string): Promise<OrgView> {
  await requirePermission(s, 'orgs.manage');
  const t = await tree(s);
  const org = t.resolve(path);
  const name = validOrgName(newName);
  if (siblingsHave(t, org.parentId, name, org.id)) fail('ALREADY_EXISTS', `an org named "${name}" already exists there`);
  const before = t.pathOf(org.id)!;
  await s.tx.updateOrg({ ...org, name });
  s.invalidateOrgs();
  const after = await tree(s);
  s.record({ action: 'org.rename', target: before, targetId: org.id, before: { path: before }, after: { path: after.pathOf(org.id) } });
  return viewOf(after, after.get(org.id)!);
}

export async function moveOrg(s: UnitOfWork, path: string, newParent: string): Promise<OrgView> {
  await requirePermission(s, 'orgs.manage');
  const t = await tree(s);
  const org = t.resolve(path);
  const parent = normalizePath(newParent) === '' ? null : t.resolve(newParent);
  if (parent && t.isWithin(parent.id, org.id)) fail('ORG_CYCLE', `cannot move "${t.pathOf(org.id)}" under itself or its descendant "${t.pathOf(parent.id)}"`);
  // The deepest org of the moved subtree, before and after: a move may not take it past the limit
  // (one that brings an org of an older, deeper chart closer to the top is allowed).
  const height = t.heightOf(org.id);
  const deepest = (parent ? t.depthOf(parent.id) : 0) + height;
  if (deepest > MAX_ORG_DEPTH && deepest > t.depthOf(org.id) - 1 + height) {
    fail('INVALID_INPUT', `moving "${t.pathOf(org.id)}" under ${parent ? `"${t.pathOf(parent.id)}"` : '/'} would put orgs ${deepest} levels deep; an org path is at most ${MAX_ORG_DEPTH} levels deep`,
      `keep the org chart at most ${MAX_ORG_DEPTH} levels deep`);
  }
  if (siblingsHave(t, parent?.id ?? null, org.name, org.id)) fail('ALREADY_EXISTS', `an org named "${org.name}" already exists under ${parent ? t.pathOf(parent.id) : '/'}`);
  const before = t.pathOf(org.id)!;
  await s.tx.updateOrg({ ...org, parentId: parent?.id ?? null });
  s.invalidateOrgs();
  const after = await tree(s);
  s.record({ action: 'org.mv', target: before, targetId: org.id, before: { path: before }, after: { path: after.pathOf(org.id) } });
  return viewOf(after, after.get(org.id)!);
}

/** PATH and every org below it, or the rule that forbids removing them. */
async function doomedOrgs(s: UnitOfWork, path: string) {
  await requirePermission(s, 'orgs.manage');
  const t = await tree(s);
  const org = t.resolve(path);
  const doomed = t.subtree(org.id);
  const ids = new Set(doomed.map((o) => o.id));
  const members = await s.tx.listMembers();
  const holders = members.filter((m) => orgsOf(m).some((id) => ids.has(id))).map((m) => m.email);
  if (holders.length) fail('ORG_NOT_EMPTY', `${holders.length} member(s) belong to "${t.pathOf(org.id)}" or below: ${nameSome(holders)}`, 'move them first: rollcall member move EMAIL… --org OTHER (removed members count until purged)');
  const scoped = members.filter((m) => m.scope.some((id) => ids.has(id))).map((m) => m.email);
  if (scoped.length) fail('ORG_IN_USE', `role scopes point into "${t.pathOf(org.id)}": ${nameSome(scoped)}`, 'change their scope first: rollcall role set EMAIL ROLE --scope OTHER');
  return { ids: [...ids], views: doomed.map((o) => viewOf(t, o)) };
}

/** The orgs `org rm PATH` would remove, or the rule that forbids it: asked before confirming. */
export async function orgsToRemove(s: UnitOfWork, path: string): Promise<OrgView[]> {
  return (await doomedOrgs(s, path)).views;
}

export async function removeOrg(s: UnitOfWork, path: string): Promise<OrgView[]> {
  const { ids, views } = await doomedOrgs(s, path);
  await s.tx.deleteOrgs(ids);
  s.invalidateOrgs();
  for (const v of views) s.record({ action: 'org.rm', target: v.path });
  return views;
}

export async function listOrgs(s: UnitOfWork): Promise<OrgView[]> {
  await requirePermissionSomewhere(s, 'members.view');
  const t = await tree(s);
  return t.orgs.map((o) => viewOf(t, o)).sort((a, b) => a.path.localeCompare(b.path));
}

export async function orgTree(s: UnitOfWork): Promise<OrgNode[]> {
  await requirePermissionSomewhere(s, 'members.view');
  const t = await tree(s);
  const counts = await subtreeCounts(t, s.tx.scanMembers());
  // With a stack of its own, not recursion: a chart from before the depth limit may be thousands deep.
  const top: OrgNode[] = [];
  const todo: Array<{ parentId: string | null; into: OrgNode[] }> = [{ parentId: null, into: top }];
  while (todo.length) {
    const { parentId, into } = todo.pop()!;
    for (const o of t.children(parentId)) {
      const node: OrgNode = { ...viewOf(t, o), members: counts.members.get(o.id) ?? 0, total: counts.total.get(o.id) ?? 0, children: [] };
      into.push(node);
      todo.push({ parentId: o.id, into: node.children });
    }
  }
  return top;
}

/**
 * Per org: the members holding it, and the distinct members holding it or any org below it. A member
 * with one post (most) adds to its org, and sums carry it up the tree; one with several posts is
 * walked up from each, once per org on the way, so two posts under Sales count once for Sales.
 * The members are counted as they are read (a batch at a time), never held together.
 */
async function subtreeCounts(t: OrgTree, batches: AsyncIterable<Member[]>): Promise<{ members: Map<string, number>; total: Map<string, number> }> {
  const direct = new Map<string, number>();
  const single = new Map<string, number>(); // members with exactly one post, by that post: summed up the tree below
  const total = new Map<string, number>(); // members with several posts, counted where they reach
  const add = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
  for await (const batch of batches) {
    for (const m of batch) {
      if (m.deletedAt) continue; // removed: not a member until restored
      const posts = orgsOf(m).filter((id) => t.get(id));
      for (const id of posts) add(direct, id);
      if (posts.length === 1) add(single, posts[0]);
      if (posts.length < 2) continue;
      const seen = new Set<string>();
      for (const post of posts) {
        for (let id: string | null = post; id !== null && !seen.has(id); id = t.get(id)?.parentId ?? null) {
          seen.add(id);
          add(total, id);
        }
      }
    }
  }
  // Children after their parents, then in reverse: each org's sum is complete before it joins its parent's.
  const order: Org[] = [];
  const todo: Array<string | null> = [null];
  while (todo.length) {
    for (const o of t.children(todo.pop()!)) {
      order.push(o);
      todo.push(o.id);
    }
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const { id, parentId } = order[i];
    const below = single.get(id) ?? 0;
    total.set(id, (total.get(id) ?? 0) + below);
    if (parentId !== null) single.set(parentId, (single.get(parentId) ?? 0) + below);
  }
  return { members: direct, total };
}
