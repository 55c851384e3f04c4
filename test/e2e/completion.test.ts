// Completion (issue 23.6): the hidden `rollcall __complete WORD… CURRENT` the shell scripts call.
// Values come from the workspace for a signed-in member (emails, org paths, groups, roles custom
// ones too, batch ids, token names); signed out or failing, nothing, and nothing on stderr. Global
// options complete after a subcommand; each --format offers its own command's values. The bash
// script, sourced, fills COMPREPLY from it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, BIN, World, expectOk } from '../helpers/world.js';

/** The values offered (the part before a tab), in order. */
async function offered(w: World, words: string[], opts: Parameters<World['run']>[1] = {}): Promise<string[]> {
  const r = await w.run(['__complete', ...words], opts);
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
  return r.out.split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
}

describe('completion', () => {
  it('offers names from the workspace to a signed-in member, and nothing otherwise', async () => {
    const w = await World.ready();
    expectOk(await w.run(['org', 'add', 'Sales/Tokyo', '-p']));
    await w.invitedMember('bob@acme.example', 'Bob Lee', ['--org', 'Sales/Tokyo']);
    await w.invitedMember('carol@acme.example', 'Carol Cho');
    expectOk(await w.run(['group', 'create', 'Engineering']));
    expectOk(await w.run(['role', 'create', 'auditor', '--permissions', 'members.view']));
    const removed = expectOk(await w.run(['member', 'remove', 'carol@acme.example', '--json'])).json()[0];

    expect(await offered(w, ['member', 'show', ''])).toEqual([ADMIN, 'bob@acme.example']);
    expect(await offered(w, ['member', 'suspend', ADMIN, 'b'])).toEqual(['bob@acme.example']);
    expect(await offered(w, ['member', 'restore', ''])).toEqual(['carol@acme.example']); // the removed ones
    expect(await offered(w, ['member', 'list', '--org', 'Sa'])).toEqual(['Sales', 'Sales/Tokyo']);
    expect(await offered(w, ['group', 'add-member', ''])).toEqual(['Engineering']);
    expect(await offered(w, ['member', 'add', 'x@acme.example', '--role', ''])).toContain('auditor');
    expect(await offered(w, ['member', 'restore', '--batch', ''])).toContain(removed.removedBatch);
    expect(await offered(w, ['token', 'revoke', ''])).toEqual(['test-admin']);
    const full = await w.run(['__complete', 'member', 'show', 'b']);
    expect(full.out).toBe('bob@acme.example\tBob Lee\n'); // a description for zsh and fish

    // Signed out, or no workspace there: nothing at all, and exit 0.
    expect(await offered(w, ['member', 'show', ''], { token: null, actor: 'nobody' })).toEqual([]);
    expect(await offered(w, ['member', 'show', ''], { env: { ROLLCALL_WORKSPACE: join(w.dir, 'none.db') } })).toEqual([]);
    // -w on the command line is the workspace completion reads.
    expect(await offered(w, ['-w', w.ws, 'group', 'show', 'E'], { env: { ROLLCALL_WORKSPACE: join(w.dir, 'none.db') } })).toEqual(['Engineering']);
  });

  it('offers commands, options (global ones after a subcommand too) and each --format its own values', async () => {
    const w = new World();
    expect(await offered(w, ['mem'])).toEqual(['member']);
    expect(await offered(w, ['member', 'list', '--'])).toEqual(expect.arrayContaining(['--status', '--org', '--workspace', '--context', '--json', '--help']));
    expect(await offered(w, ['member', 'list', '--'])).not.toContain('--version');
    expect(await offered(w, ['member', 'list', '--status', ''])).toEqual(['pending', 'invited', 'active', 'suspended', 'deleted']);
    expect(await offered(w, ['org', 'tree', '--format', ''])).toEqual(['text', 'dot', 'mermaid']);
    expect(await offered(w, ['export', '--format', ''])).toEqual(['csv', 'yaml', 'json', 'scim']);
    expect(await offered(w, ['apply', '--format', ''])).toEqual(expect.arrayContaining(['csv', 'google', 'entra', 'gam']));
    expect(await offered(w, ['apply', '--format', ''])).not.toContain('mermaid');
    expect(await offered(w, ['help', ''])).toEqual(expect.arrayContaining(['environment', 'exit-codes', 'member']));
    expect(await offered(w, ['apply', ''])).toEqual([':files']); // the shell completes file names
  });

  it('the bash script, sourced, fills COMPREPLY from rollcall __complete', async () => {
    const w = await World.ready();
    const bin = join(w.dir, 'bin');
    mkdirSync(bin);
    symlinkSync(BIN, join(bin, 'rollcall'));
    const script = expectOk(await w.run(['completion', 'bash'])).out;
    const env = { ...w.envFor(), PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH}` };
    // Two completions in one shell: a workspace value, then a global option after a subcommand.
    const call = (words: string[]) => `COMP_WORDS=(${words.map((x) => `'${x}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _rollcall; printf '%s\\n' "\${COMPREPLY[@]}" ---`;
    const line = [script, call(['rollcall', 'member', 'show', 'al']), call(['rollcall', 'member', 'list', '--js'])].join('\n');
    const r = spawnSync('bash', ['--norc', '-c', line], { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${ADMIN}\n---\n--json\n---\n`);
  });
});
