// Hostile input (issue 8): fuzzed and malicious roster files, malformed emails, over-long and
// control-character names, files that are not workspaces. Each must end in a clear error with the
// spec's exit status (never 70, never a stack trace), and a refused command changes nothing.
import fc from 'fast-check';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKEND, STACK, World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

// Each run reads the whole state twice: ~25 ms on SQLite, ~100 ms on PostgreSQL.
const FUZZ_RUNS = Number(process.env.ROLLCALL_FUZZ_RUNS || (BACKEND === 'pg' ? 10 : 40));
const ESC = '\u001b';

/** Everything a user can see of the workspace: members (removed ones too), orgs, groups, settings, audit. */
async function state(w: World): Promise<string> {
  const read = async (args: string[]) => expectOk(await w.run([...args, '--json'])).out;
  return [
    await read(['member', 'list']),
    await read(['member', 'list', '--status', 'deleted']),
    await read(['org', 'list']),
    await read(['group', 'list']),
    await read(['workspace', 'show']),
    await read(['audit', 'list']),
  ].join('\n');
}

/** A clear outcome: one of the allowed exit statuses, an error code on a failure, no stack trace. */
function expectClear(r: Result, exits: number[]) {
  expect(exits, describeRun(r)).toContain(r.code);
  expect(r.err, describeRun(r)).not.toMatch(STACK);
  if (r.code !== 0) expect(r.errCode(), describeRun(r)).toMatch(/^[A-Z_]+$/);
}

/** Runs a command that must be refused: the exit and code asked for, and the workspace unchanged. */
async function refusedUnchanged(w: World, args: string[], exit: number, code: string): Promise<Result> {
  const before = await state(w);
  const r = expectError(await w.run(args), exit, code);
  expect(r.err, describeRun(r)).not.toMatch(STACK);
  expect(await state(w), `state after ${args.join(' ')}`).toBe(before);
  return r;
}

describe('fuzzed roster files', () => {
  // Applied for real (not --dry-run): whatever the bytes, apply either succeeds or is refused as
  // a whole. Exit 1 covers rule refusals a random row could hit (seat limit).
  for (const ext of ['csv', 'yaml', 'json']) {
    it(`random bytes as a .${ext} roster: a clear outcome, and a refusal changes nothing`, async () => {
      const w = await World.ready();
      let n = 0;
      await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        const file = w.file(`fuzz-${n++}.${ext}`, Buffer.from(bytes));
        const before = await state(w);
        const r = await w.run(['apply', file, '--yes']);
        expectClear(r, [0, 1, 2]);
        if (r.code !== 0) expect(await state(w), describeRun(r)).toBe(before);
      }), { numRuns: FUZZ_RUNS });
    });
  }

  it('random text cells (any Unicode, control characters, quotes, separators) in a CSV roster', async () => {
    const w = await World.ready();
    let n = 0;
    const piece = fc.oneof(fc.constantFrom(',', '"', ';', '\n', '\r', '\t', ESC, '\u0000', '\u202e', '＠'), fc.string({ unit: 'binary', maxLength: 4 }));
    const cell = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
    const row = fc.tuple(fc.oneof(fc.emailAddress(), cell), cell, cell, fc.oneof(fc.constantFrom('viewer', 'admin', ''), cell));
    await fc.assert(fc.asyncProperty(fc.array(row, { maxLength: 6 }), async (rows) => {
      const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
      const text = 'email,name,title,role\n' + rows.map((r) => r.map(quote).join(',')).join('\n') + '\n';
      const file = w.file(`cells-${n++}.csv`, text);
      const before = await state(w);
      const r = await w.run(['apply', file, '--yes']);
      expectClear(r, [0, 1, 2]);
      if (r.code !== 0) expect(await state(w), describeRun(r)).toBe(before);
      expect(r.out + r.err, 'no raw ESC reaches the terminal').not.toContain(ESC);
    }), { numRuns: FUZZ_RUNS });
  });

  it('random JSON documents as a roster: a clear outcome, and a refusal changes nothing', async () => {
    const w = await World.ready();
    let n = 0;
    const key = fc.constantFrom('email', 'name', 'role', 'scope', 'org', 'orgs', 'title', 'status', 'startDate', 'id', 'extra');
    const member = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
    const doc = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record({ orgs: fc.jsonValue({ maxDepth: 2 }), members: fc.array(member, { maxLength: 5 }) }, { requiredKeys: ['members'] }),
    );
    await fc.assert(fc.asyncProperty(doc, async (d) => {
      const file = w.file(`doc-${n++}.json`, JSON.stringify(d));
      const before = await state(w);
      const r = await w.run(['apply', file, '--yes']);
      expectClear(r, [0, 1, 2]);
      if (r.code !== 0) expect(await state(w), describeRun(r)).toBe(before);
    }), { numRuns: FUZZ_RUNS });
  });
});

