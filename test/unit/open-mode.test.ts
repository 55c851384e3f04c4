// How a SQLite workspace is opened (src/store/sqlite/read-only.ts), with the file system's answers
// scripted. The race the CI found: a writer closing between two questions removes X-wal and X-shm,
// and the write that asked was refused (WORKSPACE_UNAVAILABLE) as if this user could not write them.
import { describe, expect, it } from 'vitest';
import { openMode, type FileProbe } from '../../src/store/sqlite/read-only.js';

const WS = '/ws/acme.db';

/** A file system where `present` files exist, `locked` ones may not be written, and `vanish` ones go once they are seen. */
function probe(present: string[], opts: { locked?: string[]; vanish?: string[]; comeBack?: boolean } = {}): FileProbe & { asked: number } {
  const there = new Set(present.map((f) => (f === '' ? WS : WS + f)));
  const vanish = new Set((opts.vanish ?? []).map((f) => WS + f));
  const locked = new Set((opts.locked ?? []).map((f) => WS + f));
  const p = {
    asked: 0,
    exists: (path: string) => there.has(path) || path === '/ws',
    writable(path: string) {
      p.asked++;
      if (vanish.has(path)) { // seen a moment ago, gone now (and back again, when told to come back)
        for (const f of vanish) there.delete(f);
        if (opts.comeBack) for (const f of vanish) there.add(f);
        return null;
      }
      if (path !== '/ws' && !there.has(path)) return null;
      return !locked.has(path);
    },
    size: () => 0,
  };
  return p;
}

describe('opening a SQLite workspace', () => {
  it('a writer\'s -wal and -shm removed between two questions: asked again, and written', () => {
    expect(openMode(WS, probe(['', '-wal', '-shm'], { vanish: ['-wal'] }))).toEqual({ kind: 'write' });
  });

  it('files that come and go without end: written after a few tries (SQLite says if it cannot)', () => {
    const p = probe(['', '-wal', '-shm'], { vanish: ['-shm'], comeBack: true });
    expect(openMode(WS, p)).toEqual({ kind: 'write' });
    expect(p.asked).toBeLessThan(20);
  });

  it('a -shm this user may not write (left by another user) is still read only, through it', () => {
    expect(openMode(WS, probe(['', '-wal', '-shm'], { locked: ['-shm'] }))).toMatchObject({ kind: 'read' });
  });

  it('a workspace this user may not write, with no -wal: a snapshot', () => {
    expect(openMode(WS, probe([''], { locked: [''] }))).toMatchObject({ kind: 'snapshot' });
  });
});
