// inputAgain (src/cli/input-file.ts): a roster apply that the store runs a second time reads its
// file again rather than keeping its bytes, and applies nothing if the file changed in between.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputAgain } from '../../src/cli/input-file.js';
import type { IO } from '../../src/cli/io.js';
import { caught } from '../core/harness.js';

const ioIn = (cwd: string) => ({ cwd, env: {} }) as unknown as IO;

describe('inputAgain', () => {
  it('reads an unchanged file again, byte for byte; a changed or removed one is INVALID_STATE naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-again-'));
    try {
      const bytes = Buffer.from('email\nbob@acme.example\n');
      writeFileSync(join(dir, 'r.csv'), bytes);
      const again = inputAgain(ioIn(dir), 'r.csv', bytes);
      expect(again().equals(bytes)).toBe(true);
      writeFileSync(join(dir, 'r.csv'), 'email\nmallory@acme.example\n');
      const changed = await caught(Promise.resolve().then(again));
      expect(changed.code).toBe('INVALID_STATE');
      expect(changed.message).toBe('r.csv changed while it was being applied');
      rmSync(join(dir, 'r.csv'));
      expect((await caught(Promise.resolve().then(again))).code).toBe('INVALID_STATE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps standard input, which cannot be read twice', () => {
    const bytes = Buffer.from('email\nbob@acme.example\n');
    expect(inputAgain(ioIn('/'), '-', bytes)()).toBe(bytes);
  });
});
