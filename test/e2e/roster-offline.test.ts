// Issue 23.13 and 23.12: rosters checked and compared with no workspace and no sign-in (a pull
// request from a fork has no secrets), and the plan as Markdown for a CI job's step summary.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKEND, World, expectError, expectOk, type RunOptions } from '../helpers/world.js';

/** A run as a fork's CI job makes it: no workspace named, no token, an empty config dir. */
function offline(w: World): RunOptions {
  const cfg = join(w.dir, 'no-config');
  mkdirSync(cfg, { recursive: true });
  return { token: null, env: { ROLLCALL_WORKSPACE: undefined, ROLLCALL_CONFIG_DIR: cfg } };
}

const noWorkspace = (w: World) => expect(existsSync(join(w.dir, 'rollcall.db')), 'roster commands must not create ./rollcall.db').toBe(false);

// Nothing here reads a workspace, so nothing depends on the backend: it runs once, on SQLite.
describe.skipIf(BACKEND === 'pg')('roster validate and diff, offline (once, on SQLite: with no workspace there is no backend to vary)', () => {
  it('validate: a good roster is "valid: N members", naming roles an apply checks against the workspace', async () => {
    const w = new World();
    w.file('r.csv', 'email,name,role,scope,org\nbob@acme.example,Bob,viewer,,Sales\ncara@acme.example,Cara,auditor,,\nsam@acme.example,Sam,site-admin,Sales,\n');
    const r = expectOk(await w.run(['roster', 'validate', 'r.csv'], offline(w)));
    expect(r.out).toBe('valid: 3 members\n');
    expect(r.err).toMatch(/not built-in roles, checked against the workspace's custom roles when applied: auditor/);
    const json = expectOk(await w.run(['roster', 'validate', 'r.csv', '--json'], offline(w))).json();
    expect(json).toMatchObject({ valid: true, format: 'csv', members: 3, removals: 0, customRoles: ['auditor'] });
    noWorkspace(w);
  });

  it('validate: finds the problems apply finds before it looks at the workspace, the same words and lines (ROSTER_INVALID, exit 2)', async () => {
    const w = await World.ready();
    const rows = [
      'email,name,role,scope,status,start_date', 'bob@acme.example,Bob,viewer,,,', 'not-an-address,X,,,frozen,2030-02-30',
      'bob@acme.example,Bob again,,,,', `dee@acme.example,${'D'.repeat(201)},site-admin,,,`, `eve@acme.example,Eve,viewer,${Array(33).fill('a').join('/')},,`,
    ];
    w.file('bad.csv', rows.join('\n') + '\n');
    const valid = expectError(await w.run(['roster', 'validate', 'bad.csv', '--json'], offline(w)), 2, 'ROSTER_INVALID');
    const problems = JSON.parse(valid.err).error.problems;
    expect(problems.map((p: { line: number }) => p.line)).toEqual([3, 3, 3, 4, 5, 5, 6, 6]);
    expect(problems[3].message).toBe('bob@acme.example appears twice (first at bad.csv:2)');
    // The planner runs the same checks (one module): apply reports exactly these, and changes nothing.
    const applied = expectError(await w.run(['apply', 'bad.csv', '--dry-run', '--json']), 2, 'ROSTER_INVALID');
    expect(JSON.parse(applied.err).error.problems).toEqual(problems);
    const text = expectError(await w.run(['roster', 'validate', 'bad.csv'], offline(w)), 2, 'ROSTER_INVALID');
    expect(text.err).toMatch(/^bad\.csv:3: status "frozen" is not one of active, invited, pending, suspended$/m);
    expect(text.err).toMatch(/^bad\.csv:6: the role viewer takes no scope$/m);
    noWorkspace(w);
  });

  it('diff: adds, changes (field: old → new) and removes between two files, as text, JSON and Markdown; --detailed-exitcode 10, then 0', async () => {
    const w = new World();
    w.file('old.yaml', 'members:\n  - {email: bob@acme.example, name: Bob, title: Engineer}\n  - {email: dan@acme.example, name: Dan}\n');
    w.file('new.csv', 'email,name,title,status\nbob@acme.example,Bob,Lead | `dev`,suspended\nerin@acme.example,Erin <i>,,\n');
    const text = await w.run(['roster', 'diff', 'old.yaml', 'new.csv', '--detailed-exitcode'], offline(w));
    expect(text.code, text.err).toBe(10);
    expect(text.out).toBe([
      '  ~ change  bob@acme.example', '        title: Engineer → Lead | `dev`', '  + add     erin@acme.example', '        name: Erin <i>',
      '  - remove  dan@acme.example', 'Diff: 1 to add, 1 to change, 1 to remove.', '',
    ].join('\n'));
    const json = (await w.run(['roster', 'diff', 'old.yaml', 'new.csv', '--json'], offline(w))).json();
    expect(json).toEqual({
      changes: [
        { action: 'change', email: 'bob@acme.example', fields: { title: { from: 'Engineer', to: 'Lead | `dev`' } } },
        { action: 'add', email: 'erin@acme.example', fields: { name: { from: null, to: 'Erin <i>' } } },
        { action: 'remove', email: 'dan@acme.example' },
      ],
      summary: { add: 1, change: 1, remove: 1, restore: 0 },
    });
    const md = expectOk(await w.run(['roster', 'diff', 'old.yaml', 'new.csv', '--plan-format', 'markdown'], offline(w)));
    expect(md.out).toContain('| add | erin@acme.example | name: Erin &lt;i&gt; |');
    expect(md.out).toContain('| change | bob@acme.example | title: Engineer → Lead \\| \\`dev\\` |');
    expect(expectOk(await w.run(['roster', 'diff', 'new.csv', 'new.csv', '--detailed-exitcode'], offline(w))).out).toBe('No changes.\n');
    // an invalid side is ROSTER_INVALID, naming its file
    w.file('broken.csv', 'email\nnope\n');
    expect(expectError(await w.run(['roster', 'diff', 'old.yaml', 'broken.csv'], offline(w)), 2, 'ROSTER_INVALID').err).toMatch(/^broken\.csv:2: not a valid email/m);
    noWorkspace(w);
  });
});

describe('apply --dry-run --format markdown (or --plan-format markdown): the plan for a step summary or a pull-request comment', () => {
  it('prints the summary line first, then adds and changes with their fields, escaping what Markdown and HTML would read', async () => {
    const w = await World.ready();
    w.file('r.csv', 'email,name,title\nalice@acme.example,Alice Admin,Boss\nbob@acme.example,Bob | <script>,`x`\n');
    for (const flags of [['--format', 'markdown'], ['--plan-format', 'markdown']]) {
      const r = expectOk(await w.run(['apply', 'r.csv', '--dry-run', ...flags]));
      expect(r.out.split('\n').slice(0, 3)).toEqual(['**Plan: 1 to add, 1 to change, 0 to remove, 0 to restore.**', '', 'Dry run: nothing was changed.']);
      expect(r.out).toContain('| add | bob@acme.example | name: Bob \\| &lt;script&gt;<br>role: viewer<br>title: \\`x\\`<br>status: invited |');
      expect(r.out).toContain('| change | alice@acme.example | title: (none) → Boss |');
      expect(r.out.indexOf('| add |')).toBeLessThan(r.out.indexOf('| change |'));
    }
    expectError(await w.run(['apply', 'r.csv', '--dry-run', '--json', '--plan-format', 'markdown']), 2, 'USAGE');
    expectError(await w.run(['apply', 'r.csv', '--dry-run', '--format', 'markdown', '--plan-format', 'text']), 2, 'USAGE');
    const applied = await w.run(['apply', 'r.csv', '--plan-format', 'markdown', '--detailed-exitcode']);
    expect(applied.code, applied.err).toBe(10);
    expect(applied.out).toMatch(/^\*\*Plan: 1 to add, 1 to change, 0 to remove, 0 to restore\.\*\*\n\nApplied\. Batch: b\S+\n/);
    expect(expectOk(await w.run(['apply', 'r.csv', '--dry-run', '--format', 'markdown'])).out).toMatch(/^\*\*No changes\.\*\*\n/);
  });
});
