// A workspace for core-level tests: a fresh SQLite file in a temporary directory, a clock the test
// moves by hand, and typed builders that set the scene through the core's own functions (no mocks,
// no rows written behind the core's back). Each call of write()/read() is one "command invocation":
// a new Workspace (so a new batch id) over the same store, at the harness's current time.
//
//   const h = await newHarness();                       // Acme, acme.example, alice@ the first admin
//   const bob = await h.addMember({ email: 'bob@acme.example', org: 'Sales/Tokyo', status: 'active' });
//   const err = await h.refusal(h.write(h.admin, (s) => suspendMembers(s, [bob.email])));
//
// The temporary directory is removed when the test finishes (vitest's onTestFinished).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { createRole, setRole } from '../../src/core/access/role-commands.js';
import { verifyChain, listAudit, type AuditEntry, type VerifyResult } from '../../src/core/audit/chain.js';
import { changePassword } from '../../src/core/auth/sign-in.js';
import { DAY, fixedClock, type Clock } from '../../src/core/clock.js';
import { RollcallError, type ErrorCode } from '../../src/core/errors.js';
import { addGroupMembers, createGroup } from '../../src/core/groups.js';
import { initWorkspace, prepareInit, type PreparedInit } from '../../src/core/init.js';
import { addMembers, type AddInput } from '../../src/core/members/add.js';
import { removeMembers } from '../../src/core/members/remove.js';
import { suspendMembers } from '../../src/core/members/suspend.js';
import { viewsOf, type MemberView } from '../../src/core/members/views.js';
import type { Credentials, Group, GroupMembership, InviteRecord, Member, Org } from '../../src/core/model.js';
import { ensureOrgPath } from '../../src/core/orgs/chart.js';
import { setSetting } from '../../src/core/settings.js';
import type { PurgedEmail } from '../../src/core/store.js';
import type { MailAccess } from '../../src/core/mail/port.js';
import type { UnitOfWork } from '../../src/core/unit-of-work.js';
import { openWorkspace, type Workspace } from '../../src/core/workspace.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';

export const T0 = '2030-01-07T09:00:00.000Z';
export const DOMAIN = 'acme.example';
export const ADMIN_EMAIL = `alice@${DOMAIN}`;
export const ADMIN_PASSWORD = 'Adm1nPassw0rd!';
/** The password members choose when a builder makes them active. */
export const MEMBER_PASSWORD = 'Memb3rPassw0rd';

export type BuiltStatus = 'invited' | 'active' | 'suspended' | 'deleted' | 'pending';

export interface MemberSpec {
  email: string;
  name?: string;
  role?: string;
  scope?: string[];
  /** The primary post; its orgs are created (with parents) if missing. */
  org?: string | null;
  /** Additional posts (兼務); created if missing. */
  orgs?: string[];
  title?: string | null;
  startDate?: string | null;
  /**
   * Where the member ends up (default `invited`). `active` sets its own password through passwd;
   * `suspended` and `deleted` go through member suspend / member remove (after activation when
   * `activeFirst`); `pending` needs a startDate after the harness's clock (one is chosen if absent).
   */
  status?: BuiltStatus;
  /** For `suspended`/`deleted`: make it active first (default false: activation costs ~100 ms of scrypt). */
  activeFirst?: boolean;
}

export interface HarnessOptions {
  seatLimit?: number;
  allowExternal?: boolean;
  /** ISO instant the clock starts at (default T0). */
  now?: string;
}

/** Everything a test may want to prove untouched by a refused command. */
export interface Snapshot {
  members: Member[];
  credentials: Array<Credentials | null>;
  orgs: Org[];
  groups: Group[];
  memberships: GroupMembership[];
  invites: InviteRecord[];
  meta: Record<string, string>;
  domains: string[];
  head: { seq: number; hash: string };
}

// scrypt costs ~50 ms a hash: the first admin's password is hashed once per test file and reused.
let prepared: Promise<PreparedInit> | null = null;
function preparedInit(): Promise<PreparedInit> {
  prepared ??= prepareInit({ name: 'Acme', domain: DOMAIN, adminEmail: ADMIN_EMAIL, adminName: 'Alice Admin', password: ADMIN_PASSWORD });
  return prepared;
}

export class Harness {
  /** The signed-in first admin, as init returned it (role admin, active). Re-read with `actor()` after changing it. */
  admin!: Member;
  private nowMs: number;
  /** Temporary passwords handed out by the builders, by email: what `activate` signs in with. */
  readonly temporaryPasswords = new Map<string, string>();
  /** How the workspaces ws() opens send mail (a test's fake mailer); none unless a test sets it. */
  mail: MailAccess | null = null;

