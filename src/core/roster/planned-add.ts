// An add in a roster plan (SPEC §14: adds carry every field the new member gets, from nothing).
import type { Member } from '../model.js';
import { statusOf } from '../members/views.js';
import type { OrgTree } from '../orgs/tree.js';
import type { PlannedChange } from './plan-types.js';

/** What a new member will be, as the plan shows it: every field it gets, from nothing. */
function addedFields(m: Member, tree: OrgTree, now: Date): Record<string, { from: null; to: unknown }> {
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
  set('status', statusOf(m, now));
  if (m.twoFactor) set('twoFactor', true);
  return fields;
}

/**
 * An add in the plan. Its fields are made each time they are read (printed, or written as JSON), not
 * held: a 100,000-row plan would otherwise keep 900,000 small objects alive through its commit.
 * `fields` is an own enumerable property (a getter shared by every add), so the add reads, compares
 * and serialises as the plain `{action, email, fields}` it stands for.
 */
export class PlannedAdd implements PlannedChange {
  readonly action = 'add';
  readonly email: string;
  declare readonly fields: Record<string, { from: null; to: unknown }>;
  readonly #member: Member;
  readonly #tree: OrgTree;
  readonly #now: Date;
  constructor(member: Member, tree: OrgTree, now: Date) {
    this.email = member.email;
    Object.defineProperty(this, 'fields', ADDED_FIELDS);
    this.#member = member;
    this.#tree = tree;
    this.#now = now;
  }
  static fieldsOf(add: PlannedAdd) {
    return addedFields(add.#member, add.#tree, add.#now);
  }
}
const ADDED_FIELDS: PropertyDescriptor = { enumerable: true, get(this: PlannedAdd) { return PlannedAdd.fieldsOf(this); } };
