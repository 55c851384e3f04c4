// Issue 18 (9): a hint that suggests a command with someone's group name, address, token name, org
// path or file path quotes it for the shell: pasted, it is that one word, and nothing in it runs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const NASTY = `Ops $(touch pwned) 'q' "d" \`touch pwned\`; touch pwned`;
const LEE = "lee.o'neil@acme.example";

/** The command a hint suggests after `lead`, up to `end` (a placeholder such as --to ADMIN_EMAIL), as sh splits it into words. */
function suggested(w: World, text: string, lead: string, end?: string): string[] {
  const at = text.indexOf(lead);
  expect(at, `"${lead}" in ${text}`).toBeGreaterThanOrEqual(0);
  let line = text.slice(at + lead.length);
  if (end) line = line.slice(0, line.indexOf(end));
  const r = spawnSync('sh', ['-c', `set -- ${line}\nprintf '%s\\0' "$@"`], { cwd: w.dir, encoding: 'utf8' });
  expect(r.status, `${line}\n${r.stderr}`).toBe(0);
  expect(existsSync(join(w.dir, 'pwned')), `the hint ran a command: ${line}`).toBe(false);
  return r.stdout.split('\0').slice(0, -1);
}

const hintOf = (r: Result) => r.error()?.hint ?? '';

describe.concurrent('hints quote what people named for the shell', () => {
  it('group names: group resume, group transfer-owner', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', 'bob@acme.example', '--name', 'Bob']));
    expectOk(await w.run(['group', 'create', NASTY]));
    expectOk(await w.run(['group', 'suspend', NASTY]));
    const r = expectError(await w.run(['group', 'add-member', NASTY, 'bob@acme.example', '--json']), 1, 'INVALID_STATE');
    expect(suggested(w, hintOf(r), 'rollcall ')).toEqual(['group', 'resume', NASTY]);
    expectOk(await w.run(['group', 'resume', NASTY]));
    const o = expectError(await w.run(['group', 'remove-member', NASTY, ADMIN, '--json']), 1, 'OWNER_PROTECTED');
    expect(suggested(w, hintOf(o), 'rollcall ', ' --to')).toEqual(['group', 'transfer-owner', NASTY]);
    // The human form (hint: line) carries the same quoting.
    const h = expectError(await w.run(['group', 'remove-member', NASTY, ADMIN]), 1, 'OWNER_PROTECTED');
    expect(suggested(w, h.err, 'rollcall ', ' --to')).toEqual(['group', 'transfer-owner', NASTY]);
  });

  it("addresses with a quote in them: member show, member restore", async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', LEE, '--name', 'Lee']));
    const r = expectError(await w.run(['member', 'add', LEE, '--name', 'Lee', '--json']), 5, 'ALREADY_EXISTS');
    expect(suggested(w, hintOf(r), 'rollcall ')).toEqual(['member', 'show', LEE]);
    expectOk(await w.run(['member', 'remove', LEE]));
    const s = expectError(await w.run(['member', 'suspend', LEE, '--json']), 1, 'INVALID_STATE');
    expect(suggested(w, hintOf(s), 'rollcall ')).toEqual(['member', 'restore', LEE]);
  });

  it('org paths (org add --parents) and token names (token revoke)', async () => {
    const w = await World.ready();
    const path = `Sales $(touch pwned)/Tokyo 'x'`;
    const r = expectError(await w.run(['org', 'add', path, '--json']), 3, 'NOT_FOUND');
    expect(suggested(w, hintOf(r), 'rollcall ')).toEqual(['org', 'add', path, '--parents']);
    expectOk(await w.run(['token', 'create', '--name', "ci's `token`"]));
    const t = expectError(await w.run(['token', 'create', '--name', "ci's `token`", '--json']), 5, 'ALREADY_EXISTS');
    expect(suggested(w, hintOf(t), 'rollcall ')).toEqual(['token', 'revoke', "ci's `token`"]);
  });

  it('file paths: apply --plan-out says how to apply the saved plan, quoted', async () => {
    const w = await World.ready();
    const roster = w.file('roster.csv', 'email,name\nbob@acme.example,Bob\n');
    const out = join(w.dir, "my plan $(touch pwned) 'v1'.json");
    const r = expectOk(await w.run(['apply', roster, '--plan-out', out]));
    expect(suggested(w, r.err.split('\n').find((l) => l.includes('--plan'))!, 'rollcall ')).toEqual(['apply', '--plan', out]);
    expect(existsSync(out), describeRun(r)).toBe(true);
  });
});