describe('malicious roster files', () => {
  it('deeply nested YAML is ROSTER_INVALID (exit 2), not a crash', async () => {
    const w = await World.ready();
    const flow = w.file('deep.yaml', 'members:\n  - ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n');
    const block = w.file('block.yaml', 'members:\n' + Array.from({ length: 300 }, (_, i) => '  '.repeat(i + 1) + '-\n').join(''));
    const compact = w.file('compact.yaml', 'members:\n  - ' + '- '.repeat(50_000) + 'x\n');
    for (const file of [flow, block, compact]) {
      const r = await refusedUnchanged(w, ['apply', file, '--yes'], 2, 'ROSTER_INVALID');
      expect(r.err).toContain('nested more than 64 levels deep');
    }
  });

  it('deeply nested JSON is ROSTER_INVALID (exit 2)', async () => {
    const w = await World.ready();
    const file = w.file('deep.json', '{"members": ' + '['.repeat(200_000) + ']'.repeat(200_000) + '}');
    await refusedUnchanged(w, ['apply', file, '--yes'], 2, 'ROSTER_INVALID');
  });

  it('a YAML alias bomb ("billion laughs") is refused, not expanded', async () => {
    const w = await World.ready();
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
    const file = w.file('laughs.yaml', lines.join('\n') + '\nmembers:\n  - email: bob@acme.example\n    name: *a11\n');
    await refusedUnchanged(w, ['apply', file, '--yes'], 2, 'ROSTER_INVALID');
  });

  it('a 1 MB line (one huge cell) is ROSTER_INVALID naming the line', async () => {
    const w = await World.ready();
    const file = w.file('huge.csv', 'email,name\nann@acme.example,Ann\nbob@acme.example,' + 'B'.repeat(1_100_000) + '\n');
    const r = await refusedUnchanged(w, ['apply', file, '--yes'], 2, 'ROSTER_INVALID');
    expect(r.err).toMatch(/huge\.csv:3/);
    expect(r.err.length, 'the error does not echo the megabyte back').toBeLessThan(2000);
  });

  it('a 300 KB cell within the line limit is refused by the 200-character name rule', async () => {
    const w = await World.ready();
    const file = w.file('long.csv', 'email,name,title\nbob@acme.example,' + 'B'.repeat(300_000) + ',\ncat@acme.example,Cat,' + 'T'.repeat(201) + '\n');
    const r = await refusedUnchanged(w, ['apply', file, '--yes'], 2, 'ROSTER_INVALID');
    expect(r.err).toMatch(/long\.csv:2: the name is 300000 characters long/);
    expect(r.err).toMatch(/long\.csv:3: the title is 201 characters long/);
  });

  it('a line of 50,000 cells under a 2-column header is ROSTER_INVALID; empty trailing cells are fine', async () => {
    const w = await World.ready();
    const file = w.file('wide.csv', 'email,name\n' + 'bob@acme.example' + ',x'.repeat(50_000) + '\n');
    const r = await refusedUnchanged(w, ['apply', file, '--yes'], 2, 'ROSTER_INVALID');
    expect(r.err).toContain('wide.csv:2: 50001 cells, but the header has 2 columns');
    expectOk(await w.run(['apply', w.file('trailing.csv', 'email,name\nbob@acme.example,Bob,,,\n'), '--yes']));
  });

  it('NUL bytes in a file are ROSTER_INVALID; a NUL written as a JSON or YAML escape is refused by row', async () => {
    const w = await World.ready();
    const raw = w.file('nul.csv', Buffer.from('email,name\nbob@acme.example,Bo\u0000b\n'));
    await refusedUnchanged(w, ['apply', raw, '--yes'], 2, 'ROSTER_INVALID');
    const json = w.file('nul.json', '{"members":[{"email":"bob@acme.example","name":"Bo\\u0000b"}]}');
    const r = await refusedUnchanged(w, ['apply', json, '--yes'], 2, 'ROSTER_INVALID');
    expect(r.err).toContain('NUL');
    const yaml = w.file('nul.yaml', 'members:\n  - email: bob@acme.example\n    name: Bob\n    title: "Chief\\0Officer"\n');
    await refusedUnchanged(w, ['apply', yaml, '--yes'], 2, 'ROSTER_INVALID');
  });

  it('a binary file with a .csv name (a PNG) is a clear error', async () => {
    const w = await World.ready();
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.alloc(64, 7)]);
    await refusedUnchanged(w, ['apply', w.file('photo.csv', png), '--yes'], 2, 'ROSTER_INVALID');
  });
});

