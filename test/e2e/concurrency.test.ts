// Several processes writing one workspace at once (SPEC §1, §11): no update lost, no rule broken by
// a race, the audit chain one unbroken line. Runs on whichever backend the suite runs on.
import { describe, expect, it } from 'vitest';
import { ADMIN, World, describeRun, expectOk } from '../helpers/world.js';

describe('concurrent writers', () => {
  it('three processes competing for the last seats: exactly the free seats are taken, and audit verify passes', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '6'])); // the admin holds one: five free
    const worker = async (n: number) => {
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await w.run(['member', 'add', `p${n}-${i}@acme.example`, '--name', `P${n} ${i}`]));
      return results;
    };
    const all = (await Promise.all([worker(1), worker(2), worker(3)])).flat();
    const ok = all.filter((r) => r.code === 0);
    const refused = all.filter((r) => r.code !== 0);
    expect(ok).toHaveLength(5);
    for (const r of refused) expect(r.errCode(), describeRun(r)).toBe('SEAT_LIMIT_REACHED'); // the run shown whole if not
    const list = (await w.run(['member', 'list', '--json'])).json();
    expect(list).toHaveLength(6);
    expectOk(await w.run(['audit', 'verify']));
  });

  it('two admins suspending each other at once: one wins, one active admin remains (LAST_ADMIN)', async () => {
    const w = await World.ready({ spawn: true });
    const pw = await w.activeMember('bea@acme.example', 'Bea', 'admin');
    await w.loginAs('bea@acme.example', pw);
    const [a, b] = await Promise.all([
      w.run(['member', 'suspend', 'bea@acme.example']),
      w.as('bea@acme.example', ['member', 'suspend', ADMIN]),
    ]);
    const codes = [a, b].map((r) => r.code).sort();
    // Either exactly one suspension went through, or the loser acted after it was itself suspended.
    expect(codes[0]).toBe(0);
    expect(codes[1]).not.toBe(0);
    const loser = [a, b].find((r) => r.code !== 0)!;
    expect(loser.errCode(), describeRun(loser)).toMatch(/^(LAST_ADMIN|ACCOUNT_SUSPENDED)$/);
    // Asked as the winner, the one still active.
    const list = ['member', 'list', '--role', 'admin', '--status', 'active', '--json'];
    const admins = (a.code === 0 ? await w.run(list) : await w.as('bea@acme.example', list)).json();
    expect(admins).toHaveLength(1);
  });

  it('adds, suspensions and an apply from parallel processes all land, none lost (no BUSY)', async () => {
    const w = await World.ready({ spawn: true });
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '500']));
    const roster = w.file('r.csv', 'email,name\n' + Array.from({ length: 60 }, (_, i) => `r${i}@acme.example,R ${i}`).join('\n') + '\n');
    const adds = Array.from({ length: 4 }, (_, n) => (async () => {
      for (let i = 0; i < 4; i++) expectOk(await w.run(['member', 'add', `a${n}-${i}@acme.example`, '--name', `A ${n} ${i}`]));
    })());
    await Promise.all([...adds, (async () => expectOk(await w.run(['apply', roster])))()]);
    await Promise.all(Array.from({ length: 4 }, (_, n) => (async () => expectOk(await w.run(['member', 'suspend', `a${n}-0@acme.example`, `a${n}-1@acme.example`])))()));
    const list = (await w.run(['member', 'list', '--json'])).json() as Array<{ email: string; status: string }>;
    expect(list).toHaveLength(1 + 16 + 60);
    expect(list.filter((m) => m.status === 'suspended')).toHaveLength(8);
    const verify = expectOk(await w.run(['audit', 'verify', '--json'])).json();
    expect(verify.ok).toBe(true);
    expect(verify.entries).toBeGreaterThanOrEqual(1 + 16 + 60 + 8);
  });
});
