// SPEC §7 and §3, as a property: whatever sequence of group and member commands runs through the
// real CLI, every group has exactly one owner, the owner is a group admin, and the owner's
// workspace status is active or invited (an owner is never suspended or removed by a command).
//
// Each run starts from a copy of one prepared workspace (members active, each with an API token),
// then applies ~12 random steps; the invariants are checked with sql() after every step, and with
// `group show --json` (as the owner) at the end of each run.
// ROLLCALL_PROP_RUNS and ROLLCALL_PROP_SEED make a failing run reproducible.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, PG_SERVER, World, describeRun, expectOk, type Result } from '../helpers/world.js';

const POOL = ['ann@acme.example', 'ben@acme.example', 'cat@acme.example', 'dan@acme.example'] as const;
const POOL_ROLES: Record<string, string> = { 'ann@acme.example': 'operator', 'ben@acme.example': 'operator', 'cat@acme.example': 'operator', 'dan@acme.example': 'viewer' };
const SUPPORT = 'sup@acme.example';
const GROUPS = ['G0', 'G1', 'G2'] as const;
const RUNS = Number(process.env.ROLLCALL_PROP_RUNS || 15);
const STEPS = 12;

type Email = string;
interface Pick { pick: 'admin' | 'owner' | 'any'; i: number }
type Step =
  | { kind: 'create'; actor: Pick; group: number }
  | { kind: 'add'; actor: Pick; group: number; targets: Email[]; role: 'admin' | 'member' }
  | { kind: 'remove-member'; actor: Pick; group: number; target: Pick }
  | { kind: 'set-role'; actor: Pick; group: number; target: Pick; role: 'admin' | 'member' }
  | { kind: 'transfer'; actor: Pick; group: number; target: Pick }
  | { kind: 'override'; group: number; target: Pick }
  | { kind: 'suspend'; target: Pick }
  | { kind: 'unsuspend'; target: Pick }
  | { kind: 'remove'; target: Pick }
  | { kind: 'restore'; target: Pick };

// ---------------------------------------------------------------- arbitraries

const pickArb: fc.Arbitrary<Pick> = fc.record({ pick: fc.constantFrom<Pick['pick']>('admin', 'admin', 'owner', 'any'), i: fc.nat(99) });
// A group step names an index: at run time it is resolved to one of the groups that exist (when
// none does yet, the step creates one), so that sequences exercise groups rather than NOT_FOUND.
const groupArb = fc.nat(99);
const roleArb = fc.constantFrom<'admin' | 'member'>('admin', 'member');
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), actor: pickArb, group: groupArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), actor: pickArb, group: groupArb, targets: fc.subarray([...POOL], { minLength: 1, maxLength: 2 }), role: roleArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove-member' as const), actor: pickArb, group: groupArb, target: pickArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set-role' as const), actor: pickArb, group: groupArb, target: pickArb, role: roleArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('transfer' as const), actor: pickArb, group: groupArb, target: pickArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('override' as const), group: groupArb, target: pickArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('suspend' as const), target: pickArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unsuspend' as const), target: pickArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), target: pickArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restore' as const), target: pickArb }) },
);

// ---------------------------------------------------------------- the prepared workspace

interface Base {
  world: World;
  passwords: Record<Email, string>;
  tokens: Record<Email, string>;
}
let base: Base;
let copies = 0;

beforeAll(async () => {
  const world = await World.ready();
  const passwords: Record<Email, string> = {};
  const tokens: Record<Email, string> = {};
  for (const email of [...POOL, SUPPORT]) {
    const role = email === SUPPORT ? 'support' : POOL_ROLES[email];
    passwords[email] = await world.activeMember(email, email.split('@')[0], role);
    await world.loginAs(email, passwords[email]);
    const t = expectOk(await world.as(email, ['token', 'create', '--name', 'prop', '--expires-in', '3000d', '--json']));
    tokens[email] = t.json().token;
  }
  if (!world.isPg) world.sql('PRAGMA wal_checkpoint(TRUNCATE)');
  base = { world, passwords, tokens };
}, 120_000);

