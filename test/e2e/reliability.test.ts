// Crash safety (issue 8): a process killed with SIGKILL in the middle of a large write leaves the
// workspace with all of it or none of it, readable, and with an intact audit chain.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, World, expectOk } from '../helpers/world.js';

const ROWS = 30_000;

async function killMidway(w: World, args: string[], afterMs: number) {
  const child = execa(process.execPath, [BIN, ...args], {
    env: w.envFor(), extendEnv: false, cwd: w.dir, reject: false,
  });
  await new Promise((r) => setTimeout(r, afterMs));
  child.kill('SIGKILL');
  return child;
}

describe('SIGKILL in the middle of a write', () => {
  it('a large apply killed mid-way leaves all or none of it, an intact file and an intact audit chain', async () => {
    const w = await World.ready();
    expectOk(await w.run(['workspace', 'set', 'seat-limit', String(ROWS + 10)]));
    const roster = w.file('big.csv', 'email,name\n' + Array.from({ length: ROWS }, (_, i) => `u${i}@acme.example,U ${i}`).join('\n') + '\n');
    const started = Date.now();
    // How long a process takes to start and plan here (spawned, like the one to be killed).
    const done = await w.run(['apply', roster, '--dry-run'], { spawn: true });
    expectOk(done);
    const planMs = Date.now() - started;
    await killMidway(w, ['apply', roster], Math.max(300, planMs)); // past the plan, inside the write
    const count = (await w.run(['member', 'list', '--json'])).json().length;
    expect([1, ROWS + 1]).toContain(count);
    if (!w.isPg) expect(w.sql('PRAGMA integrity_check')).toBe('ok');
    const verify = expectOk(await w.run(['audit', 'verify', '--json'])).json();
    expect(verify.ok).toBe(true);
    // And the workspace still takes writes: the same apply completes afterwards.
    expectOk(await w.run(['apply', roster]));
    expect((await w.run(['member', 'list', '--json'])).json()).toHaveLength(ROWS + 1);
  });

  it('a bulk member remove killed mid-way removes all or none', async () => {
    const w = await World.ready();
    expectOk(await w.run(['workspace', 'set', 'seat-limit', '3000']));
    const emails = Array.from({ length: 2000 }, (_, i) => `r${i}@acme.example`);
    expectOk(await w.run(['apply', w.file('r.csv', 'email,name\n' + emails.map((e, i) => `${e},R ${i}`).join('\n') + '\n')]));
    await killMidway(w, ['member', 'remove', ...emails], 250);
    const deleted = (await w.run(['member', 'list', '--status', 'deleted', '--json'])).json().length;
    expect([0, 2000]).toContain(deleted);
    if (!w.isPg) expect(w.sql('PRAGMA integrity_check')).toBe('ok');
    expect(expectOk(await w.run(['audit', 'verify', '--json'])).json().ok).toBe(true);
  });
});
