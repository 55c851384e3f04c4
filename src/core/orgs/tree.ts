// The org chart as paths (SPEC §6): `Sales/Tokyo`. Members and scopes refer to org ids, so a rename
// or a move shows everywhere at once.
//
// Nothing here recurses, and nothing costs more than the paths it returns: a workspace may hold a
// tree deeper than MAX_ORG_DEPTH from before the limit, and every command must still read it.
import { fail } from '../errors.js';
import type { Org } from '../model.js';

/** The deepest an org may lie: a path names at most this many orgs (`A/B/C` is 3 deep). */
export const MAX_ORG_DEPTH = 32;

export class OrgTree {
  private readonly byId = new Map<string, Org>();
  private readonly paths = new Map<string, string>();
  /** parent id ('' for the top level) → its children, sorted by name; built on first use. */
  private kids: Map<string, Org[]> | null = null;
  /** parent id ('' for the top level) → lower-cased name → org; built on first use. */
  private named: Map<string, Map<string, Org>> | null = null;

  constructor(readonly orgs: readonly Org[]) {
    for (const o of orgs) this.byId.set(o.id, o);
  }

  get(id: string): Org | undefined {
    return this.byId.get(id);
  }

  private parentOf(o: Org): Org | undefined {
    return o.parentId ? this.byId.get(o.parentId) : undefined;
  }

  pathOf(id: string | null): string | null {
    if (!id) return null;
    const known = this.paths.get(id);
    if (known !== undefined) return known;
    // Up to the first org whose path is known (or the top), then each path on the way down, once.
    const chain: Org[] = [];
    const seen = new Set<string>();
    let base = '';
    for (let o = this.byId.get(id); o; o = this.parentOf(o)) {
      const p = this.paths.get(o.id);
      if (p !== undefined) {
        base = p;
        break;
      }
      if (seen.has(o.id)) break; // defensive: a cycle never stands, but must not hang a read
      seen.add(o.id);
      chain.push(o);
    }
    if (!chain.length) return base || null;
    let path = base;
    for (let i = chain.length - 1; i >= 0; i--) {
      path = path ? `${path}/${chain[i].name}` : chain[i].name;
      this.paths.set(chain[i].id, path);
    }
    return path;
  }

  /** How deep org `id` lies: 1 at the top level. */
  depthOf(id: string): number {
    let depth = 0;
    const seen = new Set<string>();
    for (let o = this.byId.get(id); o && !seen.has(o.id); o = this.parentOf(o)) {
      seen.add(o.id);
      depth++;
    }
    return depth;
  }

  /** How many levels the subtree of `id` spans: 1 for an org without children. */
  heightOf(id: string): number {
    let level = this.byId.has(id) ? [id] : [];
    let height = 0;
    const seen = new Set<string>();
    while (level.length) {
      height++;
      const next: string[] = [];
      for (const x of level) {
        for (const c of this.children(x)) {
          if (seen.has(c.id)) continue;
          seen.add(c.id);
          next.push(c.id);
        }
      }
      level = next;
    }
    return height;
  }

  /** The org at PATH (any case), or undefined; a path deeper than MAX_ORG_DEPTH names none. */
  find(path: string): Org | undefined {
    const names = normalizePath(path).split('/').filter(Boolean);
    if (!names.length || names.length > MAX_ORG_DEPTH) return undefined;
    if (!this.named) {
      this.named = new Map();
      for (const o of this.orgs) {
        const key = o.parentId ?? '';
        let byName = this.named.get(key);
        if (!byName) this.named.set(key, (byName = new Map()));
        byName.set(o.name.toLowerCase(), o);
      }
    }
    let org: Org | undefined;
    for (const name of names) {
      org = this.named.get(org?.id ?? '')?.get(name.toLowerCase());
      if (!org) return undefined;
    }
    return org;
  }

  /** The org at PATH, or NOT_FOUND; a path deeper than MAX_ORG_DEPTH is INVALID_INPUT. */
  resolve(path: string): Org {
    checkOrgDepth(path);
    const org = this.find(path);
    if (!org) fail('NOT_FOUND', `no org "${normalizePath(path)}"`, 'list orgs with: rollcall org list (or create it with rollcall org add PATH --parents)');
    return org;
  }

  /** Whether org `id` is `ancestorId` or lies below it. */
  isWithin(id: string, ancestorId: string): boolean {
    const seen = new Set<string>();
    for (let o = this.byId.get(id); o && !seen.has(o.id); o = this.parentOf(o)) {
      if (o.id === ancestorId) return true;
      seen.add(o.id);
    }
    return false;
  }

  /** The org and all below it, in the order of `orgs`. */
  subtree(id: string): Org[] {
    const ids = new Set<string>(this.byId.has(id) ? [id] : []);
    const todo = [...ids];
    while (todo.length) {
      for (const c of this.children(todo.pop()!)) {
        if (ids.has(c.id)) continue;
        ids.add(c.id);
        todo.push(c.id);
      }
    }
    return this.orgs.filter((o) => ids.has(o.id));
  }

  children(parentId: string | null): readonly Org[] {
    if (!this.kids) {
      const kids = new Map<string, Org[]>();
      for (const o of this.orgs) {
        const key = o.parentId ?? '';
        const list = kids.get(key);
        if (list) list.push(o);
        else kids.set(key, [o]);
      }
      for (const list of kids.values()) list.sort((a, b) => a.name.localeCompare(b.name));
      this.kids = kids;
    }
    return this.kids.get(parentId ?? '') ?? [];
  }
}

/** `/Sales//Tokyo/` → `Sales/Tokyo`, NFKC so that full-width input matches. */
export function normalizePath(path: string): string {
  return path.normalize('NFKC').split('/').map((s) => s.trim()).filter(Boolean).join('/');
}

/** A long path shortened for a message: its first orgs, then the last. */
export function shortPath(names: readonly string[]): string {
  return names.length > 6 ? `${names.slice(0, 3).join('/')}/…/${names[names.length - 1]}` : names.join('/');
}

/** What is wrong with how deep PATH goes, or null. */
export function orgDepthProblem(path: string): string | null {
  const names = normalizePath(path).split('/').filter(Boolean);
  if (names.length <= MAX_ORG_DEPTH) return null;
  return `an org path is at most ${MAX_ORG_DEPTH} levels deep: "${shortPath(names)}" has ${names.length}`;
}

/** INVALID_INPUT for a path deeper than MAX_ORG_DEPTH. */
export function checkOrgDepth(path: string): void {
  const problem = orgDepthProblem(path);
  if (problem) fail('INVALID_INPUT', problem, `keep the org chart at most ${MAX_ORG_DEPTH} levels deep`);
}

/** The org names on PATH, each a valid name, at most MAX_ORG_DEPTH of them. */
export function orgPathNames(path: string): string[] {
  checkOrgDepth(path);
  return normalizePath(path).split('/').filter(Boolean).map(validOrgName);
}

export function validOrgName(name: string): string {
  const n = name.normalize('NFKC').trim();
  if (!n || n.includes('/')) fail('INVALID_INPUT', `an org name must be non-empty and have no "/": "${name}"`);
  if (n.length > 200 || /[\u0000-\u001f\u007f]/.test(n)) fail('INVALID_INPUT', `an org name must be at most 200 characters and have no control characters`);
  return n;
}
