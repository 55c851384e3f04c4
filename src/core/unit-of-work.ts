// One write or read of the workspace, as the core sees it: the transaction, the instant, who acts,
// the invocation's batch id, and the audit events to chain when the work is done.
import { chainEvents, type AuditEvent } from './audit/chain.js';
import type { Clock } from './clock.js';
import { newBatchId } from './ids.js';
import type { Member, Org } from './model.js';
import type { Store, Tx } from './store.js';

export class Scope {
  private orgCache: Org[] | null = null;
  readonly events: AuditEvent[] = [];
  /** Members the automatic purge removed for good in this transaction. */
  readonly autoPurged: Member[] = [];
  /** The audit head when the transaction began, before any automatic work: what a saved plan was made against. */
  startHead: { seq: number; hash: string } = { seq: 0, hash: '' };
  constructor(readonly tx: Tx, readonly now: Date, readonly actor: Member | null, readonly batch: string) {}

  private iso: string | null = null;
  get nowIso(): string {
    this.iso ??= this.now.toISOString();
    return this.iso;
  }

  /** The org list, read once per transaction; write paths call invalidateOrgs() after changing it. */
  async orgs(): Promise<Org[]> {
    this.orgCache ??= await this.tx.listOrgs();
    return this.orgCache;
  }
  invalidateOrgs() {
    this.orgCache = null;
  }

  record(event: AuditEvent) {
    this.events.push(event);
  }
}

export type Hook = (scope: Scope) => Promise<void>;

/** The workspace as the core uses it: a store, a clock, and one batch id for this invocation. */
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

  read<T>(actor: Member | null, fn: (s: Scope) => Promise<T>): Promise<T> {
    return this.store.read(async (tx) => {
      const scope = new Scope(tx, this.clock.now(), actor, this.batch);
      scope.startHead = await tx.auditHead();
      return fn(scope);
    });
  }

  /** A serialised write transaction: hooks, the work, then its audit events chained onto the log. */
  write<T>(actor: Member | null, fn: (s: Scope) => Promise<T>): Promise<T> {
    return this.store.write(async (tx) => {
      const scope = new Scope(tx, this.clock.now(), actor, this.batch);
      scope.startHead = await tx.auditHead();
      for (const hook of this.beforeWrite) await hook(scope);
      const result = await fn(scope);
      await flushAudit(scope, actor);
      return result;
    });
  }
}

async function flushAudit(scope: Scope, actor: Member | null) {
  if (!scope.events.length) return;
  const head = await scope.tx.auditHead();
  await scope.tx.appendAudit(chainEvents(head, scope.nowIso, actor?.email ?? null, scope.batch, scope.events));
}
