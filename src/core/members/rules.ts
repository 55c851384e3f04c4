// The invariants of SPEC §3–§7, each checked in one place, whoever calls: a single command, a bulk
// command or a roster apply.
import { domainOf } from '../email.js';
import { fail, nameSome } from '../errors.js';
import type { Member } from '../model.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { readSettings } from '../settings.js';
import { isActiveAdmin, statusOf } from './views.js';
import { shellQuote } from '../shell.js';

/**
 * SEAT_LIMIT_REACHED unless `adding` more seats fit: beside the seats held now, or beside `held`, the
 * seats counted before a write that has already made some of them (a roster, slice by slice).
 */
export async function seatsFor(s: UnitOfWork, adding: number, held?: number): Promise<void> {
  if (adding <= 0) return;
  const { seatLimit } = await readSettings(s);
  const used = held ?? (await s.tx.countSeats());
  if (used + adding > seatLimit) {
    fail('SEAT_LIMIT_REACHED', `the seat limit is ${seatLimit} and ${used} seats are held: ${adding} more would need ${used + adding}`,
      `raise it (rollcall workspace set seat-limit ${used + adding}) or remove members first (rollcall member remove …)`);
  }
}

/**
 * LAST_ADMIN unless at least one active admin remains once `after` (the changed members) is saved.
 * `activeBefore`: the active admins as they were before a write that has already saved some of `after`.
 * `changed`: whether the write changes a member, when `after` holds only those that matter here.
 */
export async function keepsAnActiveAdmin(s: UnitOfWork, after: readonly Member[], verb: string, activeBefore?: readonly Member[], changed?: (id: string) => boolean): Promise<void> {
  const before = activeBefore ?? (await s.tx.listAdmins()).filter((m) => isActiveAdmin(m, s.now));
  const admins = new Map(before.map((m) => [m.id, m]));
  const lost: string[] = [];
  for (const m of after) {
    if (isActiveAdmin(m, s.now)) admins.set(m.id, m);
    else if (admins.delete(m.id)) lost.push(m.email);
  }
  if (admins.size === 0) {
    const ids = new Set(after.map((m) => m.id));
    fail('LAST_ADMIN', `cannot ${verb} ${nameSome(lost)}: the workspace must keep at least one active admin`, await lastAdminHint(s, changed ?? ((id) => ids.has(id))));
  }
}

/**
 * Where another active admin could come from. An admin that is not active yet (most often one still
 * invited) needs the way to activate it, not `role set`, which would change nothing for it.
 */
async function lastAdminHint(s: UnitOfWork, changed: (id: string) => boolean): Promise<string> {
  // The members this refusal is about are not the way out.
  const order = ['invited', 'suspended', 'pending'];
  const waiting = (await s.tx.listMembers())
    .filter((m) => !changed(m.id) && m.role === 'admin' && order.includes(statusOf(m, s.now)))
    .sort((a, b) => order.indexOf(statusOf(a, s.now)) - order.indexOf(statusOf(b, s.now)) || a.email.localeCompare(b.email));
  const elsewhere = 'make another active member admin first: rollcall role set EMAIL admin';
  if (!waiting.length) return elsewhere;
  const m = waiting[0];
  return `${m.email} is an admin but ${statusOf(m, s.now)}: ${await howToActivate(s, m)}; or ${elsewhere}`;
}

/**
 * What it takes for a member that is not active to become active, as advice to the person: an
 * invited member accepts an invitation or signs in with a temporary password (an open invitation
 * is named); a suspended one is unsuspended; a pending one waits; a removed one is restored.
 */
export async function howToActivate(s: UnitOfWork, m: Member): Promise<string> {
  const email = shellQuote(m.email);
  switch (statusOf(m, s.now)) {
    case 'invited': {
      const open = (await s.tx.listInvites()).find((i) => i.memberId === m.id && !i.usedAt && !i.revokedAt && Date.parse(i.expiresAt) > s.now.getTime());
      return `they have not chosen a password yet${open ? ` (an invitation is open until ${open.expiresAt})` : ''}: they become active by accepting an invitation `
        + `(rollcall invite issue ${email}) or by signing in with a temporary password (rollcall member reset-password ${email})`;
    }
    case 'suspended': return `lift the suspension first: rollcall member unsuspend ${email}`;
    case 'pending': return `not before their start date (${m.startDate})`;
    case 'deleted': return `restore them first: rollcall member restore ${email}`;
    default: return 'they are active';
  }
}