  constructor(readonly dir: string, readonly store: SqliteStore, now: string) {
    this.nowMs = Date.parse(now);
  }

  // ------------------------------------------------------------------ time

  get now(): Date {
    return new Date(this.nowMs);
  }
  get nowIso(): string {
    return this.now.toISOString();
  }
  /** A clock fixed at the harness's current time (what $ROLLCALL_NOW gives the CLI). */
  clock(): Clock {
    return fixedClock(this.nowIso);
  }
  /** Moves the clock forward (or back, with a negative amount). */
  advance(ms: number): this {
    this.nowMs += ms;
    return this;
  }
  advanceDays(days: number): this {
    return this.advance(days * DAY);
  }
  setNow(iso: string): this {
    this.nowMs = Date.parse(iso);
    return this;
  }

  // ------------------------------------------------------------------ running core functions

  /** A new Workspace at the current time, as one CLI invocation opens it (own batch id, automatic purge). */
  ws(): Workspace {
    return openWorkspace(this.store, this.clock(), this.mail);
  }
  /** One write transaction as `actor` (a Member, an email re-read now, or null for nobody). */
  async write<T>(actor: Member | string | null, fn: (s: UnitOfWork) => Promise<T>): Promise<T> {
    const who = typeof actor === 'string' ? await this.actor(actor) : actor;
    return this.ws().write(who, fn);
  }
  async read<T>(actor: Member | string | null, fn: (s: UnitOfWork) => Promise<T>): Promise<T> {
    const who = typeof actor === 'string' ? await this.actor(actor) : actor;
    return this.ws().read(who, fn);
  }

  /** The member as stored now (what the CLI's authenticate hands the core); throws if there is none. */
  async actor(email: string): Promise<Member> {
    const m = await this.raw(email);
    if (!m) throw new Error(`harness: no member ${email}`);
    return m;
  }

  // ------------------------------------------------------------------ reading back

  /** The stored record, removed members included; null once purged (or never added). */
  raw(email: string): Promise<Member | null> {
    return this.store.read((tx) => tx.getMemberByEmail(email));
  }
  /** The public view (status derived at the harness's time), read through the core. */
  async view(email: string): Promise<MemberView> {
    const m = await this.actor(email);
    return this.read(null, async (s) => (await viewsOf(s, [m]))[0]);
  }
  async status(email: string): Promise<MemberView['status'] | 'purged'> {
    return (await this.raw(email)) ? (await this.view(email)).status : 'purged';
  }
  credentials(email: string): Promise<Credentials | null> {
    return this.store.read(async (tx) => {
      const m = await tx.getMemberByEmail(email);
      return m ? tx.getCredentials(m.id) : null;
    });
  }
  purged(emailOrId: string): Promise<PurgedEmail | null> {
    return this.store.read((tx) => tx.getPurged(emailOrId));
  }
  seatsUsed(): Promise<number> {
    return this.store.read((tx) => tx.countSeats());
  }
  /** The whole audit log, oldest first. */
  async audit(): Promise<AuditEntry[]> {
    return (await this.store.read((tx) => listAudit(tx, { limit: 1_000_000 }))).reverse();
  }
  head(): Promise<{ seq: number; hash: string }> {
    return this.store.read((tx) => tx.auditHead());
  }
  verify(): Promise<VerifyResult> {
    return this.store.read((tx) => verifyChain(tx));
  }

  async snapshot(): Promise<Snapshot> {
    return this.store.read(async (tx) => {
      const members = await tx.listMembers();
      return {
        members,
        credentials: await Promise.all(members.map((m) => tx.getCredentials(m.id))),
        orgs: await tx.listOrgs(),
        groups: await tx.listGroups(),
        memberships: await tx.listGroupMemberships({}),
        invites: await tx.listInvites(),
        meta: await tx.getMeta(),
        domains: await tx.listDomains(),
        head: await tx.auditHead(),
      };
    });
  }

  /**
   * Runs a command that must be refused with `code`, and proves the refusal left the workspace
   * exactly as it was (members, credentials, orgs, groups, invitations, settings, audit head).
   */
  async refuses(code: ErrorCode, run: () => Promise<unknown>): Promise<RollcallError> {
    const before = await this.snapshot();
    const err = await caught(run());
    expect(err.code, err.message).toBe(code);
    expect(await this.snapshot()).toEqual(before);
    return err;
  }

  // ------------------------------------------------------------------ builders (through the core)

  /** Creates the org paths (with parents) that are missing, as the first admin. */
  async orgs(...paths: string[]): Promise<void> {
    if (!paths.length) return;
    await this.write(this.admin.email, async (s) => {
      for (const p of paths) await ensureOrgPath(s, p, true);
    });
  }

