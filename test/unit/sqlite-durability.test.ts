// A write that a command reports is on disk (issue 21's guarantee: WAL, synced at commit): the
// workspace is opened in WAL mode with synchronous = FULL, created or opened again. NORMAL would
// sync only at checkpoints, so a power cut could undo a command that said it was done.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/store.js';

const dir = mkdtempSync(join(tmpdir(), 'rc-durable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FULL = 2; // PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA

describe('SQLite durability settings', () => {
  it('a workspace created, then opened again, writes in WAL mode and syncs at every commit', async () => {
    const path = join(dir, 'ws.db');
    for (const store of [() => SqliteStore.open(path, { create: true }), () => SqliteStore.open(path)]) {
      const s = store();
      try {
        expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
        expect(s.db.pragma('synchronous', { simple: true })).toBe(FULL);
        await s.write((tx) => tx.setMeta('probe', 'written'));
      } finally {
        await s.close();
      }
    }
  });
});
