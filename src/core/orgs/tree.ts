// The org chart as paths (SPEC §6): `Sales/Tokyo`. Members and scopes refer to org ids, so a rename
// or a move shows everywhere at once.
import { fail } from '../errors.js';
import type { Org } from '../model.js';

export class OrgTree {
  private readonly byId = new Map<string, Org>();
  private readonly paths = new Map<string, string>();
  private readonly byPath = new Map<string, Org>();

  constructor(readonly orgs: readonly Org[]) {
    for (const o of orgs) this.byId.set(o.id, o);
    for (const o of orgs) {
      const p = this.pathOf(o.id);
      if (p) this.byPath.set(p.toLowerCase(), o);
    }
  }

  get(id: string): Org | undefined {
    return this.byId.get(id);
  }

  pathOf(id: string | null): string | null {
    if (!id) return null;
    const known = this.paths.get(id);
    if (known) return known;
    const names: string[] = [];
    const seen = new Set<string>();
    for (let o = this.byId.get(id); o; o = o.parentId ? this.byId.get(o.parentId) : undefined) {
      if (seen.has(o.id)) break; // defensive: a cycle never stands, but must not hang a read
      seen.add(o.id);
      names.unshift(o.name);
    }
    if (!names.length) return null;
    const path = names.join('/');
    this.paths.set(id, path);
    return path;
  }

  find(path: string): Org | undefined {
    return this.byPath.get(normalizePath(path).toLowerCase());
  }

  /** The org at PATH, or NOT_FOUND. */
  resolve(path: string): Org {
    const org = this.find(path);
    if (!org) fail('NOT_FOUND', `no org "${normalizePath(path)}"`, 'list orgs with: rollcall org list (or create it with rollcall org add PATH --parents)');
    return org;
  }

  /** Whether org `id` is `ancestorId` or lies below it. */
  isWithin(id: string, ancestorId: string): boolean {
    const seen = new Set<string>();
    for (let o = this.byId.get(id); o && !seen.has(o.id); o = o.parentId ? this.byId.get(o.parentId) : undefined) {
      if (o.id === ancestorId) return true;
      seen.add(o.id);
    }
    return false;
  }

  /** The org and all below it. */
  subtree(id: string): Org[] {
    return this.orgs.filter((o) => this.isWithin(o.id, id));
  }

  children(parentId: string | null): Org[] {
    return this.orgs.filter((o) => (o.parentId ?? null) === parentId).sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** `/Sales//Tokyo/` → `Sales/Tokyo`, NFKC so that full-width input matches. */
export function normalizePath(path: string): string {
  return path.normalize('NFKC').split('/').map((s) => s.trim()).filter(Boolean).join('/');
}

export function validOrgName(name: string): string {
  const n = name.normalize('NFKC').trim();
  if (!n || n.includes('/')) fail('INVALID_INPUT', `an org name must be non-empty and have no "/": "${name}"`);
  if (n.length > 200 || /[\u0000-\u001f\u007f]/.test(n)) fail('INVALID_INPUT', `an org name must be at most 200 characters and have no control characters`);
  return n;
}