describe('malformed emails, over-long names, escape sequences', () => {
  const BAD_EMAILS = [
    'no-at-sign', 'two@@acme.example', '@acme.example', 'bob@', 'bob@acme', 'bob@acme..example', 'b ob@acme.example',
    '.bob@acme.example', 'bob.@acme.example', 'bo..b@acme.example', 'bob@-acme.example', `${'x'.repeat(65)}@acme.example`,
    `bob@${'a'.repeat(250)}.example`, 'bob@acme.example\u001b[2J', '<script>@acme.example', 'bob@acme.example,eve@acme.example',
    'bob\u0007@acme.example', '',
  ];

  it('member add refuses every malformed email (INVALID_INPUT or USAGE, exit 2) and adds no one', async () => {
    const w = await World.ready();
    const before = await state(w);
    for (const email of BAD_EMAILS) {
      const r = expectError(await w.run(['member', 'add', email, '--name', 'X']), 2);
      expect(['INVALID_INPUT', 'USAGE'], describeRun(r)).toContain(r.errCode());
      expect(r.err, 'the bad address is shown escaped').not.toContain(ESC);
    }
    expect(await state(w)).toBe(before);
  });

  it('a roster with malformed emails reports each by line and adds no one', async () => {
    const w = await World.ready();
    const rows = BAD_EMAILS.filter((e) => !/[\n,"]/.test(e)).map((e) => `${e},X`);
    const file = w.file('bad-emails.csv', 'email,name\nok@acme.example,Ok\n' + rows.join('\n') + '\n');
    const r = await refusedUnchanged(w, ['apply', file, '--yes'], 2, 'ROSTER_INVALID');
    expect(r.err).toMatch(/bad-emails\.csv:3:/);
    expect(r.err).not.toContain(ESC);
  });

  it('names and titles: 200 characters are fine, 201 are INVALID_INPUT (exit 2), for add and update', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', 'bob@acme.example', '--name', 'N'.repeat(200), '--title', 'T'.repeat(200)]));
    await refusedUnchanged(w, ['member', 'add', 'cat@acme.example', '--name', 'N'.repeat(201)], 2, 'INVALID_INPUT');
    await refusedUnchanged(w, ['member', 'add', 'cat@acme.example', '--name', 'Cat', '--title', 'T'.repeat(201)], 2, 'INVALID_INPUT');
    await refusedUnchanged(w, ['member', 'update', 'bob@acme.example', '--name', 'N'.repeat(10_000)], 2, 'INVALID_INPUT');
    await refusedUnchanged(w, ['member', 'update', 'bob@acme.example', '--title', 'T'.repeat(201)], 2, 'INVALID_INPUT');
    await refusedUnchanged(w, ['group', 'create', 'G'.repeat(101)], 2, 'INVALID_INPUT');
    await refusedUnchanged(w, ['org', 'add', 'O'.repeat(201)], 2, 'INVALID_INPUT');
    await refusedUnchanged(w, ['workspace', 'set', 'name', 'W'.repeat(201)], 2, 'INVALID_INPUT');
  });

  it('terminal escape sequences in a name and a title never reach the terminal raw: list, show, audit, errors', async () => {
    const w = await World.ready();
    const evil = `Evil${ESC}]0;pwned${'\u0007'}${ESC}[2J${'\u009b'}31m`;
    expectOk(await w.run(['member', 'add', 'eve@acme.example', '--name', evil, '--title', evil]));
    const outputs = [
      await w.run(['member', 'list']),
      await w.run(['member', 'show', 'eve@acme.example']),
      await w.run(['audit', 'list']),
      await w.run(['member', 'list', '--search', evil]),
      await w.run(['member', 'show', `x${ESC}[2J@acme.example`]),
      await w.run(['group', 'create', evil]),
      await w.run(['org', 'add', evil]),
    ];
    for (const r of outputs) {
      expect(r.out + r.err, describeRun(r)).not.toMatch(/[\u001b\u0007\u009b]/);
      expect(r.err, describeRun(r)).not.toMatch(STACK);
    }
    // JSON keeps the name exactly, as JSON escapes (never raw bytes).
    const shown = expectOk(await w.run(['member', 'show', 'eve@acme.example', '--json']));
    expect(shown.out).not.toMatch(/[\u001b\u0007]/);
    expect(shown.json().name).toBe(evil);
  });
});

describe('workspace files that are not workspaces', () => {
  // SQLite files only, skipped on the PostgreSQL run: there the workspace is a database on a server
  // (§11), with no file to break.

  for (const [what, bytes] of [
    ['an empty file', Buffer.alloc(0)],
    ['random bytes', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256))],
    ['a text file', Buffer.from('name,email\nnot,a database\n')],
    ['a truncated SQLite header', Buffer.from('SQLite format')],
  ] as const) {
    it.skipIf(BACKEND === 'pg')(`${what} as the workspace file (SQLite only: PostgreSQL has no workspace file): WORKSPACE_CORRUPT (exit 6) for reads and writes, and the file is left byte for byte`, async () => {
      const w = new World({ spawn: true });
      writeFileSync(w.ws, bytes);
      const mode = statSync(w.ws).mode;
      for (const args of [['member', 'list'], ['member', 'add', 'bob@acme.example', '--name', 'Bob'], ['apply', w.file('r.csv', 'email\nbob@acme.example\n'), '--yes'], ['login', 'alice@acme.example', '--password-stdin']]) {
        const r = expectError(await w.run(args, { input: 'x\n' }), 6, 'WORKSPACE_CORRUPT');
        expect(r.err, describeRun(r)).not.toMatch(STACK);
      }
      expect(readFileSync(w.ws).equals(bytes), 'the file is not modified').toBe(true);
      expect(statSync(w.ws).mode).toBe(mode);
    });
  }

  it.skipIf(BACKEND === 'pg')('a workspace file from a newer rollcall (SQLite only: PostgreSQL has no workspace file): WORKSPACE_TOO_NEW (exit 6) for reads and writes, and nothing is written', async () => {
    const w = await World.ready({ spawn: true });
    w.sql("UPDATE meta SET value = '999' WHERE key = 'schema_version'; PRAGMA wal_checkpoint(TRUNCATE);");
    const bytes = readFileSync(w.ws);
    for (const args of [['member', 'list'], ['member', 'add', 'bob@acme.example', '--name', 'Bob']]) {
      expectError(await w.run(args), 6, 'WORKSPACE_TOO_NEW');
    }
    expect(readFileSync(w.ws).equals(bytes), 'the file is not modified').toBe(true);
  });

  it.skipIf(BACKEND === 'pg')('a directory as the workspace path is a clear exit 6 (SQLite only: PostgreSQL workspaces are URLs)', async () => {
    const w = new World({ spawn: true });
    const r = await w.run(['member', 'list'], { env: { ROLLCALL_WORKSPACE: w.dir } });
    expect(r.code, describeRun(r)).toBe(6);
    expect(r.err).not.toMatch(STACK);
  });
});
