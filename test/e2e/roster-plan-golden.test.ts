// A roster plan is the same text and the same JSON, byte for byte, whatever the planner does inside
// (issue 21 rewrote it to stream over stored members). The files under roster-plan-golden/ were
// written by the planner before that rewrite (main at 4648b70) from the very runs below; a run that
// prints anything else fails here. Batch ids are random per run and are masked.
import { describe, expect, it } from 'vitest';
import { ADMIN, World, expectOk, type Result } from '../helpers/world.js';

const golden = (name: string) => new URL(`./roster-plan-golden/${name}`, import.meta.url).pathname;
/** Batch ids and record ids are random per run: masked. */
const mask = (text: string) => text.replace(/\bb\d{14}-[0-9a-f]{6}\b/g, 'BATCH').replace(/\b([a-z]+)_[0-9a-f]{16}\b/g, '$1_ID');
const masked = (r: Result) => mask(`exit ${r.code}\n--- stdout\n${r.out}--- stderr\n${r.err}`);

const at = (local: string) => `${local}@acme.example`;

/** A workspace with members of every kind: scoped roles, posts, titles, pending, suspended, removed. */
async function scene(): Promise<World> {
  const w = await World.ready();
  const first = w.file('first.yaml', `orgs: [Sales/Tokyo, Sales/Osaka, Support, IT]
members:
  - { email: ${at('bob')}, name: Bob Lee, role: operator, org: Sales, orgs: [Support], title: Engineer }
  - { email: ${at('carol')}, name: Carol King, role: site-admin, scope: [Sales], org: Sales/Tokyo }
  - { email: ${at('dave')}, name: Dave Park, startDate: '2031-04-01' }
  - { email: ${at('erin')}, name: Erin Moss, status: suspended, title: Rep }
  - { email: ${at('frank')}, name: Frank Ito, role: chat-operator, scope: [Support], org: Support }
  - { email: ${at('gina')}, name: Gina Ro, org: IT }
  - { email: ${at('hal')}, name: Hal Kim }
  - { email: ${at('ivy')}, name: Ivy Wu, org: Sales/Osaka }
  - { email: ${at('jo')}, name: Jo Bell, title: Intern }
  - { email: ${at('kim')}, name: Kim Lo, orgs: [IT, Support] }
  - { email: ${at('lee')}, name: Lee Ann, title: Staff, startDate: '2029-01-01' }
`);
  expectOk(await w.run(['apply', first]));
  expectOk(await w.run(['member', 'remove', at('gina'), '--yes']));
  return w;
}

describe('roster plans are what they were before the streaming planner', () => {
  it('every kind of change, restore, add and prune: text, --json and the apply itself', async () => {
    const w = await scene();
    const jo = (expectOk(await w.run(['member', 'show', at('jo'), '--json'])).json() as { id: string }).id;
    const second = w.file('second.csv', [
      'email,id,name,role,scope,org,orgs,title,status,start_date',
      `${ADMIN},,Alice Admin,admin,,,,,,`,
      `${at('bob')},,Bob Lee,support,,Sales/Tokyo,Support;IT,Lead,active,`, // role, org, orgs, title
      `${at('carol')},,Carol King,site-admin,Sales/Osaka;Support,Sales/Tokyo,,,,`, // scope
      `${at('dave')},,Dave Park,viewer,,,,,,2030-01-01`, // start date: pending → invited
      `${at('erin')},,Erin Moss,viewer,,,,Rep,active,`, // unsuspended
      `${at('frank')},,Frank Ito,chat-operator,Support,Support,,,suspended,`, // suspended
      `${at('gina')},,Gina Ro,viewer,,IT,,,,`, // restored
      `jo.bell@acme.example,${jo},Jo Bell,viewer,,,,Intern,,`, // a new address, by id
      `${at('kim')},,Kim Lo,viewer,,,IT;Support,,,`, // unchanged
      `${at('lee')},,Lee Ann,viewer,,,,,,2029-01-01`, // title cleared
      `${at('new1')},,New One,operator,,Support,,Temp,,`,
      `${at('new2')},,,,,,,,suspended,2032-02-02`,
    ].join('\n') + '\n');
    const flags = ['--prune', '--max-removals', '5'];
    await expect(masked(await w.run(['apply', second, ...flags, '--dry-run']))).toMatchFileSnapshot(golden('kinds.dry-run.txt'));
    await expect(masked(await w.run(['apply', second, ...flags, '--dry-run', '--json']))).toMatchFileSnapshot(golden('kinds.dry-run.json.txt'));
    await expect(masked(await w.run(['apply', second, ...flags, '--yes']))).toMatchFileSnapshot(golden('kinds.apply.txt'));
    await expect(masked(await w.run(['apply', second, ...flags, '--yes', '--json']))).toMatchFileSnapshot(golden('kinds.reapply.json.txt'));
    // What the audit log recorded of it: every member's before and after. kinds.audit.json holds the
    // bodies as the old format stored them (the whole entry, in this key order); the compact format
    // gives every entry back the same, byte for byte, through `audit list`.
    const entries = (expectOk(await w.run(['audit', 'list', '--limit', '1000', '--json'])).json() as Array<Record<string, unknown>>).reverse();
    const wholeEntry = (e: Record<string, unknown>) => JSON.stringify(Object.fromEntries(
      ['seq', 'at', 'actor', 'action', 'target', 'targetId', 'before', 'after', 'reason', 'batch'].map((k) => [k, e[k]])));
    await expect(mask(entries.map(wholeEntry).join('\n')) + '\n').toMatchFileSnapshot(golden('kinds.audit.json'));
    // What the compact format stores of them (schema version 4): only what has no column, nulls left out.
    await expect(mask(w.sql('SELECT body FROM audit ORDER BY seq')) + '\n').toMatchFileSnapshot(golden('kinds.audit-bodies.json'));
  });

  it('2,000 members, a fifth of them changed, some restored, some pruned: text and --json', async () => {
    const w = await World.ready();
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '10000']));
    const row = (i: number, v: number) => `${at(`u${String(i).padStart(4, '0')}`)},User ${i},${['Staff', 'Lead', ''][(i * v) % 3]},Dept${(i * v) % 7},${v > 1 && i % 9 === 0 ? 'suspended' : ''}`;
    const roster = (v: number, keep: (i: number) => boolean) => ['email,name,title,org,status', ADMIN + ',Alice Admin,,,', ...Array.from({ length: 2000 }, (_, i) => i).filter(keep).map((i) => row(i, i % 5 === 0 ? v : 1))].join('\n') + '\n';
    expectOk(await w.run(['apply', w.file('a.csv', roster(1, () => true)), '--create-orgs']));
    expectOk(await w.run(['member', 'remove', at('u0010'), at('u0011'), '--yes']));
    const next = w.file('b.csv', roster(2, (i) => i % 97 !== 3));
    const flags = ['--prune', '--max-removals', '100', '--create-orgs'];
    await expect(masked(await w.run(['apply', next, ...flags, '--dry-run']))).toMatchFileSnapshot(golden('many.dry-run.txt'));
    await expect(masked(await w.run(['apply', next, ...flags, '--dry-run', '--json']))).toMatchFileSnapshot(golden('many.dry-run.json.txt'));
  });
});
