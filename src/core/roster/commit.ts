// Committing a plan, a slice of the roster at a time (SPEC §8): before a slice is written, who may do
// what it asks; once every slice is through, the rules on the whole result (seats, group owners,
// the last admin); all in the one transaction of the apply, so that a refusal at the end still
// leaves nothing written. A slice's members are written with their audit entries and let go.
import { actorOf, orgsOf, orgsOfChange, requirePermission } from '../access/grants.js';
import { DEFAULT_ROLE, issueTemporaryPassword } from '../members/records.js';
import { fail } from '../errors.js';
import type { Member, Org } from '../model.js';
import { auditChanges, isActiveAdmin } from '../members/views.js';
import { Removal, removed } from '../members/remove.js';
import { MemberFact as F } from '../store.js';
import { REMOVAL_SLICE, addressesOf } from './plan-removals.js';
import { OrgTree } from '../orgs/tree.js';
import { emailFree, externalAllowed, internalGroupsAllow, keepsAnActiveAdmin, notGroupOwners, seatsFor } from '../members/rules.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { mayTurnOnTwoStep } from '../mail/settings.js';

export interface Secret {
  email: string;
  temporaryPassword: string;
}

/** A member as it is and as the plan makes it: a change, a restore or a removal. */
export interface Update {
  before: Member;
  after: Member;
}

/**
 * Writes a roster's plan slice by slice inside the apply's transaction. What the whole-result rules
 * need is read when it begins (the active admins), worked out at the end (the seats held before),
 * or gathered from the slices as they go (new suspensions, admins changed, counts), so that no
 * slice's members are kept for them.
 */
export class RosterCommit {
  readonly secrets: Secret[] = [];
  private adminsBefore: Member[] = [];
  private added = 0;
  private restored = 0;
  private orgsWritten = false;
  private twoStep = false;
  /** Members the plan suspends: a group's owner may not be. */
  private readonly suspended: Member[] = [];
  /** Members as the plan leaves them whose role is or was admin (the last-admin rule's candidates). */
  private readonly admins: Member[] = [];

  private orgsToCreate: readonly Org[] = [];

  constructor(private readonly s: UnitOfWork, private readonly withSecrets: boolean) {}

  /**
   * Before anything is written: the orgs the plan creates (with its first write), and the active
   * admins, as the last-admin rule counts them.
   */
  async begin(orgsToCreate: readonly Org[]): Promise<void> {
    this.orgsToCreate = orgsToCreate;
    this.adminsBefore = (await this.s.tx.listAdmins()).filter((m) => isActiveAdmin(m, this.s.now));
  }

  /**
   * The seats held before the first slice was written, counted when a rule needs them (removals
   * are written last, after every rule): counting a 100,000-member table is not free, and an apply
   * that adds and restores no one never needs it.
   */
  async seatsBefore(): Promise<number> {
    return (await this.s.tx.countSeats()) - this.added - this.restored;
  }

  /** Creating orgs is the first permission a plan asks for, before those of its members. */
  private async mayWriteOrgs() {
    if (!this.orgsWritten && this.orgsToCreate.length) await requirePermission(this.s, 'orgs.manage');
  }

  /** The orgs the roster needs, created before the first member that may name one. */
  private async writeOrgs() {
    if (this.orgsWritten) return;
    this.orgsWritten = true;
    if (!this.orgsToCreate.length) return;
    const s = this.s;
    await s.tx.insertOrgs([...this.orgsToCreate]);
    s.invalidateOrgs();
    const tree = new OrgTree(await s.orgs());
    for (const o of this.orgsToCreate) s.record({ action: 'org.add', target: tree.pathOf(o.id)!, targetId: o.id });
  }

  /** Who may make these adds and changes (`updates`: the changes and the restores), and the rules a member at a time (addresses, domains). */
  private async check(adds: readonly Member[], updates: readonly Update[], changes: readonly Update[], restores: readonly Update[]) {
    const s = this.s;
    const actor = actorOf(s);
    if (adds.length) await requirePermission(s, 'members.manage', adds.map(orgsOf));
    if (changes.length) await requirePermission(s, 'members.manage', changes.map(({ before, after }) => orgsOfChange(before, after)));
    if (restores.length) await requirePermission(s, 'members.restore', restores.map(({ after }) => orgsOf(after)));
    if (updates.some(({ before, after }) => before.suspendedAt && !after.suspendedAt)) await requirePermission(s, 'members.unlock', updates.map(({ after }) => orgsOf(after)));
    const roleChanges = updates.filter(({ before, after }) => before.role !== after.role || before.scope.join() !== after.scope.join());
    if (roleChanges.length || adds.some((m) => m.role !== DEFAULT_ROLE)) await requirePermission(s, 'roles.manage');
    if (roleChanges.some(({ after }) => after.id === actor.id)) fail('PERMISSION_DENIED', `${actor.email} cannot change its own role or scope`, 'leave your own row as it is, or ask another admin');
    for (const { before, after } of updates) if (after.email !== before.email) await emailFree(s, after.email, after.id);
    await externalAllowed(s, [...adds.map((m) => m.email), ...updates.filter(({ before, after }) => before.email !== after.email || before.deletedAt).map(({ after }) => after.email)]);
    await internalGroupsAllow(s, updates.filter(({ before, after }) => before.email !== after.email));
  }

