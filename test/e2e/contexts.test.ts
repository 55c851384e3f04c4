// Named contexts (issue 23.5): `context add|use|list|show|rm`, `--context` and ROLLCALL_CONTEXT;
// kept in contexts.yaml in the config folder (0600, through a temp file and a rename); the order
// that picks the workspace: -w or --context > ROLLCALL_WORKSPACE > ROLLCALL_CONTEXT > the current
// context > ./rollcall.db; a context never holds a password.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, BACKEND, World, expectError, expectOk } from '../helpers/world.js';

/** Runs with no ROLLCALL_WORKSPACE: the workspace comes from the contexts, or ./rollcall.db. */
const NO_WS = { ROLLCALL_WORKSPACE: undefined };

describe('named contexts', () => {
  it('add, use, list, show and rm; the file is YAML, private, and rewritten whole', async () => {
    const w = await World.ready();
    const cfg = w.cfg();
    expectOk(await w.run(['context', 'add', 'acme', '-w', w.ws]));
    const other = join(w.dir, 'other.db');
    expectOk(await w.run(['context', 'add', 'other', '-w', other, '--use']));
    let list = expectOk(await w.run(['context', 'list', '--json'])).json();
    expect(list).toEqual([{ name: 'acme', workspace: w.ws, current: false }, { name: 'other', workspace: other, current: true }]);

    expectOk(await w.run(['context', 'use', 'acme']));
    expect(expectOk(await w.run(['whoami'], { env: NO_WS })).out).toContain(ADMIN);
    expect(expectOk(await w.run(['context', 'list'])).out).toBe(`*\tacme\t${w.ws}\n\tother\t${other}\n`);
    expect(expectOk(await w.run(['context', 'show', '--json'], { env: NO_WS })).json()).toEqual({ name: 'acme', workspace: w.ws, current: true });

    const file = join(cfg, 'contexts.yaml');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(`current: acme\ncontexts:\n  acme:\n    workspace: ${JSON.stringify(w.ws)}\n  other:\n`);
    expect(readdirSync(cfg).filter((n) => n.includes('.tmp'))).toEqual([]);

    expectError(await w.run(['context', 'add', 'acme', '-w', other]), 5, 'ALREADY_EXISTS');
    expectOk(await w.run(['context', 'rm', 'acme']));
    list = expectOk(await w.run(['context', 'list', '--json'])).json();
    expect(list).toEqual([{ name: 'other', workspace: other, current: false }]);
    expectError(await w.run(['context', 'use', 'acme']), 3, 'NOT_FOUND');
    expectError(await w.run(['context', 'show'], { env: NO_WS }), 3, 'NOT_FOUND'); // none in use: ./rollcall.db
  });

  it('picks the workspace: -w or --context, then ROLLCALL_WORKSPACE, then ROLLCALL_CONTEXT, then the current context', async () => {
    const w = await World.ready();
    const missing = join(w.dir, 'missing.db');
    expectOk(await w.run(['context', 'add', 'good', '-w', w.ws]));
    expectOk(await w.run(['context', 'add', 'bad', '-w', missing, '--use']));
    const whoami = (args: string[], env: Record<string, string | undefined>) => w.run([...args, 'whoami'], { env: { ...NO_WS, ...env } });
    expectError(await whoami([], {}), 6, 'WORKSPACE_NOT_FOUND'); // the current context: bad
    expectOk(await whoami([], { ROLLCALL_CONTEXT: 'good' })); // ROLLCALL_CONTEXT beats the current context
    expectError(await whoami([], { ROLLCALL_CONTEXT: 'good', ROLLCALL_WORKSPACE: missing }), 6, 'WORKSPACE_NOT_FOUND'); // ROLLCALL_WORKSPACE beats ROLLCALL_CONTEXT
    expectOk(await whoami(['--context', 'good'], { ROLLCALL_WORKSPACE: missing })); // a flag beats the environment
    expectError(await whoami(['--context', 'bad'], { ROLLCALL_WORKSPACE: w.ws }), 6, 'WORKSPACE_NOT_FOUND');
    const both = expectError(await whoami(['--context', 'good', '-w', w.ws], {}), 2, 'USAGE');
    expect(both.err).toContain('--workspace and --context both name the workspace');
    const unknown = expectError(await whoami(['--context', 'nosuch'], {}), 3, 'NOT_FOUND');
    expect(unknown.err).toContain('hint: contexts: bad, good (rollcall context list)');
    expect(expectError(await whoami([], { ROLLCALL_CONTEXT: 'nosuch' }), 3, 'NOT_FOUND').err).toContain('(from ROLLCALL_CONTEXT)');
    expect(expectOk(await w.run(['help', 'environment'], { env: { ...NO_WS, ROLLCALL_CONTEXT: 'good' } })).out)
      .toContain(`Here and now: ${w.ws} (context good, from ROLLCALL_CONTEXT)`);
  });

  it.skipIf(BACKEND === 'pg')('keeps a relative SQLite path as an absolute one, so the context works from any folder (SQLite only: a URL is kept as given)', async () => {
    const w = await World.ready();
    expectOk(await w.run(['context', 'add', 'here', '-w', 'ws.db', '--use']));
    expect(expectOk(await w.run(['context', 'show', 'here', '--json'])).json().workspace).toBe(w.ws);
    const elsewhere = new World(); // another working folder, the same config folder
    const r = await elsewhere.run(['whoami', '--json'], { env: { ...NO_WS, ROLLCALL_CONFIG_DIR: w.cfg(), ROLLCALL_TOKEN: w.token! } });
    expect(expectOk(r).json().email).toBe(ADMIN);
  });

  it('never stores a password: a URL with one is refused and nothing is written', async () => {
    const w = new World();
    for (const url of ['postgres://rollcall:s3cret@db.internal/acme', 'postgres://rollcall@db.internal/acme?password=s3cret']) {
      const r = expectError(await w.run(['context', 'add', 'prod', '-w', url]), 2, 'INVALID_INPUT');
      expect(r.err).not.toContain('s3cret');
      expect(r.err).toContain('~/.pgpass');
    }
    expect(() => readdirSync(w.cfg())).toThrow(); // no config folder was even made
    expectError(await w.run(['context', 'add', 'prod']), 2, 'USAGE'); // no -w
    expectError(await w.run(['context', 'add', 'no/slash', '-w', 'x.db']), 2, 'INVALID_INPUT');
  });

  it('reads a contexts file edited by hand in another YAML style', async () => {
    const w = await World.ready();
    expect(expectOk(await w.run(['context', 'list'])).err).toContain('no contexts in'); // nothing yet: a note, exit 0
    mkdirSync(w.cfg(), { recursive: true });
    writeFileSync(join(w.cfg(), 'contexts.yaml'), `{current: mine, contexts: {mine: {workspace: '${w.ws}'}}}  # flow style\n`);
    expect(expectOk(await w.run(['whoami', '--json'], { env: NO_WS })).json().email).toBe(ADMIN);
    writeFileSync(join(w.cfg(), 'contexts.yaml'), 'contexts: [1, 2\n');
    const r = expectError(await w.run(['whoami'], { env: NO_WS }), 2, 'INVALID_INPUT');
    expect(r.err).toContain('contexts.yaml');
  });
});
