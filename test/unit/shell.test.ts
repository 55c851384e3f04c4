// src/core/shell.ts: the words of a command a hint suggests, quoted so that a shell reads each as one
// word and runs none of it.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/core/shell.js';

/** The words `sh` makes of a command line (printed NUL-separated; nothing is run). */
function shWords(line: string): string[] {
  const r = spawnSync('sh', ['-c', `set -- ${line}\nprintf '%s\\0' "$@"`], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it.each([
    ['bob@acme.example', 'bob@acme.example'],
    ['Sales/Tokyo', 'Sales/Tokyo'],
    ['a+b=c:d,e%f_g-h.i', 'a+b=c:d,e%f_g-h.i'],
    ['', "''"],
    ['Design Team', "'Design Team'"],
    ["lee.o'neil@acme.example", "'lee.o'\\''neil@acme.example'"],
    ['$(touch pwned)', "'$(touch pwned)'"],
    ['-n', '-n'],
  ])('%j → %s', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it('sh reads every quoted string back as exactly that one word, and runs nothing', () => {
    const words = fc.sample(fc.string({ unit: fc.constantFrom(..."ab '\"$`\\!*?;&|<>(){}[]~#\n\t%@=:,./_-あ") , maxLength: 20 }), 300);
    words.push("'", "''", '\\', '$HOME', '`id`', '$(id)', '~', '*', 'a\nb');
    expect(shWords(words.map(shellQuote).join(' '))).toEqual(words);
  });
});
