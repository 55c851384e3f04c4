// SPEC §10: output, errors and exit codes, as scripts see them.
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, BIN, STACK, World, describeRun, expectError, expectOk } from '../helpers/world.js';

const ESC = '\u001b';
const EVIL = `${ESC}[31mEvil${ESC}[0m`;

let w: World;
beforeAll(async () => {
  w = await World.ready({ spawn: true });
});

describe('control characters', () => {
  let evil: { email: string; id: string };
  beforeAll(async () => {
    evil = expectOk(await w.run(['member', 'add', 'evil@acme.example', '--name', EVIL, '--title', `Boss${ESC}]0;pwned\u0007`, '--json'])).json();
  });

  it('escapes control characters in names in human output: no raw ESC byte reaches stdout', async () => {
    for (const args of [['member', 'list'], ['member', 'show', 'evil@acme.example'], ['member', 'list', '--search', 'evil'], ['member', 'suspend', 'evil@acme.example'], ['member', 'unsuspend', 'evil@acme.example']]) {
      const r = expectOk(await w.run(args));
      expect(r.out.includes(ESC), `raw ESC on stdout\n${describeRun(r)}`).toBe(false);
      expect(r.out.includes('\u0007'), `raw BEL on stdout\n${describeRun(r)}`).toBe(false);
      expect(r.err.includes(ESC), `raw ESC on stderr\n${describeRun(r)}`).toBe(false);
    }
    const show = expectOk(await w.run(['member', 'show', 'evil@acme.example']));
    expect(show.out).toContain('Evil');
    // Escaped, not dropped: the ESC is shown in a visible form (\x1b, \u001b, \e or ^[).
    expect(show.out).toMatch(/\\x1b|\\u001b|\\e|\^\[/i);
  });

  it('escapes C1 control characters (U+009B, the 8-bit CSI) too', async () => {
    expectOk(await w.run(['member', 'add', 'csi@acme.example', '--name', 'C\u009b31mSI']));
    const r = expectOk(await w.run(['member', 'list']));
    expect(r.out.includes('\u009b')).toBe(false);
  });

  it('escapes control characters in error messages', async () => {
    const r = expectError(await w.run(['member', 'show', `ghost${ESC}[2J@acme.example`]), 3);
    expect(r.err.includes(ESC)).toBe(false);
  });

  it('keeps the name as given in --json (escaped by JSON, never raw)', async () => {
    const r = expectOk(await w.run(['member', 'show', evil.id, '--json']));
    expect(r.out.includes(ESC)).toBe(false);
    expect(r.json().name).toBe(EVIL);
  });
});

describe('errors', () => {
  it('prints error[CODE]: message and a hint on stderr, nothing on stdout', async () => {
    const r = expectError(await w.run(['member', 'show', 'ghost@acme.example']), 3, 'NOT_FOUND');
    expect(r.err).toMatch(/^error\[NOT_FOUND\]: \S/m);
    expect(r.err).toMatch(/^hint: \S/m);
  });

  it('with --json, an error is one line of {"error":{code, message, hint}} on stderr, nothing on stdout', async () => {
    const r = expectError(await w.run(['member', 'show', 'ghost@acme.example', '--json']), 3, 'NOT_FOUND');
    const lines = r.err.split('\n').filter((l) => l.length);
    expect(lines, describeRun(r)).toHaveLength(1);
    const body = JSON.parse(lines[0]);
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toEqual({ code: 'NOT_FOUND', message: expect.any(String), hint: expect.anything() });
    expect(body.error.message.length).toBeGreaterThan(0);
  });

  it('a rule refusal with --json is one line too (exit 1)', async () => {
    const r = expectError(await w.run(['member', 'suspend', ADMIN, '--json']), 1, 'LAST_ADMIN');
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown command is exit 2 (USAGE), also with --json', async () => {
    expectError(await w.run(['frobnicate']), 2);
    expectError(await w.run(['member', 'frobnicate']), 2);
    const j = expectError(await w.run(['frobnicate', '--json']), 2, 'USAGE');
    expect(j.err.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown option or a missing argument is exit 2 (USAGE)', async () => {
    expectError(await w.run(['member', 'list', '--frobnicate']), 2, 'USAGE');
    expectError(await w.run(['member', 'add', 'x@acme.example']), 2, 'USAGE');
    expectError(await w.run(['member', 'show']), 2, 'USAGE');
  });

  // A bug, provoked: the built CLI's main() given a stdout that throws. No workspace is involved.
  it.skipIf(BACKEND === 'pg')('a bug is INTERNAL (exit 70); with ROLLCALL_DEBUG=1 the stack trace follows as lines, never in the hint (no workspace: checked on the SQLite run only)', async () => {
    const { main } = createRequire(import.meta.url)(join(dirname(BIN), '..', 'dist', 'rollcall.cjs')) as { main: (argv: string[], io: unknown) => Promise<number> };
    const run = async (args: string[], env: Record<string, string> = {}) => {
      const err: string[] = [];
      const io = { stdout: { write: () => { throw new Error('stdout is on fire'); } }, stderr: { write: (t: string) => err.push(t) }, stdin: Readable.from([]), env, cwd: tmpdir() };
      return { code: await main(args, io), lines: err.join('').trimEnd().split('\n') };
    };
    const plain = await run(['--version']);
    expect(plain).toEqual({ code: 70, lines: ['error[INTERNAL]: this is a bug in rollcall: stdout is on fire', 'hint: run again with ROLLCALL_DEBUG=1 for details, and report it'] });
    const debug = await run(['--version'], { ROLLCALL_DEBUG: '1' });
    expect(debug.code).toBe(70);
    expect(debug.lines.slice(0, 3)).toEqual(['error[INTERNAL]: this is a bug in rollcall: stdout is on fire', 'hint: report it, with the stack trace below', 'Error: stdout is on fire']);
    expect(debug.lines.length).toBeGreaterThan(4);
    for (const line of debug.lines.slice(3)) expect(line).toMatch(STACK);
    // With --json the error is still one JSON line, first; the trace follows it.
    const json = await run(['--version', '--json'], { ROLLCALL_DEBUG: '1' });
    expect(JSON.parse(json.lines[0])).toEqual({ error: { code: 'INTERNAL', message: 'this is a bug in rollcall: stdout is on fire', hint: 'report it, with the stack trace below' } });
    for (const line of json.lines.slice(2)) expect(line).toMatch(STACK);
  });

  it('never prints a stack trace for an expected failure', async () => {
    for (const args of [['member', 'show', 'ghost@acme.example'], ['frobnicate'], ['member', 'add', 'bad', '--name', 'X']]) {
      const r = await w.run(args);
      expect(r.err).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    }
  });
});

describe('output', () => {
  it('--json lists are arrays; member show is one object with every field', async () => {
    const list = expectOk(await w.run(['member', 'list', '--json'])).json();
    expect(Array.isArray(list)).toBe(true);
    const show = expectOk(await w.run(['member', 'show', ADMIN, '--json'])).json();
    expect(Array.isArray(show)).toBe(false);
    for (const f of ['id', 'email', 'name', 'kind', 'role', 'scope', 'status', 'suspendedReason', 'org', 'orgs', 'title', 'startDate', 'twoFactor', 'createdAt', 'updatedAt', 'deletedAt', 'restorableUntil', 'groups']) {
      expect(show).toHaveProperty(f);
      expect(show[f]).not.toBeUndefined();
    }
  });

  it('--json on a bulk command prints an array', async () => {
    await w.invitedMember('bulk1@acme.example', 'Bulk One');
    await w.invitedMember('bulk2@acme.example', 'Bulk Two');
    const r = expectOk(await w.run(['member', 'suspend', 'bulk1@acme.example', 'bulk2@acme.example', '--json']));
    expect(r.json()).toHaveLength(2);
  });

  it('stdout holds only JSON with --json: notes go to stderr', async () => {
    const r = expectOk(await w.run(['member', 'add', 'json-only@acme.example', '--name', 'J', '--json']));
    expect(() => JSON.parse(r.out)).not.toThrow();
  });

  it('plain output when piped: no colour codes, even without NO_COLOR', async () => {
    const r = expectOk(await w.run(['member', 'list'], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } }));
    expect(r.out).not.toMatch(/\u001b\[/);
  });

  it('--help and --version exit 0 without a workspace', async () => {
    const fresh = new World({ spawn: true });
    const help = expectOk(await fresh.run(['--help'], { token: null }));
    expect(help.out).toMatch(/member/);
    expectOk(await fresh.run(['member', '--help'], { token: null }));
    const v = expectOk(await fresh.run(['--version'], { token: null }));
    expect(v.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
