// SPEC §6 (issue 4), as a property: whatever sequence of org add/mv/rename/rm and member add/move/remove
// an admin runs through the real CLI, the org chart stays a tree and every member that is not purged
// sits in orgs that exist. A command may fail, but only with one of the spec's error codes (and its
// exit status), and a failed command changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { World, describeRun, expectOk, type Result } from '../helpers/world.js';

// SPEC §10: every error code and its exit status.
const EXIT_OF: Record<string, number> = {};
for (const [exit, codes] of [
  [1, 'SEAT_LIMIT_REACHED LAST_ADMIN OWNER_PROTECTED TARGET_NOT_GROUP_ADMIN ORG_NOT_EMPTY ORG_IN_USE ORG_CYCLE RESTORE_WINDOW_EXPIRED PASSWORD_POLICY PASSWORD_REUSED RESERVED_PERMISSION EXTERNAL_NOT_ALLOWED DOMAIN_IN_USE ROLE_IN_USE REMOVAL_LIMIT INVALID_STATE'],
  [2, 'USAGE INVALID_INPUT ROSTER_INVALID'],
  [3, 'NOT_FOUND'],
  [4, 'NOT_AUTHENTICATED INVALID_CREDENTIALS PERMISSION_DENIED ACCOUNT_SUSPENDED ACCOUNT_PENDING PASSWORD_CHANGE_REQUIRED PASSWORD_EXPIRED REGISTRATION_EXPIRED INVITE_INVALID INVITE_EXPIRED INVITE_USED TOKEN_EXPIRED'],
  [5, 'ALREADY_EXISTS STALE_PLAN BUSY'],
  [6, 'WORKSPACE_NOT_FOUND WORKSPACE_TOO_NEW WORKSPACE_CORRUPT WORKSPACE_UNAVAILABLE'],
] as const) for (const c of codes.split(' ')) EXIT_OF[c] = exit;

// A small alphabet, with a case-only clash (A/a), so that names collide often.
const NAMES = ['A', 'B', 'a', 'C'] as const;
const MEMBERS = 4; // m0..m3 may be added
const email = (i: number) => `m${i}@acme.example`;

type Step =
  | { op: 'org-add'; names: string[]; parents: boolean }
  | { op: 'org-mv'; a: number; b: number }
  | { op: 'org-rename'; a: number; name: string }
  | { op: 'org-rm'; a: number }
  | { op: 'member-add'; m: number; a: number; b: number | null }
  | { op: 'member-move'; ms: number[]; flag: '--org' | '--add-org' | '--remove-org'; a: number }
  | { op: 'member-remove'; m: number };
// (member-move and member-remove pick their targets among the members present: see pickMember.)

const name = fc.constantFrom(...NAMES);
/** Every run starts by creating a path, so that the steps after it have orgs to work on. */
const firstAdd: fc.Arbitrary<Step> = fc.record({ op: fc.constant('org-add' as const), names: fc.array(name, { minLength: 2, maxLength: 3 }), parents: fc.constant(true) });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('org-add' as const), names: fc.array(name, { minLength: 1, maxLength: 3 }), parents: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('org-mv' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('org-rename' as const), a: fc.nat(), name }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('org-rm' as const), a: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('member-add' as const), m: fc.nat({ max: MEMBERS - 1 }), a: fc.nat(), b: fc.option(fc.nat(), { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('member-move' as const), ms: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), flag: fc.constantFrom('--org' as const, '--add-org' as const, '--remove-org' as const), a: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('member-remove' as const), m: fc.nat() }) },
);

interface OrgView {
  path: string;
  name: string;
  parent: string | null;
}
interface MemberView {
  email: string;
  status: string;
  org: string | null;
  orgs: string[];
}
interface State {
  orgs: OrgView[];
  members: MemberView[]; // every non-purged member, removed (restorable) ones included
}

const lc = (s: string) => s.toLowerCase();

/** An existing org path (now and then in lower case: paths match in any case), or, one time in 8, one that does not exist. */
function pick(paths: string[], i: number): string {
  if (!paths.length || i % 8 === 7) return 'Nope/Zed';
  const p = paths[i % paths.length];
  return i % 5 === 4 ? lc(p) : p;
}

