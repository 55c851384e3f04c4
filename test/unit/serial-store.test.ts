// The SCIM server serves concurrent requests over one store connection. A transaction begun while
// another is open on that connection joins it (the store's nesting), so two requests' writes would
// share one transaction: one's rollback undoes the other. serialised() runs one at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store, Tx } from '../../src/core/store.js';
import { serialised } from '../../src/server/scim/serial-store.js';
import { SqliteStore } from '../../src/store/sqlite/store.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sqlite(): SqliteStore {
  const dir = mkdtempSync(join(tmpdir(), 'rc-serial-'));
  dirs.push(dir);
  return SqliteStore.open(join(dir, 'ws.db'), { create: true });
}

/** Two writes at once: the first fails after the second has begun and written. */
async function racingWrites(store: Store) {
  const failing = store.write(async (tx) => {
    await tx.setMeta('first', 'yes');
    await pause(30);
    throw new Error('the first request is refused');
  });
  const second = store.write(async (tx: Tx) => {
    await pause(5);
    await tx.setMeta('second', 'kept');
  });
  await expect(failing).rejects.toThrow('refused');
  await second;
  return store.read((tx) => tx.getMeta());
}

describe('one transaction at a time per process', () => {
  it('without it, concurrent writes on one store share a transaction: the first one\'s rollback loses the second\'s write', async () => {
    const store = sqlite();
    const meta = await racingWrites(store);
    expect(meta.second).toBeUndefined(); // the hazard the server must not have
    await store.close();
  });

  it('serialised: each write is its own transaction, so the second commits whatever the first does', async () => {
    const store = sqlite();
    const meta = await racingWrites(serialised(store));
    expect(meta).toMatchObject({ second: 'kept' });
    expect(meta.first).toBeUndefined();
    await store.close();
  });

  it('never overlaps two transactions, reads and writes alike, in arrival order; nested calls run inside their turn', async () => {
    const log: string[] = [];
    let open = 0;
    let joined = 0;
    // As the real stores: a transaction begun while one is open joins it.
    const write = async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
      if (open > 0) {
        joined++;
        return fn({} as Tx);
      }
      open++;
      try {
        return await fn({} as Tx);
      } finally {
        open--;
      }
    };
    const fake = { kind: 'sqlite', location: 'fake', read: write, write } as unknown as Store;
    const store = serialised(fake);
    const work = (name: string, ms: number, read = false) => (read ? store.read : store.write)(async () => {
      log.push(`${name} begin`);
      await pause(ms);
      if (name === 'b') await store.read(async () => log.push('b nested'));
      log.push(`${name} end`);
      if (name === 'c') throw new Error('c fails');
    });
    const runs = [work('a', 20), work('b', 1), work('c', 5, true), work('d', 1)];
    expect(store.queued).toBe(4);
    const results = await Promise.allSettled(runs);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['a begin', 'a end', 'b begin', 'b nested', 'b end', 'c begin', 'c end', 'd begin', 'd end']);
    expect(store.queued).toBe(0);
    expect(joined).toBe(1); // b's own nested read, and nothing else
  });
});
