// The unit of work: one read or write transaction as the core sees it. It carries the transaction,
// the instant, who acts, the invocation's batch id, how it sends mail, and the audit events to chain
// when the work is done.
// Every core function takes one as its first argument (`s`); Workspace (workspace.ts) makes them.
import { chainedRecords, type AuditEvent } from './audit/chain.js';
import type { MailAccess } from './mail/port.js';
import type { Member, Org } from './model.js';
import type { Tx } from './store.js';

export class UnitOfWork {
  private orgCache: Org[] | null = null;
  /** The audit events, in order: runs of recorded ones, and iterables made at commit (recordEach). */
  private readonly sources: Iterable<AuditEvent>[] = [];
  private run: AuditEvent[] | null = null;
  /** Members the automatic purge removed for good in this transaction. */
  readonly autoPurged: Member[] = [];
  /** The audit head when the transaction began, before any automatic work: what a saved plan was made against. */
  startHead: { seq: number; hash: string } = { seq: 0, hash: '' };
  /** How this invocation sends mail (null: it cannot): two-step sign-in, invite issue --send. */
  constructor(readonly tx: Tx, readonly now: Date, readonly actor: Member | null, private readonly batchOf: () => string, readonly mail: MailAccess | null = null) {}

  /** The invocation's batch id (asked for only by writes: making one draws random bytes). */
  get batch(): string {
    return this.batchOf();
  }

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
    if (!this.run) this.sources.push((this.run = []));
    this.run.push(event);
  }

  /**
   * Events made one by one as the log is written, at commit, in this place among the others: a bulk
   * change then never holds an event and its snapshots per member. What they are made from must not
   * change before the commit.
   */
  recordEach(events: Iterable<AuditEvent>) {
    this.sources.push(events);
    this.run = null;
  }

  get hasEvents(): boolean {
    return this.sources.length > 0;
  }

  *events(): Generator<AuditEvent> {
    for (const source of this.sources) yield* source;
  }

  /**
   * Chains the events recorded so far onto the log now, inside the transaction: a bulk write that
   * goes slice by slice lets each slice's members go once their entries are written. The workspace
   * writes what is left when the work is done.
   */
  async writeEvents(): Promise<void> {
    if (!this.hasEvents) return;
    const head = await this.tx.auditHead();
    await this.tx.appendAudit(chainedRecords(head, this.nowIso, this.actor?.email ?? null, this.batch, this.events()));
    this.sources.length = 0;
    this.run = null;
  }
}
