// Model-based test (SPEC §1, §3–§8, §12): fast-check generates random sequences of member, role,
// org, group, invitation and roster commands; each runs through the CLI against a fresh workspace
// and against a small model of what the spec says should happen. After every step:
//   - the outcome is the one the model predicts (success, or the rule's error code with nothing
//     changed),
//   - the workspace's members, statuses, roles, orgs, groups and owners equal the model's,
//   - and the invariants hold, read from the workspace itself: seats used ≤ the seat limit, at
//     least one active admin, exactly one owner per group, owners never suspended or removed,
//     removed members restorable until day 7 and gone after, emails unique.
// ROLLCALL_PROP_RUNS and ROLLCALL_PROP_SEED reproduce a failing sequence (fast-check prints both).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, PW, T0, World, describeRun, type Result } from '../helpers/world.js';

// A sequence costs ~0.2 s on SQLite, ~1 s on PostgreSQL.
const RUNS = Number(process.env.ROLLCALL_PROP_RUNS || (BACKEND === 'pg' ? 15 : 60));
const SEED = process.env.ROLLCALL_PROP_SEED ? Number(process.env.ROLLCALL_PROP_SEED) : undefined;
const SEAT_LIMIT = 5;
const POOL = ['bob', 'cat', 'dan', 'eve', 'fay', 'gus'].map((n) => `${n}@acme.example`);
const EVERYONE = [ADMIN, ...POOL];
const GROUPS = ['G0', 'G1'];
const ORGS = ['Sales', 'Eng'];
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WINDOW = 7 * DAY;
const TEMP_VALID = 30 * DAY;
const INVITE_VALID = DAY;

type Role = 'admin' | 'viewer';
type Status = 'invited' | 'active' | 'suspended' | 'deleted';

interface ModelMember {
  email: string;
  role: Role;
  org: string | null;
  hasPassword: boolean;
  password: string | null;
  suspended: boolean;
  deletedAt: number | null;
  temp: { value: string; at: number } | null;
  invite: { token: string; at: number } | null;
}

interface ModelGroup {
  owner: string;
  roles: Map<string, 'admin' | 'member'>;
}

class Model {
  now = Date.parse(T0);
  members = new Map<string, ModelMember>();
  purged = new Set<string>();
  groups = new Map<string, ModelGroup>();
  orgs = new Set<string>();
  private pwSeq = 0;

  constructor() {
    this.members.set(ADMIN, { email: ADMIN, role: 'admin', org: null, hasPassword: true, password: PW, suspended: false, deletedAt: null, temp: null, invite: null });
  }

  status(m: ModelMember): Status {
    if (m.deletedAt !== null) return 'deleted';
    if (m.suspended) return 'suspended';
    return m.hasPassword ? 'active' : 'invited';
  }

  live(): ModelMember[] {
    return [...this.members.values()].filter((m) => m.deletedAt === null);
  }

  activeAdmins(): ModelMember[] {
    return this.live().filter((m) => m.role === 'admin' && this.status(m) === 'active');
  }

  /** Who runs admin commands: alice while she is an active admin, else the first active admin. */
  actor(): string {
    const admins = this.activeAdmins().map((m) => m.email).sort();
    return admins.includes(ADMIN) ? ADMIN : admins[0];
  }

  isLastActiveAdmin(m: ModelMember): boolean {
    return this.status(m) === 'active' && m.role === 'admin' && this.activeAdmins().length === 1;
  }

  /** The codes a suspend or remove of `m` may be refused with (§3): none when it may go ahead. */
  refusalsToStop(m: ModelMember): string[] {
    if (this.status(m) === 'deleted') return ['INVALID_STATE'];
    return [...(this.ownerOf(m.email) ? ['OWNER_PROTECTED'] : []), ...(this.isLastActiveAdmin(m) ? ['LAST_ADMIN'] : [])];
  }

  ownerOf(email: string): string | null {
    for (const [name, g] of this.groups) if (g.owner === email) return name;
    return null;
  }