  /** One slice's adds and changes (restores among them): checked, written, and their audit entries chained. */
  async slice(adds: Member[], updates: Update[]): Promise<void> {
    if (!adds.length && !updates.length) return;
    const s = this.s;
    const changes = updates.filter(({ before }) => !before.deletedAt);
    const restores = updates.filter(({ before }) => before.deletedAt);
    await this.mayWriteOrgs();
    await this.check(adds, updates, changes, restores);
    await this.writeOrgs();
    this.added += adds.length;
    if (adds.length) {
      await s.tx.insertMembers(adds);
      if (this.withSecrets) {
        const creds = adds.map((m) => {
          const { credentials, temporaryPassword } = issueTemporaryPassword(m.id, s.nowIso);
          this.secrets.push({ email: m.email, temporaryPassword });
          return credentials;
        });
        await s.tx.saveCredentials(creds);
      }
      await auditChanges(s, 'member.add', [], adds);
      if (adds.some((m) => m.twoFactor)) this.twoStep = true;
    }
    this.restored += restores.length;
    if (updates.length) await s.tx.updateMembers(updates.map(({ after }) => after));
    if (changes.length) await auditChanges(s, 'member.update', changes.map((u) => u.before), changes.map((u) => u.after));
    if (restores.length) await auditChanges(s, 'member.restore', restores.map((u) => u.before), restores.map((u) => u.after));
    for (const { before, after } of updates) {
      if (after.suspendedAt && !before.suspendedAt) this.suspended.push(after);
      if (after.role === 'admin' || before.role === 'admin') this.admins.push(after);
      if (after.twoFactor && !before.twoFactor) this.twoStep = true;
    }
    await s.writeEvents();
  }

  /**
   * PERMISSION_DENIED unless the actor may remove `doomed` (their ids): checked before the removal
   * rails (§2: the permission, then the rules), which would otherwise name members to a member who
   * may not even see them.
   */
  async mayRemove(doomed: readonly string[]): Promise<void> {
    if (!doomed.length) return;
    const s = this.s;
    await this.mayWriteOrgs();
    await requirePermission(s, 'members.delete', async () => {
      const subjects = [];
      for await (const facts of addressesOf(s, doomed)) for (const f of facts) subjects.push(orgsOf({ orgId: f[F.orgId], orgIds: f[F.orgIds], email: f[F.email] }));
      return subjects;
    });
  }

  /**
   * The removals (`doomed`: their ids, that mayRemove allowed), then every rule on the whole result;
   * a refusal here still rolls every slice back. The removed members are read whole a slice at a
   * time, to be written: the rules need only the few among them that own a group or are admins.
   */
  async finish(doomed: readonly string[]): Promise<void> {
    const s = this.s;
    const adding = this.added + this.restored - doomed.length;
    if (adding > 0) await seatsFor(s, adding, await this.seatsBefore());
    const going = new Set(doomed);
    const owners = (await s.tx.listGroups()).filter((g) => going.has(g.ownerId)).map((g) => g.ownerId);
    await notGroupOwners(s, [...(owners.length ? await s.tx.getMembers([...new Set(owners)]) : []), ...this.suspended], 'remove or suspend');
    // Of the removed, only admins can be the last one: they are among the admins before, or changed by a slice.
    const admins = new Map([...this.adminsBefore, ...this.admins].map((m) => [m.id, m]));
    const adminsRemoved = doomed.flatMap((id) => (admins.has(id) ? [removed(s, admins.get(id)!)] : []));
    await keepsAnActiveAdmin(s, [...this.admins, ...adminsRemoved], 'apply a roster that removes, suspends or demotes', this.adminsBefore,
      (id) => going.has(id) || this.admins.some((m) => m.id === id));
    if (this.twoStep) await mayTurnOnTwoStep(s);
    if (!doomed.length) return;
    await this.writeOrgs();
    const removal = await Removal.of(s, doomed, 'roster --prune');
    for (let at = 0; at < doomed.length; at += REMOVAL_SLICE) {
      const before = await s.tx.getMembers(doomed.slice(at, at + REMOVAL_SLICE));
      await removal.write(before, before.map((m) => removed(s, m)));
      await s.writeEvents();
    }
  }
}