  async settings(values: { seatLimit?: number; allowExternal?: boolean; name?: string }): Promise<void> {
    await this.write(this.admin.email, async (s) => {
      if (values.name !== undefined) await setSetting(s, 'name', values.name);
      if (values.seatLimit !== undefined) await setSetting(s, 'seat-limit', String(values.seatLimit));
      if (values.allowExternal !== undefined) await setSetting(s, 'allow-external', String(values.allowExternal));
    });
  }

  /** A custom role (role create), as the first admin. */
  async customRole(name: string, permissions: string[]): Promise<void> {
    await this.write(this.admin.email, (s) => createRole(s, name, permissions.join(',')));
  }

  /** member add (by the first admin), then whatever the status asks for; returns the stored record. */
  async addMember(spec: MemberSpec): Promise<Member> {
    return (await this.addMembers([spec]))[0];
  }

  /** Several members in one `member add` (one batch), then each one's status through its own command. */
  async addMembers(specs: MemberSpec[]): Promise<Member[]> {
    await this.orgs(...new Set(specs.flatMap((m) => [...(m.org ? [m.org] : []), ...(m.orgs ?? []), ...(m.scope ?? [])])));
    const inputs: AddInput[] = specs.map((m) => ({
      email: m.email, name: m.name ?? m.email.split('@')[0], role: m.role, scope: m.scope, org: m.org ?? null, addOrgs: m.orgs,
      title: m.title, startDate: m.startDate ?? (m.status === 'pending' ? this.daysFromNow(30) : null),
    }));
    const added = await this.write(this.admin.email, (s) => addMembers(s, inputs));
    for (const a of added) this.temporaryPasswords.set(a.member.email, a.temporaryPassword!);
    for (const [i, spec] of specs.entries()) {
      const email = added[i].member.email;
      const status = spec.status ?? 'invited';
      const activeFirst = spec.activeFirst ?? false;
      if (status === 'active' || ((status === 'suspended' || status === 'deleted') && activeFirst)) await this.activate(email);
      if (status === 'suspended') await this.write(this.admin.email, (s) => suspendMembers(s, [email], 'test'));
      if (status === 'deleted') await this.write(this.admin.email, (s) => removeMembers(s, [email]));
    }
    return Promise.all(added.map((a) => this.raw(a.member.email).then((m) => m!)));
  }

  /** The member sets its own password with its temporary one (passwd): it becomes active. ~100 ms of scrypt. */
  async activate(email: string): Promise<Member> {
    const temp = this.temporaryPasswords.get(email);
    if (!temp) throw new Error(`harness: no temporary password known for ${email}`);
    const m = await changePassword(this.ws(), email, temp, MEMBER_PASSWORD);
    this.temporaryPasswords.delete(email);
    return m;
  }

  /** role set by the first admin. */
  async setRole(email: string, role: string, scope: string[] = []): Promise<Member> {
    await this.orgs(...scope);
    await this.write(this.admin.email, (s) => setRole(s, [email], role, scope));
    return this.actor(email);
  }

  /** A group created by `owner` (who must hold groups.create), with group admins and members added by the owner. */
  async group(name: string, owner: string, opts: { admins?: string[]; members?: string[]; internalOnly?: boolean } = {}): Promise<void> {
    await this.write(owner, async (s) => {
      await createGroup(s, name, { internalOnly: opts.internalOnly });
      if (opts.admins?.length) await addGroupMembers(s, name, opts.admins, 'admin');
      if (opts.members?.length) await addGroupMembers(s, name, opts.members, 'member');
    });
  }

  daysFromNow(days: number): string {
    return new Date(this.nowMs + days * DAY).toISOString().slice(0, 10);
  }

  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A fresh workspace (Acme, acme.example, alice@ its first admin, active and signed in), removed after the test. */
export async function newHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-core-'));
  let store: SqliteStore;
  try {
    store = SqliteStore.open(join(dir, 'acme.db'), { create: true });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const h = new Harness(dir, store, opts.now ?? T0);
  onTestFinished(() => h.close());
  const init = await preparedInit();
  const signedIn = await initWorkspace(h.ws(), { ...init, seatLimit: opts.seatLimit ?? init.seatLimit });
  h.admin = signedIn.member;
  if (opts.allowExternal) await h.settings({ allowExternal: true });
  return h;
}

/** The RollcallError a promise rejects with; fails the test if it resolves or throws something else. */
export async function caught(p: Promise<unknown>): Promise<RollcallError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RollcallError) return e;
    throw e;
  }
  throw new Error('expected a RollcallError, but the call succeeded');
}

/** The actions of audit entries, in order. */
export function actions(entries: readonly AuditEntry[]): string[] {
  return entries.map((e) => e.action);
}