  /** Past the 7-day window: purged at the start of the next write, and not restorable anyway. */
  purgeExpired() {
    for (const m of [...this.members.values()]) {
      if (m.deletedAt !== null && this.now > m.deletedAt + WINDOW) {
        this.members.delete(m.email);
        this.purged.add(m.email);
        for (const g of this.groups.values()) g.roles.delete(m.email);
      }
    }
  }

  newPassword(): string {
    return `Model${++this.pwSeq}Passw0rd!`;
  }

  clone(): Model {
    const c = new Model();
    c.now = this.now;
    c.members = new Map([...this.members].map(([k, m]) => [k, { ...m }]));
    c.purged = new Set(this.purged);
    c.groups = new Map([...this.groups].map(([k, g]) => [k, { owner: g.owner, roles: new Map(g.roles) }]));
    c.orgs = new Set(this.orgs);
    c.pwSeq = this.pwSeq;
    return c;
  }
}

// ---------------------------------------------------------------- the real workspace

class Real {
  private tokens = new Map<string, string>();
  readonly log: string[] = [];
  constructor(readonly w: World) {
    this.tokens.set(ADMIN, w.token!);
  }

  /** Runs as `email` through its own API token, made on first use by a real login. */
  async as(m: Model, email: string, args: string[], input?: string): Promise<Result> {
    let token = this.tokens.get(email);
    if (!token) {
      const member = m.members.get(email)!;
      const login = await this.w.run(['login', email, '--password-stdin'], { actor: email, token: null, input: member.password + '\n', now: iso(m.now) });
      this.check(login, 'login of an active member');
      const t = await this.w.run(['token', 'create', '--name', 'model', '--expires-in', '3000d', '--json'], { actor: email, token: null, now: iso(m.now) });
      this.check(t, 'token create');
      token = t.json().token as string;
      this.tokens.set(email, token);
    }
    return this.run(m, args, { actor: email, token, input });
  }

  async run(m: Model, args: string[], opts: { actor?: string; token?: string | null; input?: string } = {}): Promise<Result> {
    const r = await this.w.run(args, { actor: opts.actor ?? 'nobody', token: opts.token ?? null, input: opts.input, now: iso(m.now) });
    this.log.push(`${args.join(' ')} → ${r.code}${r.errCode() ? ' ' + r.errCode() : ''}`);
    return r;
  }

  /** Removal revokes a member's tokens for good. */
  forget(email: string) {
    this.tokens.delete(email);
  }

  check(r: Result, what: string) {
    expect(r.code, `${what}\n${describeRun(r)}\n${this.trail()}`).toBe(0);
  }

