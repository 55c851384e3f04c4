// Issue 23.1: --jq EXPR filters any command's JSON through jq (jq-wasm, built in), as gh's --jq:
// strings raw, other values compact JSON, one a line; compiled before any work; a bad filter or one
// that fails is INVALID_INPUT (exit 2), never a stack trace. --fields on every command that prints
// records, single ones included. Backend-independent: left out of the PostgreSQL pass.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, STACK, World, expectError, expectOk } from '../helpers/world.js';

const BOB = 'bob@acme.example';
const YAMADA = 'yamada@acme.example';

describe('--jq and --fields', () => {
  let w: World;
  beforeAll(async () => {
    w = await World.ready();
    expectOk(await w.run(['member', 'add', BOB, '--name', 'Bob "B" Lee', '--title', 'Lead\tengineer']));
    expectOk(await w.run(['member', 'add', YAMADA, '--name', '山田 太郎 😀', '--title', 'ab\u202ecd']));
  });

  it('prints strings raw and other values as compact JSON, one a line', async () => {
    expect(expectOk(await w.run(['member', 'list', '--jq', '.[].email'])).out).toBe(`${ADMIN}\n${BOB}\n${YAMADA}\n`);
    expect(expectOk(await w.run(['member', 'list', '--jq', '.[] | select(.email != "alice@acme.example") | .name'])).out).toBe('Bob "B" Lee\n山田 太郎 😀\n');
    expect(expectOk(await w.run(['member', 'list', '--jq', '.[] | {email, n: (.name | length), scope}'])).out).toBe(
      `{"email":"${ADMIN}","n":11,"scope":[]}\n{"email":"${BOB}","n":11,"scope":[]}\n{"email":"${YAMADA}","n":7,"scope":[]}\n`);
    expect(expectOk(await w.run(['member', 'list', '--jq', 'length'])).out).toBe('3\n');
    expect(expectOk(await w.run(['member', 'list', '--jq', 'map(.twoFactor) | any'])).out).toBe('false\n');
    expect(expectOk(await w.run(['member', 'list', '--jq', '.[] | select(.role == "nobody")'])).out).toBe(''); // no output, exit 0
    // A string holding a tab is printed raw when piped, as jq -r; a bidi override in a JSON value stays escaped.
    expect(expectOk(await w.run(['member', 'show', BOB, '--jq', '.title'])).out).toBe('Lead\tengineer\n');
    expect(expectOk(await w.run(['member', 'show', YAMADA, '--jq', '{title}'])).out).toBe('{"title":"ab\\u202ecd"}\n');
  });

  it('works on every command that prints JSON, single records, writes and help topics included', async () => {
    expect(expectOk(await w.run(['whoami', '--jq', '.via'])).out).toBe('token\n');
    expect(expectOk(await w.run(['member', 'show', BOB, '--jq', '.groups'])).out).toBe('[]\n');
    expect(expectOk(await w.run(['role', 'show', 'viewer', '--jq', '.permissions | join(",")'])).out).toBe('members.view,settings.view\n');
    expect(expectOk(await w.run(['audit', 'show', '1', '--jq', '.seq'])).out).toBe('1\n');
    expect(expectOk(await w.run(['audit', 'list', '--action', 'member.add', '--jq', '[.[].target] | sort | .[]'])).out).toBe(`${ADMIN}\n${BOB}\n${YAMADA}\n`);
    expect(expectOk(await w.run(['workspace', 'show', '--jq', '.domains[]'])).out).toBe('acme.example\n');
    expect(expectOk(await w.run(['help', 'exit-codes', '--jq', '.[] | select(.exit == 3) | .codes[]'])).out).toBe('NOT_FOUND\n');
    const token = expectOk(await w.run(['token', 'create', '--name', 'jq-ci', '--jq', '.token'])).out;
    expect(token).toMatch(/^rc_\S+\n$/);
    expect(expectOk(await w.run(['whoami', '--jq', '.token.name'], { token: token.trim() })).out).toBe('jq-ci\n');
    expect(expectOk(await w.run(['group', 'create', 'Design', '--jq', '.owner'])).out).toBe(`${ADMIN}\n`);
    // --json too is allowed: the filter runs on the JSON either way.
    expect(expectOk(await w.run(['org', 'add', 'Sales', '--json', '--jq', '.path'])).out).toBe('Sales\n');
  });

  it('applies --fields first, then the filter', async () => {
    expect(expectOk(await w.run(['member', 'list', '--fields', 'email,status', '--jq', '.[0]'])).out).toBe(`{"email":"${ADMIN}","status":"active"}\n`);
    expect(expectOk(await w.run(['member', 'show', BOB, '--fields', 'name', '--jq', 'keys'])).out).toBe('["name"]\n');
  });

  it('refuses a filter that does not compile before any work: INVALID_INPUT with jq\'s message, no stack trace', async () => {
    const r = expectError(await w.run(['member', 'add', 'carol@acme.example', '--name', 'Carol', '--jq', '.[']), 2, 'INVALID_INPUT');
    expect(r.err).toBe('error[INVALID_INPUT]: --jq: syntax error, unexpected end of file at <top-level>, line 1, column 2:\n    .[\n     ^\n'
      + "hint: the filter is written in jq's language (https://jqlang.org/manual/); put it in single quotes so the shell passes it as typed\n");
    expect(await w.emails()).not.toContain('carol@acme.example'); // nothing was added
    const undefinedFn = expectError(await w.run(['member', 'list', '--jq', 'nosuch(1)', '--json']), 2, 'INVALID_INPUT');
    expect(undefinedFn.error()!.message).toMatch(/^--jq: nosuch\/1 is not defined/);
    expect(undefinedFn.err).not.toMatch(STACK);
    expect(undefinedFn.err.trim().split('\n')).toHaveLength(1); // with --json: one JSON line
  });

  it('a filter that fails on the output is INVALID_INPUT, nothing on stdout; after a write it says the change stands', async () => {
    const r = expectError(await w.run(['member', 'list', '--jq', '.[] | if .email == "bob@acme.example" then error("no bob") else .email end']), 2, 'INVALID_INPUT');
    expect(r.err).toBe('error[INVALID_INPUT]: --jq: the filter failed on the output: no bob\nhint: see the JSON it ran on with --json instead of --jq\n');
    const num = expectError(await w.run(['whoami', '--jq', '.email | tonumber']), 2, 'INVALID_INPUT');
    expect(num.err).toContain('--jq: the filter failed on the output: string ("alice@acme.example") cannot be parsed as a number');
    const added = expectError(await w.run(['member', 'add', 'dan@acme.example', '--name', 'Dan', '--jq', '.temporaryPassword | error']), 2, 'INVALID_INPUT');
    expect(added.err).toContain('hint: the command itself succeeded: its change stands (rollcall audit list shows it)');
    expect(added.err).not.toMatch(STACK);
    expect((await w.member('dan@acme.example')).status).toBe('invited');
  });

  it('huge output: 200,000 lines through a real pipe, whole and in order', async () => {
    const r = expectOk(await w.run(['whoami', '--jq', 'range(0; 200000) | "line \\(.)"'], { spawn: true }));
    const lines = r.out.split('\n');
    expect(lines).toHaveLength(200001);
    expect(lines[0]).toBe('line 0');
    expect(lines[199999]).toBe('line 199999');
    expect(lines[200000]).toBe('');
  });

  it('a filter that exhausts jq\'s memory is INVALID_INPUT, and the next run filters again', async () => {
    const r = expectError(await w.run(['whoami', '--jq', '[range(0; 100000000)] | length']), 2, 'INVALID_INPUT');
    expect(r.err).toContain('--jq: the filter ran out of memory');
    expect(r.err).not.toContain('Aborted');
    expect(r.err).not.toMatch(STACK);
    expect(expectOk(await w.run(['whoami', '--jq', '.email'])).out).toBe(`${ADMIN}\n`);
  }, 60_000);

  it('is refused where there is no JSON to filter, and next to --csv', async () => {
    expect(expectError(await w.run(['export', '--jq', '.']), 2, 'USAGE').err).toContain('--jq filters the JSON a command prints, and export prints none');
    expectError(await w.run(['completion', 'bash', '--jq', '.']), 2, 'USAGE');
    expectError(await w.run(['help', 'member', '--jq', '.']), 2, 'USAGE');
    expectError(await w.run(['org', 'tree', '--format', 'dot', '--jq', '.']), 2, 'USAGE');
    expect(expectError(await w.run(['member', 'list', '--csv', '--jq', '.']), 2, 'USAGE').err).toContain('--csv and --jq are alternatives');
    expect(expectError(await w.run(['apply', '-', '--plan-format', 'markdown', '--jq', '.'], { input: 'email\n' }), 2, 'USAGE').err).toContain('--jq (JSON) and --plan-format markdown');
  });

  it('--fields on the commands that print one record: text, JSON and the same error for an unknown field', async () => {
    expect(expectOk(await w.run(['whoami', '--fields', 'email,via'])).out).toBe(`email: ${ADMIN}\nvia:   token\n`);
    expect(expectOk(await w.run(['whoami', '--fields', 'via,email', '--json'])).json()).toEqual({ via: 'token', email: ADMIN });
    expect(expectOk(await w.run(['role', 'show', 'viewer', '--fields', 'name,builtin', '--json'])).json()).toEqual({ name: 'viewer', builtin: true });
    expect(expectOk(await w.run(['audit', 'show', '1', '--fields', 'seq,action'])).out).toBe('seq:    1\naction: workspace.init\n');
    const added = expectOk(await w.run(['member', 'add', 'erin@acme.example', '--name', 'Erin', '--fields', 'email,status,temporaryPassword', '--json'])).json();
    expect(Object.keys(added)).toEqual(['email', 'status', 'temporaryPassword']);
    expect(added.temporaryPassword).toMatch(/\S{10,}/);
    const created = expectOk(await w.run(['token', 'create', '--name', 'fields-ci', '--fields', 'name,token'])).out;
    expect(created).toMatch(/^name:  fields-ci\ntoken: rc_\S+\n$/);
    expectOk(await w.run(['member', 'remove', 'erin@acme.example']));
    expect(expectOk(await w.run(['member', 'restore', 'erin@acme.example', '--fields', 'email,status,lostGroups', '--json'])).json())
      .toEqual([{ email: 'erin@acme.example', status: 'invited', lostGroups: [] }]);
    expectOk(await w.run(['group', 'create', 'Ops']));
    expect(expectOk(await w.run(['group', 'update', 'Ops', '--description', 'On call', '--fields', 'name,description'])).out).toBe('name:        Ops\ndescription: On call\n');
    for (const args of [['whoami'], ['audit', 'show', '1'], ['role', 'show', 'viewer'], ['member', 'add', 'fay@acme.example', '--name', 'Fay'], ['token', 'create', '--name', 'x']]) {
      const bad = expectError(await w.run([...args, '--fields', 'nope']), 2, 'INVALID_INPUT');
      expect(bad.err, args.join(' ')).toMatch(/^error\[INVALID_INPUT\]: unknown field "nope": the fields are /);
    }
    expect(await w.emails()).not.toContain('fay@acme.example'); // refused before any work
    expect(expectOk(await w.run(['token', 'list', '--jq', '.[] | select(.name == "x")'])).out).toBe('');
  });

  it("takes the members' fields with group show --csv, whose rows are the group's members", async () => {
    expectOk(await w.run(['group', 'create', 'Csv']));
    expectOk(await w.run(['group', 'add-member', 'Csv', BOB]));
    expect(expectOk(await w.run(['group', 'show', 'Csv', '--csv', '--fields', 'email,owner'])).out).toBe(`email,owner\r\n${ADMIN},true\r\n${BOB},false\r\n`);
    // The group's own fields name no column of its members: refused, not printed as empty columns.
    const bad = expectError(await w.run(['group', 'show', 'Csv', '--csv', '--fields', 'name']), 2, 'INVALID_INPUT');
    expect(bad.err).toMatch(/^error\[INVALID_INPUT\]: unknown field "name": the fields are email, role, owner/);
    // Without --csv, the group's fields as before.
    expect(expectOk(await w.run(['group', 'show', 'Csv', '--fields', 'name,owner'])).out).toBe(`name:  Csv\nowner: ${ADMIN}\n`);
    expectError(await w.run(['group', 'show', 'Csv', '--fields', 'email']), 2, 'INVALID_INPUT');
  });
});
