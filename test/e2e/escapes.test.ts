// Issue 18 (10): --json escapes the C1 controls (U+0080–U+009F), the line and paragraph separators and
// the bidi controls that JSON.stringify leaves raw; human output also shows bidi overrides, isolates
// and marks escaped, so that a name cannot reorder what a terminal shows.
import { describe, expect, it } from 'vitest';
import { World, describeRun, expectError, expectOk, type Result } from '../helpers/world.js';

const RLO = '\u202e';
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const C1 = ['\u0080', '\u0085', '\u009b', '\u009f'];
const NAME = `Mallory ${RLO}gpj.exe${C1.join('')}${BIDI.join('')}\u2028\u2029 end`;

function noRaw(r: Result, chars: string[]) {
  for (const c of chars) {
    const hex = `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    expect(r.out.includes(c), `raw ${hex} on stdout\n${describeRun(r)}`).toBe(false);
    expect(r.err.includes(c), `raw ${hex} on stderr\n${describeRun(r)}`).toBe(false);
  }
}

describe.concurrent('escapes', () => {
  it('--json output has no raw C1, U+2028/2029 or bidi characters, and parses back to the name as stored', async () => {
    const w = await World.ready();
    const added = expectOk(await w.run(['member', 'add', 'm@acme.example', '--name', NAME, '--json']));
    noRaw(added, [...C1, ...BIDI, '\u2028', '\u2029']);
    expect(added.out).toContain('\\u009b');
    expect(added.out).toContain('\\u202e');
    expect(added.json().name).toBe(NAME);
    for (const args of [['member', 'list'], ['member', 'show', 'm@acme.example'], ['audit', 'list']]) {
      const r = expectOk(await w.run([...args, '--json']));
      noRaw(r, [...C1, ...BIDI, '\u2028', '\u2029']);
    }
    expect((await w.member('m@acme.example')).name).toBe(NAME);
  });

  it('a --json error naming the text escapes it too', async () => {
    const w = await World.ready();
    const r = expectError(await w.run(['group', 'show', `G${RLO}\u009b`, '--json']), 3, 'NOT_FOUND');
    noRaw(r, [RLO, '\u009b']);
    expect(r.error()!.message).toContain(`G${RLO}\u009b`);
  });

  it('human output (tables, fields, org and group messages, errors) shows bidi controls escaped', async () => {
    const w = await World.ready();
    expectOk(await w.run(['member', 'add', 'm@acme.example', '--name', NAME, '--title', `Boss${RLO}`]));
    const org = `Sales${RLO}x`;
    for (const args of [['member', 'list'], ['member', 'show', 'm@acme.example'], ['org', 'add', org], ['org', 'list'], ['org', 'tree'],
      ['org', 'rename', org, `Sales${'\u2067'}y`], ['group', 'create', `G${RLO}`], ['group', 'list'], ['token', 'create', '--name', `t${RLO}`]]) {
      const r = expectOk(await w.run(args));
      noRaw(r, [...C1, ...BIDI, '\u2028', '\u2029']);
    }
    const shown = expectOk(await w.run(['member', 'show', 'm@acme.example']));
    expect(shown.out).toContain('\\u202e');
    noRaw(expectError(await w.run(['group', 'show', `G${RLO}x`]), 3, 'NOT_FOUND'), [RLO]);
  });
});
