// src/cli/render.ts clean(): what a name may not do to a terminal.
import { describe, expect, it } from 'vitest';
import { Renderer, clean } from '../../src/cli/render.js';

describe('clean', () => {
  it('escapes C0, DEL and C1 controls as \\xNN', () => {
    expect(clean('a\u001b[31mb\u0007\u007f\u009b')).toBe('a\\x1b[31mb\\x07\\x7f\\x9b');
  });

  it.each(['202a', '202b', '202c', '202d', '202e', '2066', '2067', '2068', '2069', '200e', '200f', '061c', '2028', '2029'])(
    'escapes U+%s (a bidi control or a line separator) as a \\u escape, so a name cannot reorder what is shown', (hex) => {
      expect(clean(`evil${String.fromCharCode(parseInt(hex, 16))}gpj.exe`)).toBe(`evil\\u${hex}gpj.exe`);
    });

  it('leaves ordinary text alone, right-to-left scripts included', () => {
    for (const t of ['Zoë', '佐藤 花子', 'שלום', 'مرحبا', '🎉', 'a\\x1b']) expect(clean(t)).toBe(t);
    expect(clean(null)).toBe('');
  });
});

describe('--jq output (Renderer.emitJson)', () => {
  const io = (tty: boolean) => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out, err,
      io: { stdout: { isTTY: tty, write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, stdin: process.stdin, env: {}, cwd: '/' },
    };
  };
  const value = { names: ['a\u001b[31mb', 'x\u202ey'], n: 1 };

  it('at a terminal, escapes a string result as every name is; JSON keeps C1 and bidi characters escaped', async () => {
    const t = io(true);
    const r = new Renderer(t.io, true, true, new Date(), { jq: '.names[], {n, s: .names[1]}' });
    await r.init();
    r.emitJson(value);
    expect(t.out.join('')).toBe('a\\x1b[31mb\nx\\u202ey\n{"n":1,"s":"x\\u202ey"}\n');
  });

  it('piped, prints a string result raw, as jq -r does; debug output goes to stderr, escaped', async () => {
    const t = io(false);
    const r = new Renderer(t.io, true, true, new Date(), { jq: '.names[0] | debug' });
    await r.init();
    r.emitJson(value);
    expect(t.out.join('')).toBe('a\u001b[31mb\n');
    expect(t.err.join('')).toBe('["DEBUG:","a\\u001b[31mb"]\n'); // jq's own JSON escapes it
  });
});