/** A member the steps added and did not remove, or, one time in 8, one that does not exist. */
function pickMember(emails: string[], i: number): string {
  return !emails.length || i % 8 === 7 ? 'ghost@acme.example' : emails[i % emails.length];
}

/** The CLI arguments of a step, resolved against the current chart and members. */
function argsOf(s: Step, paths: string[], emails: string[]): string[] {
  switch (s.op) {
    case 'org-add':
      return ['org', 'add', s.names.join('/'), ...(s.parents ? ['--parents'] : [])];
    case 'org-mv':
      return ['org', 'mv', pick(paths, s.a), s.b % 8 === 6 ? '/' : pick(paths, s.b)];
    case 'org-rename':
      return ['org', 'rename', pick(paths, s.a), s.name];
    case 'org-rm':
      return ['org', 'rm', pick(paths, s.a), '--yes'];
    case 'member-add':
      return ['member', 'add', email(s.m), '--name', `M${s.m}`, '--org', pick(paths, s.a), ...(s.b === null ? [] : ['--add-org', pick(paths, s.b)])];
    case 'member-move':
      return ['member', 'move', ...new Set(s.ms.map((i) => pickMember(emails, i))), s.flag, pick(paths, s.a)];
    case 'member-remove':
      return ['member', 'remove', pickMember(emails, s.m)];
  }
}

async function snapshot(w: World, withRemoved: boolean): Promise<State> {
  const [orgs, members, removed] = await Promise.all([
    w.run(['org', 'list', '--json']),
    w.run(['member', 'list', '--json']),
    withRemoved ? w.run(['member', 'list', '--status', 'deleted', '--json']) : Promise.resolve(null),
  ]);
  const norm = (r: Result | null): MemberView[] =>
    r ? (expectOk(r).json() as MemberView[]).map((m) => ({ email: m.email, status: m.status, org: m.org, orgs: [...m.orgs].sort() })) : [];
  return {
    orgs: (expectOk(orgs).json() as OrgView[]).map(({ path, name, parent }) => ({ path, name, parent })).sort((a, b) => a.path.localeCompare(b.path)),
    members: [...norm(members), ...norm(removed)].sort((a, b) => a.email.localeCompare(b.email)),
  };
}

/** The chart is a tree (every parent exists, no duplicate, names without "/"); members sit in existing orgs. */
function checkInvariants(st: State, why: string) {
  const paths = new Set(st.orgs.map((o) => o.path));
  expect(new Set(st.orgs.map((o) => lc(o.path))).size, `duplicate org paths (case-insensitive)\n${why}`).toBe(st.orgs.length);
  for (const o of st.orgs) {
    expect(o.name, why).not.toBe('');
    expect(o.name.includes('/'), `org name with "/": ${o.name}\n${why}`).toBe(false);
    expect(o.path, `path is parent/name\n${why}`).toBe(o.parent === null ? o.name : `${o.parent}/${o.name}`);
    if (o.parent !== null) expect(paths.has(o.parent), `parent ${o.parent} of ${o.path} is not in org list\n${why}`).toBe(true);
  }
  for (const m of st.members) {
    for (const p of [...(m.org === null ? [] : [m.org]), ...m.orgs]) {
      expect(paths.has(p), `${m.email} (${m.status}) is in org ${p}, which org list does not have\n${why}`).toBe(true);
    }
  }
}

