// An add in a roster plan (SPEC §14: adds carry every field the new member gets, from nothing).
import type { Member } from '../model.js';
import { statusOf } from '../members/views.js';
import type { OrgTree } from '../orgs/tree.js';
import type { PlannedChange } from './plan-types.js';

/** What the plan shows of a new member: the fields it gets, without its id, stamps and credentials. */
interface Shown {
  name: string;
  role: string;
  scope: readonly string[];
  orgId: string | null;
  orgIds: readonly string[];
  title: string | null;
  startDate: string | null;
  status: string;
  twoFactor: boolean;
}

/** What a new member will be, as the plan shows it: every field it gets, from nothing. */
function addedFields(m: Shown, tree: OrgTree): Record<string, { from: null; to: unknown }> {
  const fields: Record<string, { from: null; to: unknown }> = {};
  const set = (name: string, to: unknown) => {
    if (to !== null && to !== undefined && !(Array.isArray(to) && !to.length)) fields[name] = { from: null, to };
  };
  set('name', m.name);
  set('role', m.role);
  set('scope', m.scope.map((id) => tree.pathOf(id)));
  set('org', tree.pathOf(m.orgId));
  set('orgs', m.orgIds.map((id) => tree.pathOf(id)));
  set('title', m.title);
  set('startDate', m.startDate);
  set('status', m.status);
  if (m.twoFactor) set('twoFactor', true);
  return fields;
}

/**
 * An add in the plan. Its fields are made each time they are read (printed, or written as JSON), not
 * held: a 100,000-row plan would otherwise keep 900,000 small objects alive through its commit. It
 * keeps only what it shows, not the member: the member itself is written and let go with its slice
 * of the roster, so a million-row plan does not hold a million members.
 * `fields` is an own enumerable property (a getter shared by every add), so the add reads, compares
 * and serialises as the plain `{action, email, fields}` it stands for.
 */
export class PlannedAdd implements PlannedChange {
  readonly action = 'add';
  readonly email: string;
  declare readonly fields: Record<string, { from: null; to: unknown }>;
  // What is shown, held here rather than in an object of its own: one object per add, not two.
  readonly #name: string;
  readonly #role: string;
  readonly #scope: readonly string[];
  readonly #orgId: string | null;
  readonly #orgIds: readonly string[];
  readonly #title: string | null;
  readonly #startDate: string | null;
  readonly #status: string;
  readonly #twoFactor: boolean;
  readonly #tree: OrgTree;
  constructor(member: Member, tree: OrgTree, now: Date) {
    this.email = member.email;
    Object.defineProperty(this, 'fields', ADDED_FIELDS);
    this.#name = member.name;
    this.#role = member.role;
    this.#scope = member.scope.length ? member.scope : NONE;
    this.#orgId = member.orgId;
    this.#orgIds = member.orgIds.length ? member.orgIds : NONE;
    this.#title = member.title;
    this.#startDate = member.startDate;
    this.#status = statusOf(member, now);
    this.#twoFactor = member.twoFactor;
    this.#tree = tree;
  }
  static fieldsOf(add: PlannedAdd) {
    return addedFields({
      name: add.#name, role: add.#role, scope: add.#scope, orgId: add.#orgId, orgIds: add.#orgIds, title: add.#title,
      startDate: add.#startDate, status: add.#status, twoFactor: add.#twoFactor,
    }, add.#tree);
  }
}
/** The empty list every add without scopes or additional orgs shares. */
const NONE: readonly string[] = Object.freeze([]);
const ADDED_FIELDS: PropertyDescriptor = { enumerable: true, get(this: PlannedAdd) { return PlannedAdd.fieldsOf(this); } };
