// The CLI names the flag behind a core error's field: the core itself never names a flag.
import { describe, expect, it } from 'vitest';
import { inTermsOfFlags } from '../../src/cli/flags.js';
import { RollcallError } from '../../src/core/errors.js';

describe('inTermsOfFlags', () => {
  it('names the flag in the hint when the core gave none', () => {
    const err = inTermsOfFlags(new RollcallError('INVALID_INPUT', 'bad kind', undefined, 'kind'), ['member', 'list', '--kind', 'x']);
    expect(err.hint).toBe('set it with --kind');
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe('bad kind');
  });

  it('adds the flag to the hint the core gave', () => {
    const err = inTermsOfFlags(new RollcallError('REMOVAL_LIMIT', 'too many', 'allow 12 removals', 'maxRemovals'), ['apply', 'r.csv', '--prune']);
    expect(err.hint).toBe('allow 12 removals (--max-removals)');
  });

  it('names the flag that was used where several carry the same field', () => {
    const field = new RollcallError('INVALID_INPUT', 'bad time', undefined, 'since');
    expect(inTermsOfFlags(field, ['member', 'restore', '--removed-since', 'x']).hint).toBe('set it with --removed-since');
    expect(inTermsOfFlags(field, ['audit', 'list', '--since=x']).hint).toBe('set it with --since');
    expect(inTermsOfFlags(new RollcallError('USAGE', 'say where', undefined, 'posts'), ['member', 'move', 'a@b.c']).hint)
      .toBe('set it with --org, --add-org or --remove-org');
  });

  it('leaves an error without a field as it is', () => {
    const err = new RollcallError('NOT_FOUND', 'no member x', 'list them');
    expect(inTermsOfFlags(err, [])).toBe(err);
  });
});

describe('core errors', () => {
  it('name no command-line flag in their messages', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
    const offenders = files('src/core').flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/fail\('[A-Z_]+',\s*(`[^`]*`|'[^']*')/g)].map((m) => m[1]).filter((msg) => /(^|[\s(`'])--[a-z]/.test(msg)).map((msg) => `${f}: ${msg}`));
    expect(offenders).toEqual([]);
  });
});