/** A fresh World holding a copy of the prepared workspace (its admin token included). */
function copyOfBase(): World {
  const w = new World();
  if (BACKEND === 'pg' && base.world.isPg) {
    const db = `${w.dbName}_c${++copies}`;
    const r = spawnSync('psql', [`${PG_SERVER}/postgres`, '-v', 'ON_ERROR_STOP=1', '-qAtc', `create database ${db} template ${base.world.dbName}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`copying the prepared database failed: ${r.stderr}`);
    w.ws = `${PG_SERVER}/${db}`;
  } else {
    copyFileSync(base.world.ws, w.ws);
    if (existsSync(base.world.ws + '-wal')) copyFileSync(base.world.ws + '-wal', w.ws + '-wal');
  }
  w.token = base.world.token;
  return w;
}

// ---------------------------------------------------------------- reading the state

interface GroupRow {
  name: string;
  ownerEmail: string | null;
  ownerDeleted: boolean;
  ownerSuspended: boolean;
  ownerStart: string | null;
  ownerAdminRows: number;
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

function groupRows(w: World): GroupRow[] {
  const out = w.sql(`select g.name, coalesce(m.email, ''), case when m.deleted_at is null then 0 else 1 end,
      case when m.suspended_at is null then 0 else 1 end, coalesce(m.start_date, ''),
      (select count(*) from group_members gm where gm.group_id = g.id and gm.member_id = g.owner_id and gm.role = 'admin')
    from workgroups g left join members m on m.id = g.owner_id order by g.name`);
  if (!out) return [];
  return out.split('\n').map((line) => {
    const [name, ownerEmail, del, susp, start, admins] = line.split('|');
    return { name, ownerEmail: ownerEmail || null, ownerDeleted: del === '1', ownerSuspended: susp === '1', ownerStart: start || null, ownerAdminRows: Number(admins) };
  });
}

function membersOfGroup(w: World, group: string): Array<{ email: Email; role: string }> {
  const out = w.sql(`select m.email, gm.role from group_members gm join workgroups g on g.id = gm.group_id join members m on m.id = gm.member_id where g.name = ${q(group)} order by m.email`);
  return out ? out.split('\n').map((l) => { const [email, role] = l.split('|'); return { email, role }; }) : [];
}

/** The invariants of §7/§3 over every group; returns the violations (empty when all hold). */
function violations(w: World, now: string): string[] {
  const bad: string[] = [];
  const today = now.slice(0, 10);
  for (const g of groupRows(w)) {
    if (!g.ownerEmail) { bad.push(`${g.name}: owner is not a member of the workspace`); continue; }
    if (g.ownerAdminRows !== 1) bad.push(`${g.name}: owner ${g.ownerEmail} is not a group admin`);
    if (g.ownerDeleted) bad.push(`${g.name}: owner ${g.ownerEmail} is removed from the workspace`);
    if (g.ownerSuspended) bad.push(`${g.name}: owner ${g.ownerEmail} is suspended`);
    if (g.ownerStart && g.ownerStart > today) bad.push(`${g.name}: owner ${g.ownerEmail} is pending`);
  }
  return bad;
}

// ---------------------------------------------------------------- running one sequence

class Run {
  readonly log: string[] = [];
  /** How each member acts: its API token, or (after a restore revoked it) a stored session. */
  private readonly viaSession = new Set<Email>();
  constructor(readonly w: World) {}

  /** A pool member: the group's owner, one of its admins, one of its members, or anyone, as the pick says. */
  private choose(p: Pick, group: string | null, exclude: Email | null = null): Email {
    const members = (group ? membersOfGroup(this.w, group) : []).filter((m) => m.email !== exclude);
    const owner = group ? groupRows(this.w).find((g) => g.name === group)?.ownerEmail ?? null : null;
    const admins = members.filter((m) => m.role === 'admin').map((m) => m.email).filter((e) => (POOL as readonly string[]).includes(e));
    if (p.pick === 'owner' && owner && (POOL as readonly string[]).includes(owner)) return owner;
    if (p.pick === 'admin' && admins.length) return admins[p.i % admins.length];
    if (group && p.pick !== 'any') {
      const inGroup = members.map((m) => m.email).filter((e) => (POOL as readonly string[]).includes(e));
      if (inGroup.length) return inGroup[p.i % inGroup.length];
    }
    return POOL[p.i % POOL.length];
  }

  private async as(email: Email, args: string[]): Promise<Result> {
    if (this.viaSession.has(email)) return this.w.as(email, args);
    return this.w.run(args, { actor: email, token: base.tokens[email] });
  }

  private note(what: string, r: Result) {
    this.log.push(`${what} → exit ${r.code}${r.errCode() ? ` ${r.errCode()}` : ''}`);
    // Whatever a step does, rollcall never crashes on it.
    expect(r.code, `${describeRun(r)}\nsteps so far:\n${this.log.join('\n')}`).not.toBe(70);
  }

  /** The workspace status of each pool member, from the store. */
  private statuses(): Record<Email, 'deleted' | 'suspended' | 'ok'> {
    const out = this.w.sql(`select email, case when deleted_at is not null then 'deleted' when suspended_at is not null then 'suspended' else 'ok' end from members`);
    return Object.fromEntries(out.split('\n').map((l) => l.split('|'))) as Record<Email, 'deleted' | 'suspended' | 'ok'>;
  }

  /** One of the groups that exist, by index; null when there is none. */
  private group(i: number): string | null {
    const names = groupRows(this.w).map((g) => g.name);
    return names.length ? names[i % names.length] : null;
  }

  private async create(actorPick: Pick): Promise<void> {
    const taken = new Set(groupRows(this.w).map((g) => g.name));
    const name = GROUPS.find((g) => !taken.has(g)) ?? GROUPS[actorPick.i % GROUPS.length];
    // Mostly a member whose role holds groups.create (an operator); sometimes anyone (a viewer is refused).
    const creators = POOL.filter((e) => POOL_ROLES[e] === 'operator');
    const actor = actorPick.pick === 'any' ? this.choose(actorPick, null) : creators[actorPick.i % creators.length];
    this.note(`${actor}: group create ${name}`, await this.as(actor, ['group', 'create', name]));
  }

  async step(s: Step): Promise<void> {
    const w = this.w;
    if (s.kind === 'create') return this.create(s.actor);
    if ('group' in s) {
      const group = this.group(s.group);
      if (!group) return this.create(s.kind === 'override' ? s.target : s.actor);
      switch (s.kind) {
        case 'add': {
          const actor = this.choose(s.actor, group);
          this.note(`${actor}: group add-member ${group} ${s.targets.join(' ')} --role ${s.role}`,
            await this.as(actor, ['group', 'add-member', group, ...s.targets, '--role', s.role]));
          return;
        }
        case 'remove-member': {
          const actor = this.choose(s.actor, group);
          const target = this.choose(s.target, group);
          this.note(`${actor}: group remove-member ${group} ${target}`, await this.as(actor, ['group', 'remove-member', group, target]));
          return;
        }
        case 'set-role': {
          const actor = this.choose(s.actor, group);
          const target = this.choose(s.target, group);
          this.note(`${actor}: group set-role ${group} ${target} ${s.role}`, await this.as(actor, ['group', 'set-role', group, target, s.role]));
          return;
        }
        case 'transfer': {
          const actor = this.choose(s.actor.pick === 'any' ? s.actor : { ...s.actor, pick: 'owner' }, group);
          const owner = groupRows(w).find((g) => g.name === group)?.ownerEmail ?? null;
          const target = this.choose(s.target.pick === 'owner' ? { ...s.target, pick: 'admin' } : s.target, group, owner);
          this.note(`${actor}: group transfer-owner ${group} --to ${target}`, await this.as(actor, ['group', 'transfer-owner', group, '--to', target]));
          return;
        }
        case 'override': {
          const owner = groupRows(w).find((g) => g.name === group)?.ownerEmail ?? null;
          const target = this.choose(s.target, group, owner);
          this.note(`${SUPPORT}: group transfer-owner ${group} --to ${target} --override`,
            await this.as(SUPPORT, ['group', 'transfer-owner', group, '--to', target, '--override', '--reason', 'property test']));
          return;
        }
      }
      return;
    }
    // Workspace lifecycle, as the workspace admin. Suspend and remove sometimes aim at an owner (which
    // must be refused); unsuspend and restore aim at members in that state when there are some.
    const status = this.statuses();
    const groups = groupRows(w);
    const i = s.target.i;
    let target: Email = POOL[i % POOL.length];
    if ((s.kind === 'suspend' || s.kind === 'remove') && s.target.pick === 'owner' && groups.length) target = groups[i % groups.length].ownerEmail ?? target;
    const want = s.kind === 'unsuspend' ? 'suspended' : s.kind === 'restore' ? 'deleted' : null;
    const inState = want ? POOL.filter((e) => status[e] === want) : [];
    if (inState.length && s.target.pick !== 'any') target = inState[i % inState.length];
    const r = await w.run(['member', s.kind, target]);
    this.note(`admin: member ${s.kind} ${target}`, r);
    if (s.kind === 'restore' && r.code === 0) {
      // A removal revoked the member's token; a restored member signs in again to keep acting.
      const login = await w.run(['login', target, '--password-stdin'], { input: base.passwords[target] + '\n', actor: target, token: null });
      if (login.code === 0) this.viaSession.add(target);
    }
  }

  /** Through the CLI: each group's owner sees exactly one owner in `group show`, and it is a group admin. */
  async checkThroughCli(): Promise<string[]> {
    const bad: string[] = [];
    const list = expectOk(await this.w.run(['group', 'list', '--json'])).json() as Array<{ name: string; owner: string }>;
    for (const g of groupRows(this.w)) {
      const listed = list.find((x) => x.name === g.name);
      if (listed?.owner !== g.ownerEmail) bad.push(`${g.name}: group list says owner ${listed?.owner}, stored ${g.ownerEmail}`);
      if (!g.ownerEmail || !(POOL as readonly string[]).includes(g.ownerEmail)) continue;
      const r = await this.as(g.ownerEmail, ['group', 'show', g.name, '--json']);
      if (r.code !== 0) { bad.push(`${g.name}: its owner cannot show it\n${describeRun(r)}`); continue; }
      const shown = r.json() as { owner: string; members?: Array<{ email: string; role: string; owner: boolean }> };
      const owners = (shown.members ?? []).filter((m) => m.owner);
      if (shown.owner !== g.ownerEmail) bad.push(`${g.name}: group show says owner ${shown.owner}, stored ${g.ownerEmail}`);
      if (owners.length !== 1) bad.push(`${g.name}: group show lists ${owners.length} owners: ${JSON.stringify(shown.members)}`);
      else if (owners[0].email !== g.ownerEmail || owners[0].role !== 'admin') bad.push(`${g.name}: the owner in group show is ${JSON.stringify(owners[0])}`);
    }
    return bad;
  }
}

// ---------------------------------------------------------------- the property

describe('group ownership (property)', () => {
  it('the invariant check is not vacuous: it flags an owner made suspended or not a group admin behind the CLI', async () => {
    const w = copyOfBase();
    expectOk(await w.run(['group', 'create', 'Probe'], { actor: POOL[0], token: base.tokens[POOL[0]] }));
    expect(violations(w, w.now)).toEqual([]);
    w.sql(`update group_members set role = 'member' where member_id = (select owner_id from workgroups where name = 'Probe')`);
    expect(violations(w, w.now)).toEqual([`Probe: owner ${POOL[0]} is not a group admin`]);
    w.sql(`update members set suspended_at = '2030-01-01T00:00:00.000Z' where email = ${q(POOL[0])}`);
    expect(violations(w, w.now)).toHaveLength(2);
  });

  it('after every step of random group and member commands: every group has exactly one owner, a group admin, active or invited', async () => {
    let runs = 0;
    let stepsWithGroups = 0;
    const seed = process.env.ROLLCALL_PROP_SEED ? Number(process.env.ROLLCALL_PROP_SEED) : undefined;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: STEPS, maxLength: STEPS }), async (steps) => {
        runs++;
        const run = new Run(copyOfBase());
        for (const s of steps) {
          await run.step(s);
          const bad = violations(run.w, run.w.now);
          if (groupRows(run.w).length) stepsWithGroups++;
          expect(bad, `after:\n${run.log.join('\n')}`).toEqual([]);
        }
        if (process.env.ROLLCALL_TEST_VERBOSE === '1') console.log(run.log.join('\n') + '\n');
        const cliBad = await run.checkThroughCli();
        expect(cliBad, `after:\n${run.log.join('\n')}`).toEqual([]);
      }),
      // Shrinking re-runs whole CLI sequences: stop at the first failure and report its steps instead.
      { numRuns: RUNS, endOnFailure: true, ...(seed !== undefined ? { seed } : {}) },
    );
    // The property must have exercised groups, not only refusals on missing ones.
    expect(runs).toBe(RUNS);
    expect(stepsWithGroups).toBeGreaterThan(RUNS * 3);
  }, 300_000); // the CLI processes dominate: generous for a busy machine
});