  trail(): string {
    return `steps so far:\n  ${this.log.join('\n  ')}`;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The run succeeded, or failed with one of the codes the model allows (and changed nothing). */
function expectOutcome(real: Real, r: Result, allowed: Array<string | 'ok'>, what: string): boolean {
  const got = r.code === 0 ? 'ok' : r.errCode() ?? `exit ${r.code}`;
  expect(allowed, `${what}: expected ${allowed.join(' or ')}, got ${got}\n${describeRun(r)}\n${real.trail()}`).toContain(got);
  return r.code === 0;
}

// ---------------------------------------------------------------- reading the workspace back

async function checkAgainstModel(m: Model, real: Real) {
  const actor = m.actor();
  const read = async (args: string[]) => {
    const r = await real.as(m, actor, [...args, '--json']);
    real.check(r, `reading ${args.join(' ')}`);
    return r.json();
  };
  const live: any[] = await read(['member', 'list']);
  const deleted: any[] = await read(['member', 'list', '--status', 'deleted']);
  const ws = await read(['workspace', 'show']);
  const groups: any[] = await read(['group', 'list']);
  const orgs: any[] = await read(['org', 'list']);
  const why = real.trail();

  // Emails unique.
  const emails = live.map((x) => x.email);
  expect(new Set(emails).size, `duplicate emails\n${why}`).toBe(emails.length);
  // Seats: every member not removed holds one; never more than the limit.
  expect(ws.seatsUsed, `seats used\n${why}`).toBe(live.length);
  expect(ws.seatsUsed, `seat limit\n${why}`).toBeLessThanOrEqual(ws.seatLimit);
  // At least one active admin.
  expect(live.filter((x) => x.role === 'admin' && x.status === 'active').length, `no active admin\n${why}`).toBeGreaterThan(0);
  // Removed members: restorable until day 7 (restorableUntil = deletedAt + 7 days), gone after.
  for (const d of deleted) {
    expect(Date.parse(d.restorableUntil) - Date.parse(d.deletedAt), `restorableUntil of ${d.email}\n${why}`).toBe(WINDOW);
  }
  const restorable = deleted.filter((d) => Date.parse(d.restorableUntil) >= m.now);

  // The workspace equals the model.
  const modelLive = m.live().map((x) => ({ email: x.email, status: m.status(x), role: x.role, org: x.org })).sort(byEmail);
  expect(live.map((x) => ({ email: x.email, status: x.status, role: x.role, org: x.org })).sort(byEmail), `members\n${why}`).toEqual(modelLive);
  const modelDeleted = [...m.members.values()].filter((x) => x.deletedAt !== null && m.now <= x.deletedAt + WINDOW).map((x) => ({ email: x.email, deletedAt: iso(x.deletedAt!) })).sort(byEmail);
  expect(restorable.map((x) => ({ email: x.email, deletedAt: x.deletedAt })).sort(byEmail), `removed members\n${why}`).toEqual(modelDeleted);
  expect(orgs.map((o) => o.path).sort(), `orgs\n${why}`).toEqual([...m.orgs].sort());

  // Groups: the model's groups and owners; exactly one owner, active, never suspended or removed.
  expect(groups.map((g) => ({ name: g.name, owner: g.owner })).sort(byName), `groups\n${why}`)
    .toEqual([...m.groups].map(([name, g]) => ({ name, owner: g.owner })).sort(byName));
  const liveByEmail = new Map(live.map((x) => [x.email, x]));
  for (const g of groups) {
    expect(liveByEmail.get(g.owner)?.status, `owner of ${g.name}\n${why}`).toBe('active');
    const shown = await real.as(m, g.owner, ['group', 'show', g.name, '--json']);
    real.check(shown, `group show ${g.name} as its owner`);
    const owners = (shown.json().members as any[]).filter((x) => x.owner);
    expect(owners.map((x) => x.email), `owners of ${g.name}\n${why}`).toEqual([g.owner]);
    expect(owners[0].role, `the owner of ${g.name} is a group admin\n${why}`).toBe('admin');
  }
}

const byEmail = (a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email);
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

// ---------------------------------------------------------------- commands

type Cmd = fc.AsyncCommand<Model, Real>;

/** Every command starts by letting the clock's purge happen, and ends by reading the workspace back. */
abstract class Step implements Cmd {
  check(_m: Readonly<Model>): boolean {
    return true;
  }
  async run(m: Model, real: Real): Promise<void> {
    m.purgeExpired();
    await this.act(m, real);
    await checkAgainstModel(m, real);
  }
  abstract act(m: Model, real: Real): Promise<void>;
  abstract toString(): string;
}

class AddMember extends Step {
  constructor(readonly email: string, readonly role: Role, readonly viaInvite: boolean) { super(); }
  async act(m: Model, real: Real) {
    const existing = m.members.get(this.email);
    const full = m.live().length >= SEAT_LIMIT;
    if (this.viaInvite) {
      const r = await real.as(m, m.actor(), ['invite', 'issue', this.email, '--name', this.email.split('@')[0], '--role', this.role, '--json']);
      const allowed = existing
        ? (m.status(existing) === 'invited' ? ['ok'] : m.status(existing) === 'deleted' ? ['ALREADY_EXISTS'] : ['INVALID_STATE'])
        : [full ? 'SEAT_LIMIT_REACHED' : 'ok'];
      if (!expectOutcome(real, r, allowed, this.toString())) return;
      const invite = { token: r.json().inviteToken as string, at: m.now };
      if (existing) Object.assign(existing, { role: this.role, invite });
      else m.members.set(this.email, fresh(this.email, this.role, { invite }));
      return;
    }
    const r = await real.as(m, m.actor(), ['member', 'add', this.email, '--name', this.email.split('@')[0], '--role', this.role, '--json']);
    if (!expectOutcome(real, r, [existing ? 'ALREADY_EXISTS' : full ? 'SEAT_LIMIT_REACHED' : 'ok'], this.toString())) return;
    m.members.set(this.email, fresh(this.email, this.role, { temp: { value: r.json().temporaryPassword, at: m.now } }));
  }
  toString() { return `${this.viaInvite ? 'invite issue' : 'member add'} ${this.email} --role ${this.role}`; }
}

function fresh(email: string, role: Role, extra: Partial<ModelMember>): ModelMember {
  return { email, role, org: null, hasPassword: false, password: null, suspended: false, deletedAt: null, temp: null, invite: null, ...extra };
}

/** An invited member sets its password: by its invitation, or by its temporary password (reset first if it has none). */
class Activate extends Step {
  constructor(readonly i: number, readonly viaInvite: boolean) { super(); }
  private target(m: Readonly<Model>): ModelMember | undefined {
    const invited = [...m.members.values()].filter((x) => m.status(x) === 'invited');
    return invited[this.i % Math.max(1, invited.length)];
  }
  override check(m: Readonly<Model>) { return !!this.target(m); }
  async act(m: Model, real: Real) {
    const t = this.target(m)!;
    const pw = m.newPassword();
    if (this.viaInvite && t.invite && m.now < t.invite.at + INVITE_VALID) {
      const r = await real.run(m, ['invite', 'accept', t.invite.token, '--password-stdin'], { input: `${pw}\n${pw}\n` });
      expectOutcome(real, r, ['ok'], `invite accept for ${t.email}`);
    } else {
      if (!t.temp || m.now >= t.temp.at + TEMP_VALID) {
        const reset = await real.as(m, m.actor(), ['member', 'reset-password', t.email, '--json']);
        expectOutcome(real, reset, ['ok'], `member reset-password ${t.email}`);
        t.temp = { value: reset.json()[0].temporaryPassword, at: m.now };
      }
      const r = await real.run(m, ['passwd', t.email, '--password-stdin'], { actor: t.email, input: `${t.temp.value}\n${pw}\n` });
      expectOutcome(real, r, ['ok'], `passwd ${t.email} with its temporary password`);
    }
    Object.assign(t, { hasPassword: true, password: pw, temp: null, invite: null });
  }
  toString() { return `activate #${this.i}${this.viaInvite ? ' (invitation)' : ''}`; }
}

/** A member of the pool (or alice), by index, whatever its state. */
abstract class OnMember extends Step {
  constructor(readonly email: string) { super(); }
  member(m: Readonly<Model>) { return m.members.get(this.email); }
}

class Suspend extends OnMember {
  override check(m: Readonly<Model>) { return !!this.member(m); }
  async act(m: Model, real: Real) {
    const t = this.member(m)!;
    const r = await real.as(m, m.actor(), ['member', 'suspend', t.email, '--json']);
    const allowed = m.refusalsToStop(t);
    if (expectOutcome(real, r, allowed.length ? allowed : ['ok'], this.toString())) t.suspended = true;
  }
  toString() { return `member suspend ${this.email}`; }
}

class Unsuspend extends OnMember {
  override check(m: Readonly<Model>) { return !!this.member(m); }
  async act(m: Model, real: Real) {
    const t = this.member(m)!;
    const r = await real.as(m, m.actor(), ['member', 'unsuspend', t.email, '--json']);
    if (expectOutcome(real, r, [m.status(t) === 'suspended' ? 'ok' : 'INVALID_STATE'], this.toString())) t.suspended = false;
  }
  toString() { return `member unsuspend ${this.email}`; }
}

class Remove extends OnMember {
  override check(m: Readonly<Model>) { return !!this.member(m); }
  async act(m: Model, real: Real) {
    const t = this.member(m)!;
    const r = await real.as(m, m.actor(), ['member', 'remove', t.email, '--json']);
    const allowed = m.refusalsToStop(t);
    if (!expectOutcome(real, r, allowed.length ? allowed : ['ok'], this.toString())) return;
    Object.assign(t, { deletedAt: m.now, temp: null, invite: null });
    real.forget(t.email);
  }
  toString() { return `member remove ${this.email}`; }
}

/** A removed member (or a purged email no one holds now), by index. */
class Restore extends Step {
  constructor(readonly i: number) { super(); }
  private candidates(m: Readonly<Model>): string[] {
    const removed = [...m.members.values()].filter((x) => x.deletedAt !== null).map((x) => x.email);
    return [...removed, ...[...m.purged].filter((e) => !m.members.has(e))].sort();
  }
  override check(m: Readonly<Model>) { return this.candidates(m).length > 0; }
  async act(m: Model, real: Real) {
    const all = this.candidates(m);
    const email = all[this.i % all.length];
    const t = m.members.get(email);
    const r = await real.as(m, m.actor(), ['member', 'restore', email, '--json']);
    const expected = !t ? 'RESTORE_WINDOW_EXPIRED' : m.live().length >= SEAT_LIMIT ? 'SEAT_LIMIT_REACHED' : 'ok';
    if (expectOutcome(real, r, [expected], `member restore ${email}`)) t!.deletedAt = null;
  }
  toString() { return `restore #${this.i}`; }
}

class SetRole extends OnMember {
  constructor(email: string, readonly role: Role) { super(email); }
  // Nobody changes their own role (§4): the actor is never the target.
  override check(m: Readonly<Model>) { return !!this.member(m) && this.email !== (m as Model).actor(); }
  async act(m: Model, real: Real) {
    const t = this.member(m)!;
    const r = await real.as(m, m.actor(), ['role', 'set', t.email, this.role, '--json']);
    let expected = 'ok';
    if (m.status(t) === 'deleted') expected = 'INVALID_STATE';
    else if (this.role !== 'admin' && m.isLastActiveAdmin(t)) expected = 'LAST_ADMIN';
    if (expectOutcome(real, r, [expected], this.toString())) t.role = this.role;
  }
  toString() { return `role set ${this.email} ${this.role}`; }
}

/** Time passes: odd lengths, so that no sum of them lands exactly on a 7-day boundary. */
class Tick extends Step {
  constructor(readonly ms: number) { super(); }
  // Passwords expire after 90 days; sequences stay well inside that.
  override check(m: Readonly<Model>) { return m.now + this.ms < Date.parse(T0) + 60 * DAY; }
  async act(m: Model) {
    m.now += this.ms;
    m.purgeExpired(); // before the next step's precondition is checked
  }
  toString() { return `time passes: ${(this.ms / DAY).toFixed(2)} days`; }
}

class GroupCreate extends Step {
  constructor(readonly name: string) { super(); }
  async act(m: Model, real: Real) {
    const actor = m.actor();
    const r = await real.as(m, actor, ['group', 'create', this.name, '--json']);
    if (expectOutcome(real, r, [m.groups.has(this.name) ? 'ALREADY_EXISTS' : 'ok'], this.toString())) {
      m.groups.set(this.name, { owner: actor, roles: new Map([[actor, 'admin']]) });
    }
  }
  toString() { return `group create ${this.name}`; }
}

abstract class OnGroup extends Step {
  constructor(readonly name: string) { super(); }
  override check(m: Readonly<Model>) { return m.groups.has(this.name); }
}

class GroupAdd extends OnGroup {
  constructor(name: string, readonly email: string, readonly role: 'admin' | 'member') { super(name); }
  override check(m: Readonly<Model>) { return super.check(m) && m.members.has(this.email); }
  async act(m: Model, real: Real) {
    const g = m.groups.get(this.name)!;
    const t = m.members.get(this.email)!;
    const r = await real.as(m, g.owner, ['group', 'add-member', this.name, this.email, '--role', this.role, '--json']);
    const expected = m.status(t) === 'deleted' ? 'INVALID_STATE' : g.owner === this.email && this.role === 'member' ? 'OWNER_PROTECTED' : 'ok';
    if (expectOutcome(real, r, [expected], this.toString())) g.roles.set(this.email, this.role);
  }
  toString() { return `group add-member ${this.name} ${this.email} --role ${this.role}`; }
}

/** To one of the group's other admins (by index), or to anyone at all. */
class GroupTransfer extends OnGroup {
  constructor(name: string, readonly to: { admin: number } | { anyone: string }) { super(name); }
  private target(m: Readonly<Model>): string | undefined {
    const g = m.groups.get(this.name)!;
    if ('anyone' in this.to) return this.to.anyone !== g.owner && m.members.has(this.to.anyone) ? this.to.anyone : undefined;
    const admins = [...g.roles].filter(([e, r]) => r === 'admin' && e !== g.owner).map(([e]) => e).sort();
    return admins[this.to.admin % Math.max(1, admins.length)];
  }
  override check(m: Readonly<Model>) { return super.check(m) && !!this.target(m); }
  async act(m: Model, real: Real) {
    const g = m.groups.get(this.name)!;
    const email = this.target(m)!;
    const t = m.members.get(email)!;
    const r = await real.as(m, g.owner, ['group', 'transfer-owner', this.name, '--to', email, '--json']);
    const eligible = g.roles.get(email) === 'admin' && m.status(t) === 'active';
    if (expectOutcome(real, r, eligible ? ['ok'] : ['TARGET_NOT_GROUP_ADMIN'], `group transfer-owner ${this.name} --to ${email}`)) g.owner = email;
  }
  toString() { return `group transfer-owner ${this.name} --to ${'anyone' in this.to ? this.to.anyone : `admin #${this.to.admin}`}`; }
}

class GroupDelete extends OnGroup {
  async act(m: Model, real: Real) {
    const r = await real.as(m, m.groups.get(this.name)!.owner, ['group', 'delete', this.name, '--yes', '--json']);
    if (expectOutcome(real, r, ['ok'], this.toString())) m.groups.delete(this.name);
  }
  toString() { return `group delete ${this.name}`; }
}

class OrgAdd extends Step {
  constructor(readonly path: string) { super(); }
  async act(m: Model, real: Real) {
    const r = await real.as(m, m.actor(), ['org', 'add', this.path, '--json']);
    if (expectOutcome(real, r, [m.orgs.has(this.path) ? 'ALREADY_EXISTS' : 'ok'], this.toString())) m.orgs.add(this.path);
  }
  toString() { return `org add ${this.path}`; }
}

class OrgRm extends Step {
  constructor(readonly path: string) { super(); }
  override check(m: Readonly<Model>) { return m.orgs.has(this.path); }
  async act(m: Model, real: Real) {
    const r = await real.as(m, m.actor(), ['org', 'rm', this.path, '--yes', '--json']);
    // Removed members count until purged: a restore needs its org.
    const inUse = [...m.members.values()].some((x) => x.org === this.path);
    if (expectOutcome(real, r, [inUse ? 'ORG_NOT_EMPTY' : 'ok'], this.toString())) m.orgs.delete(this.path);
  }
  toString() { return `org rm ${this.path}`; }
}

class MemberMove extends OnMember {
  constructor(email: string, readonly path: string) { super(email); }
  override check(m: Readonly<Model>) { return !!this.member(m) && m.orgs.has(this.path); }
  async act(m: Model, real: Real) {
    const t = this.member(m)!;
    const r = await real.as(m, m.actor(), ['member', 'move', t.email, '--org', this.path, '--json']);
    if (expectOutcome(real, r, [m.status(t) === 'deleted' ? 'INVALID_STATE' : 'ok'], this.toString())) t.org = this.path;
  }
  toString() { return `member move ${this.email} --org ${this.path}`; }
}

/** A roster of some of the pool with roles; with --prune, everyone else not in it is removed. */
class Apply extends Step {
  constructor(readonly rows: Array<{ email: string; role: Role }>, readonly prune: boolean, readonly withActor: boolean) { super(); }
  async act(m: Model, real: Real) {
    const actor = m.actor();
    // Nobody changes their own role (§4): the actor's row, if any, keeps the actor's role.
    const rows = this.rows.filter((r) => r.email !== actor);
    if (this.withActor || this.rows.length !== rows.length) rows.push({ email: actor, role: m.members.get(actor)!.role });
    const after = m.clone();
    const listed = new Set(rows.map((r) => r.email));
    for (const row of rows) {
      const t = after.members.get(row.email);
      if (!t) after.members.set(row.email, fresh(row.email, row.role, {}));
      else Object.assign(t, { role: row.role, deletedAt: null });
    }
    const problems: string[] = [];
    if (this.prune) {
      for (const t of after.live()) {
        if (listed.has(t.email)) continue;
        if (t.email === actor) problems.push('INVALID_STATE');
        if (after.ownerOf(t.email)) problems.push('OWNER_PROTECTED');
        t.deletedAt = m.now;
      }
    }
    if (after.live().length > SEAT_LIMIT) problems.push('SEAT_LIMIT_REACHED');
    if (!after.activeAdmins().length) problems.push('LAST_ADMIN');

    const file = real.w.file(`roster-${real.log.length}.csv`, 'email,name,role\n' + rows.map((r) => `${r.email},${r.email.split('@')[0]},${r.role}`).join('\n') + '\n');
    const r = await real.as(m, actor, ['apply', file, ...(this.prune ? ['--prune', '--yes'] : []), '--json']);
    if (!expectOutcome(real, r, problems.length ? problems : ['ok'], this.toString())) return;
    for (const t of after.members.values()) {
      const before = m.members.get(t.email);
      if (t.deletedAt !== null && before?.deletedAt === null) {
        Object.assign(t, { temp: null, invite: null });
        real.forget(t.email);
      }
    }
    m.members = after.members;
  }
  toString() { return `apply ${this.rows.map((r) => `${r.email.split('@')[0]}:${r.role}`).join(',')}${this.withActor ? ',(actor)' : ''}${this.prune ? ' --prune' : ''}`; }
}

// ---------------------------------------------------------------- the property

const email = fc.constantFrom(...POOL);
const anyone = fc.constantFrom(...EVERYONE);
const role = fc.constantFrom<Role>('viewer', 'viewer', 'admin');
const group = fc.constantFrom(...GROUPS);
const org = fc.constantFrom(...ORGS);
const commands = [
  fc.tuple(email, role, fc.boolean()).map(([e, r, inv]) => new AddMember(e, r, inv)),
  fc.tuple(fc.nat(9), fc.boolean()).map(([i, inv]) => new Activate(i, inv)),
  anyone.map((e) => new Suspend(e)),
  anyone.map((e) => new Unsuspend(e)),
  anyone.map((e) => new Remove(e)),
  fc.nat(9).map((i) => new Restore(i)),
  fc.nat(9).map((i) => new Restore(i)),
  fc.tuple(anyone, role).map(([e, r]) => new SetRole(e, r)),
  fc.constantFrom(61 * MINUTE + 7000, 25 * 60 * MINUTE + 7000, 3 * DAY + 7000, 8 * DAY + 7000).map((ms) => new Tick(ms)),
  group.map((g) => new GroupCreate(g)),
  fc.tuple(group, anyone, fc.constantFrom<'admin' | 'member'>('admin', 'member')).map(([g, e, r]) => new GroupAdd(g, e, r)),
  fc.tuple(group, anyone).map(([g, e]) => new GroupAdd(g, e, 'admin')),
  fc.tuple(group, fc.nat(9)).map(([g, i]) => new GroupTransfer(g, { admin: i })),
  fc.tuple(group, anyone).map(([g, e]) => new GroupTransfer(g, { anyone: e })),
  group.map((g) => new GroupDelete(g)),
  org.map((o) => new OrgAdd(o)),
  org.map((o) => new OrgRm(o)),
  fc.tuple(anyone, org).map(([e, o]) => new MemberMove(e, o)),
  fc.tuple(fc.uniqueArray(fc.record({ email: anyone, role }), { selector: (r) => r.email, minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
    .map(([rows, prune, withActor]) => new Apply(rows, prune, withActor)),
];

describe('model-based: random command sequences keep every invariant and match the model', () => {
  it('holds for random sequences of member, role, org, group, invite and roster commands', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'max' }), async (cmds) => {
        const w = await World.ready();
        const real = new Real(w);
        const m = new Model();
        const setLimit = await real.run(m, ['workspace', 'set', 'seat-limit', String(SEAT_LIMIT)], { token: w.token });
        real.check(setLimit, 'workspace set seat-limit');
        await fc.asyncModelRun(() => ({ model: m, real }), cmds);
        if (process.env.ROLLCALL_PROP_TRACE) console.log(real.trail());
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 600_000);
});