/** What a successful step must have done. */
function checkEffect(s: Step, args: string[], before: State, after: State, why: string) {
  const has = (st: State, p: string) => st.orgs.some((o) => lc(o.path) === lc(p));
  const member = (e: string) => after.members.find((m) => m.email === e);
  switch (s.op) {
    case 'org-add':
      expect(has(after, args[2]), why).toBe(true);
      break;
    case 'org-mv': {
      const [, , from, to] = args;
      const leaf = from.split('/').pop()!;
      const dest = to === '/' ? leaf : `${to}/${leaf}`;
      expect(after.orgs.length, why).toBe(before.orgs.length);
      expect(has(after, dest), `moved to ${dest}\n${why}`).toBe(true);
      if (lc(dest) !== lc(from)) expect(has(after, from), why).toBe(false);
      break;
    }
    case 'org-rename': {
      const [, , from, newName] = args;
      const parent = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : null;
      expect(after.orgs.length, why).toBe(before.orgs.length);
      expect(has(after, parent === null ? newName : `${parent}/${newName}`), why).toBe(true);
      break;
    }
    case 'org-rm': {
      const gone = (p: string) => lc(p) === lc(args[2]) || lc(p).startsWith(lc(args[2]) + '/');
      expect(after.orgs.some((o) => gone(o.path)), why).toBe(false);
      expect(after.orgs.length, why).toBe(before.orgs.length - before.orgs.filter((o) => gone(o.path)).length);
      break;
    }
    case 'member-add': {
      const m = member(args[2]);
      expect(lc(m?.org ?? ''), why).toBe(lc(args[6]));
      if (args[8] !== undefined && lc(args[8]) !== lc(args[6])) expect(m?.orgs.map(lc), why).toContain(lc(args[8]));
      break;
    }
    case 'member-move':
      for (const e of args.slice(2, -2)) {
        const m = member(e);
        const p = lc(args[args.length - 1]);
        if (s.flag === '--org') expect(lc(m?.org ?? ''), why).toBe(p);
        if (s.flag === '--add-org') expect(lc(m?.org ?? '') === p || !!m?.orgs.map(lc).includes(p), why).toBe(true);
        if (s.flag === '--remove-org') expect(m?.orgs.map(lc) ?? [], why).not.toContain(p);
      }
      break;
    case 'member-remove':
      expect(member(args[2])?.status, why).toBe('deleted');
      break;
  }
}

// ROLLCALL_PROPERTY_RUNS and ROLLCALL_PROPERTY_SECONDS run it longer (a deeper search); FC_SEED replays a failure.
const RUNS = Number(process.env.ROLLCALL_PROPERTY_RUNS || 15);
const SECONDS = Number(process.env.ROLLCALL_PROPERTY_SECONDS || 45);

describe('org chart, as a property', () => {
  it('after every step of random org and member commands, org list is a tree and every member sits in existing orgs; a failed step is a spec error that changes nothing', async () => {
    let runs = 0;
    const outcomes = new Map<string, number>(); // op → exit / error code → count, for ROLLCALL_TEST_VERBOSE=1
    const details = await fc.check(
      fc.asyncProperty(fc.tuple(firstAdd, fc.array(step, { minLength: 3, maxLength: 11 })).map(([a, rest]) => [a, ...rest]), async (steps) => {
        runs++;
        const w = await World.ready();
        let removedSome = false;
        const history: string[] = [];
        let state = await snapshot(w, false);
        checkInvariants(state, 'initial');
        for (const s of steps) {
          const present = state.members.filter((m) => m.status !== 'deleted' && m.email.startsWith('m')).map((m) => m.email);
          const args = argsOf(s, state.orgs.map((o) => o.path), present);
          const r = await w.run(args);
          history.push(`rollcall ${args.join(' ')} → ${r.code}${r.code ? ` ${r.errCode()}` : ''}`);
          if (r.code === 0 && s.op === 'member-remove') removedSome = true;
          const outcome = `${s.op} ${r.code ? r.errCode() : 'ok'}`;
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          const after = await snapshot(w, removedSome);
          const why = `after:\n  ${history.join('\n  ')}\n${describeRun(r)}`;
          checkInvariants(after, why);
          if (r.code === 0) {
            checkEffect(s, args, state, after, why);
          } else {
            const code = r.errCode();
            expect(code !== null && code in EXIT_OF, `not one of the spec's error codes: ${code}\n${why}`).toBe(true);
            expect(r.code, `exit status of ${code}\n${why}`).toBe(EXIT_OF[code!]);
            expect(r.out, `nothing on stdout for an error\n${why}`).toBe('');
            expect(after, `a failed command changed something\n${why}`).toEqual(state);
          }
          state = after;
        }
      }),
      {
        numRuns: RUNS,
        // A 2-core machine shared with other suites: stop early rather than time out (the runs done still count).
        interruptAfterTimeLimit: SECONDS * 1000,
        seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined,
      },
    );
    if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'property failed');
    if (details.numRuns < RUNS) console.warn(`orgs property: ${details.numRuns} of ${RUNS} runs done within the time limit (seed ${details.seed})`);
    if (process.env.ROLLCALL_TEST_VERBOSE === '1') console.log([...outcomes].sort().map(([k, n]) => `${k}: ${n}`).join('\n'));
    expect(runs).toBeGreaterThan(0);
  }, SECONDS * 1000 + 120_000);
});
