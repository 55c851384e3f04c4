// Issue 19.10: the README's examples run as written. Every ```sh / ```bash block of README.md is
// run, in order, with `bash -euo pipefail`, as a reader following the README would type them in
// one shell (what a block exports, the next one sees) and one new folder: a copy of fixtures/ in
// it (the import examples name those files), `rollcall` on PATH (the built bin/rollcall), a HOME of
// its own (so sessions land in a fresh config dir) and no ROLLCALL_* variable but those the README
// sets itself. The blocks form one session, so each goes on from the state the ones before it left.
// A block must exit 0 and print every line its `# → TEXT` comments claim. A block that cannot run
// here carries `<!-- not run: REASON -->` (see test/helpers/readme.ts); the blocks of the sections
// the issue names may not.
//
// ROLLCALL_TEST_BACKEND=pg runs the same blocks on a new PostgreSQL database: the session's
// `export ROLLCALL_WORKSPACE=./acme.db` names the database's URL instead (the README says every
// command is the same there), and nothing else changes.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, BIN, ROOT, World } from '../helpers/world.js';
import { missingClaims, parseReadme, type ShellBlock } from '../helpers/readme.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const { blocks, problems } = parseReadme(README);
const runnable = blocks.filter((b) => b.notRun === null);

/** The sections whose examples must run (issue 19.10): none of their blocks may be marked not run. */
const MUST_RUN = ['A session from the shell', 'Coming from another directory', 'Org chart', 'Roles'];
/** The line of the session that names the workspace; on PostgreSQL it names the test database. */
const WORKSPACE_LINE = 'export ROLLCALL_WORKSPACE=./acme.db';

const where = (b: ShellBlock) => `README.md:${b.line} (${b.section || 'top'})`;
const cut = (s: string, n = 4000) => (s.length > n ? s.slice(0, n) + '…' : s);

describe('README.md: every shell example runs here or says why not', () => {
  it('has a shell block in each section the issue names, none of them marked not run', () => {
    for (const section of MUST_RUN) {
      const inSection = blocks.filter((b) => b.section === section);
      expect(inSection.length, `no shell block under "## ${section}"`).toBeGreaterThan(0);
      expect(inSection.filter((b) => b.notRun !== null).map(where), `these must run: ${section}`).toEqual([]);
    }
  });

  it('marks every block it does not run with <!-- not run: REASON --> right before it', () => {
    expect(problems).toEqual([]);
    for (const b of blocks.filter((x) => x.notRun !== null)) expect(b.notRun, where(b)).not.toBe('');
  });

  it('names the session workspace in one line, which the PostgreSQL run replaces', () => {
    const holders = runnable.filter((b) => b.code.split('\n').includes(WORKSPACE_LINE));
    expect(holders.map((b) => b.section)).toEqual(['A session from the shell']);
    expect(runnable[0].section, 'the session comes first: it creates the workspace').toBe('A session from the shell');
  });

  it('catches a marker without a reason, or with no shell block after it', () => {
    const md = '## A\n<!-- not run -->\n```sh\nx\n```\n<!-- not run: why -->\nprose\n```sh\ny\n```\n  <!-- not run: ok -->\n  ```bash\n  z # → z\n  ```\n';
    const parsed = parseReadme(md);
    expect(parsed.problems).toEqual([
      'README.md:2: a not-run marker must read <!-- not run: REASON -->, with a reason',
      'README.md:6: the not-run marker is not followed by a shell block',
    ]);
    expect(parsed.blocks.map((b) => [b.line, b.notRun, b.code, b.claims])).toEqual([
      [3, '(none)', 'x\n', []], [8, null, 'y\n', []], [12, 'ok', 'z # → z\n', ['z']],
    ]);
  });

  it('checks its claims: each `# → TEXT` is a printed line, in order', () => {
    expect(missingClaims(['yes', 'no'], '  yes\nno\n')).toEqual([]);
    expect(missingClaims(['no', 'yes'], 'yes\nno\n')).toEqual(['yes']);
    expect(missingClaims(['yes'], 'yes, and more\n')).toEqual(['yes']);
  });
});

describe(`README.md examples, run in order as one session (${BACKEND})`, () => {
  let world: World;
  let cwd: string;
  let state: string;
  let env: Record<string, string>;
  let failed: string | null = null;

  beforeAll(() => {
    const jq = spawnSync('jq', ['--version'], { encoding: 'utf8' });
    if (jq.status !== 0) throw new Error('the README examples read JSON with jq, which is not installed');
    world = new World();
    world.ensureDb();
    const bin = join(world.dir, 'bin');
    const home = join(world.dir, 'home');
    cwd = join(world.dir, 'acme');
    state = join(world.dir, 'exported.sh');
    writeFileSync(state, '');
    for (const d of [bin, home, cwd]) mkdirSync(d, { recursive: true });
    // `rollcall` as `npm link` would install it: the built bin/rollcall, run by this Node.
    writeFileSync(join(bin, 'rollcall'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(join(bin, 'rollcall'), 0o755);
    cpSync(join(ROOT, 'fixtures'), join(cwd, 'fixtures'), { recursive: true });
    env = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v === undefined || k.startsWith('ROLLCALL_') || ['XDG_CONFIG_HOME', 'FORCE_COLOR', 'PGPASSFILE'].includes(k)) continue;
      env[k] = v;
    }
    Object.assign(env, { HOME: home, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, NO_COLOR: '1' });
  });

  /**
   * The block as bash runs it, in the exported environment the blocks before it left (one shell,
   * as a reader's); on PostgreSQL, the session's workspace is the test database.
   */
  function script(b: ShellBlock): string {
    const code = BACKEND !== 'pg' ? b.code
      : b.code.split('\n').map((l) => (l === WORKSPACE_LINE ? `export ROLLCALL_WORKSPACE='${world.ws}'` : l)).join('\n');
    return `source ${JSON.stringify(state)}\ntrap 'export -p > ${JSON.stringify(state)}' EXIT\n${code}`;
  }

  for (const b of runnable) {
    it(`${where(b)} exits 0${b.claims.length ? ` and prints ${b.claims.map((c) => JSON.stringify(c)).join(', ')}` : ''}`, (ctx) => {
      if (failed) ctx.skip(`it goes on from ${failed}, which failed`);
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script(b)], { cwd, env, encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 });
      const report = `${where(b)}\n${b.code}\n→ exit ${r.status}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${cut(r.stdout ?? '')}\n--- stderr\n${cut(r.stderr ?? '')}`;
      try {
        expect(r.error, report).toBeUndefined();
        expect(r.status, report).toBe(0);
        expect(missingClaims(b.claims, r.stdout ?? ''), `claimed but not printed\n${report}`).toEqual([]);
      } catch (e) {
        failed = where(b);
        throw e;
      }
    });
  }

  it(`ran on ${BACKEND === 'pg' ? 'the PostgreSQL test database, not ./acme.db' : 'the file ./acme.db'}`, (ctx) => {
    if (failed) ctx.skip(`${failed} failed`);
    expect(existsSync(join(cwd, 'acme.db'))).toBe(BACKEND !== 'pg');
    if (BACKEND === 'pg') expect(world.sql("select role from members where email = 'ann@acme.example'")).toBe('site-admin');
  });
});