/** OWNER_PROTECTED for members that own a group: ownership must be handed over first. */
export async function notGroupOwners(s: UnitOfWork, members: readonly Member[], verb: string): Promise<void> {
  const ids = new Set(members.map((m) => m.id));
  const owned = (await s.tx.listGroups()).filter((g) => ids.has(g.ownerId));
  if (!owned.length) return;
  const g = owned[0];
  const owner = members.find((m) => m.id === g.ownerId)!;
  // Its own other groups, then the other owners among the targets: each named, none counted as the first's.
  const more = owned.filter((o) => o !== g && o.ownerId === owner.id).length;
  const others = [...new Set(owned.filter((o) => o.ownerId !== owner.id).map((o) => members.find((m) => m.id === o.ownerId)!.email))];
  fail('OWNER_PROTECTED', `cannot ${verb} ${owner.email}: it owns group "${g.name}"${more ? ` and ${more} more` : ''}${others.length ? `; ${nameSome(others)} own${others.length > 1 ? '' : 's'} groups too` : ''}`,
    `hand the group over first: rollcall group transfer-owner ${shellQuote(g.name)} --to ADMIN_EMAIL`);
}

/** EXTERNAL_NOT_ALLOWED for an address outside the workspace's domains while allow-external is off. */
export async function externalAllowed(s: UnitOfWork, emails: readonly string[]): Promise<void> {
  const domains = await s.tx.listDomains();
  const external = emails.filter((e) => !domains.includes(domainOf(e)));
  if (!external.length) return;
  if (!(await readSettings(s)).allowExternal) {
    fail('EXTERNAL_NOT_ALLOWED', `${nameSome(external)} ${external.length > 1 ? 'are' : 'is'} outside the workspace's domains (${domains.join(', ')}) and external members are not allowed`,
      'use an address on one of the domains, add the domain (rollcall domain add), or allow external members (rollcall workspace set allow-external true)');
  }
}

/**
 * EXTERNAL_NOT_ALLOWED for a member given an address outside the workspace's domains while it is in
 * an internal-only group (§7): a new address must not carry anyone past the rule that adding them
 * would meet. `renamed`: the members whose address changes, before and after.
 */
export async function internalGroupsAllow(s: UnitOfWork, renamed: ReadonlyArray<{ before: Member; after: Member }>): Promise<void> {
  if (!renamed.length) return;
  const domains = await s.tx.listDomains();
  const outside = renamed.filter(({ after }) => !domains.includes(domainOf(after.email)));
  if (!outside.length) return;
  const internal = new Map((await s.tx.listGroups()).filter((g) => g.internalOnly).map((g) => [g.id, g.name]));
  if (!internal.size) return;
  for (const { before, after } of outside) {
    const groups = (await s.tx.listGroupMemberships({ memberId: before.id })).flatMap((g) => internal.get(g.groupId) ?? []);
    if (!groups.length) continue;
    fail('EXTERNAL_NOT_ALLOWED', `cannot give ${before.email} the address ${after.email}: it is outside the workspace's domains (${domains.join(', ')}) and the member is in internal-only group${groups.length > 1 ? 's' : ''} ${groups.map((g) => `"${g}"`).join(', ')}`,
      `take it out of the group first (rollcall group remove-member ${shellQuote(groups[0])} ${shellQuote(before.email)}), or give it an address on one of the domains`);
  }
}

/**
 * ALREADY_EXISTS for a provisioning client's id (SCIM externalId) that another member holds,
 * restorable ones included: the client finds its users by it, so it names one member.
 */
export async function externalIdFree(s: UnitOfWork, externalId: string, exceptId?: string): Promise<void> {
  const holder = (await s.tx.getMembersByExternalId(externalId)).find((m) => m.id !== exceptId);
  if (!holder) return;
  fail('ALREADY_EXISTS', `the external id "${externalId}" already belongs to ${holder.email}${holder.deletedAt ? ', a removed member that can still be restored' : ''}`,
    holder.deletedAt ? restoreOrPurge(holder.email) : undefined);
}

/** What to do with a removed, restorable member that holds what another wants (an address, an id). */
export function restoreOrPurge(email: string): string {
  return `restore it (rollcall member restore ${shellQuote(email)}) or purge it for good (rollcall member purge ${shellQuote(email)} --yes)`;
}

/** ALREADY_EXISTS for an address a member holds, restorable ones included. */
export async function emailFree(s: UnitOfWork, email: string, exceptId?: string): Promise<void> {
  const holder = await s.tx.getMemberByEmail(email);
  if (!holder || holder.id === exceptId) return;
  if (holder.deletedAt) {
    fail('ALREADY_EXISTS', `${email} belongs to a removed member that can still be restored`, restoreOrPurge(email));
  }
  fail('ALREADY_EXISTS', `a member with the address ${email} already exists`, `see it with: rollcall member show ${shellQuote(email)}`);
}
