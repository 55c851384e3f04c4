// The workspace as the core uses it: a store, a clock, and one batch id for this invocation. It runs
// each read or write as a UnitOfWork; every write transaction first purges members past their
// restore window, and ends by chaining its audit events onto the log.
import { chainEvents } from './audit/chain.js';
import type { Clock } from './clock.js';
import { newBatchId } from './ids.js';
import { purgeExpired } from './members/purge.js';
import type { Member } from './model.js';
import type { Store } from './store.js';
import { UnitOfWork } from './unit-of-work.js';

export type Hook = (work: UnitOfWork) => Promise<void>;

export class Workspace {
  readonly batch: string;
  private beforeWrite: Hook[] = [];

  constructor(readonly store: Store, readonly clock: Clock) {
    this.batch = newBatchId(clock.now());
  }

  /** Work that runs at the start of every write transaction (the automatic purge). */
  onWrite(hook: Hook) {
    this.beforeWrite.push(hook);
  }

  read<T>(actor: Member | null, fn: (s: UnitOfWork) => Promise<T>): Promise<T> {
    return this.store.read(async (tx) => {
      const work = new UnitOfWork(tx, this.clock.now(), actor, this.batch);
      work.startHead = await tx.auditHead();
      return fn(work);
    });
  }

  /** A serialised write transaction: hooks, the work, then its audit events chained onto the log. */
  write<T>(actor: Member | null, fn: (s: UnitOfWork) => Promise<T>): Promise<T> {
    return this.store.write(async (tx) => {
      const work = new UnitOfWork(tx, this.clock.now(), actor, this.batch);
      work.startHead = await tx.auditHead();
      for (const hook of this.beforeWrite) await hook(work);
      const result = await fn(work);
      await flushAudit(work, actor);
      return result;
    });
  }
}

async function flushAudit(work: UnitOfWork, actor: Member | null) {
  if (!work.events.length) return;
  const head = await work.tx.auditHead();
  await work.tx.appendAudit(chainEvents(head, work.nowIso, actor?.email ?? null, work.batch, work.events));
}

/** The workspace the commands use: every write transaction first purges members past their window. */
export function openWorkspace(store: Store, clock: Clock): Workspace {
  const ws = new Workspace(store, clock);
  ws.onWrite(async (s) => {
    await purgeExpired(s);
  });
  return ws;
}
