// The workspace as the core uses it: a store, a clock, and one batch id for this invocation. It runs
// each read or write as a UnitOfWork: the acting member is checked again inside the transaction
// (SPEC §14), every write first purges members past their restore window, and ends by chaining its
// audit events onto the log.
import { actorBehind, recheckActor, type ActorProof } from './auth/actor.js';
import type { Clock } from './clock.js';
import { newBatchId } from './ids.js';
import type { MailAccess } from './mail/port.js';
import { purgeExpired } from './members/purge.js';
import type { Member } from './model.js';
import type { Store, Tx } from './store.js';
import { UnitOfWork } from './unit-of-work.js';

export type Hook = (work: UnitOfWork) => Promise<void>;

export class Workspace {
  private batchId: string | null = null;
  private readonly startedAt: Date;
  private beforeWrite: Hook[] = [];
  /** How this invocation's actor proved itself: re-checked in every transaction. */
  private proof: ActorProof | null = null;
  /** Whether a write of this invocation has committed: its change stands, whatever happens next. */
  committed = false;

  constructor(readonly store: Store, readonly clock: Clock, readonly mail: MailAccess | null = null) {
    this.startedAt = clock.now();
  }

  /** This invocation's batch id, stamped with its start; made when first needed (a read needs none). */
  get batch(): string {
    return (this.batchId ??= newBatchId(this.startedAt));
  }

  /** Work that runs at the start of every write transaction (the automatic purge). */
  onWrite(hook: Hook) {
    this.beforeWrite.push(hook);
  }

  /**
   * The member a token or session acts for, checked now; later transactions of this invocation
   * check the same proof again, inside the transaction.
   */
  async signIn(proof: ActorProof): Promise<Member> {
    const member = await this.read(null, (s) => actorBehind(s.tx, proof, s.now));
    this.proof = proof;
    return member;
  }

  read<T>(actor: Member | null, fn: (s: UnitOfWork) => Promise<T>): Promise<T> {
    return this.store.read(async (tx) => fn(await this.begin(tx, actor)));
  }

  /** A serialised write transaction: hooks, the work, then its audit events chained onto the log. */
  async write<T>(actor: Member | null, fn: (s: UnitOfWork) => Promise<T>): Promise<T> {
    const result = await this.store.write(async (tx) => {
      const work = await this.begin(tx, actor);
      for (const hook of this.beforeWrite) await hook(work);
      const result = await fn(work);
      await work.writeEvents();
      return result;
    });
    this.committed = true;
    return result;
  }

  /**
   * A write rehearsed: the same transaction as write() — the lock, the actor checked, the automatic
   * purge, every rule of `fn` — rolled back at the end. What a dry run answers is what the write
   * would do, or the same refusal (SPEC §14).
   */
  async rehearse<T>(actor: Member | null, fn: (s: UnitOfWork) => Promise<T>): Promise<T> {
    try {
      await this.store.write(async (tx) => {
        const work = await this.begin(tx, actor);
        for (const hook of this.beforeWrite) await hook(work);
        throw new Rehearsed(await fn(work));
      });
    } catch (e) {
      if (e instanceof Rehearsed) return e.value as T;
      throw e;
    }
    throw new Error('rehearse: the transaction ended without its result');
  }

  /**
   * The unit of work for a transaction that has begun (a writer holds the lock by now): the actor
   * as stored at this moment, never as it was when the command started.
   */
  private async begin(tx: Tx, actor: Member | null): Promise<UnitOfWork> {
    const now = this.clock.now();
    const current = actor ? await recheckActor(tx, actor, this.proof, now) : null;
    const work = new UnitOfWork(tx, now, current, () => this.batch, this.mail);
    work.startHead = await tx.auditHead();
    return work;
  }
}

/** Carries a rehearsal's result out of the transaction it rolls back. */
class Rehearsed {
  constructor(readonly value: unknown) {}
}

/** The workspace the commands use: every write transaction first purges members past their window. */
export function openWorkspace(store: Store, clock: Clock, mail: MailAccess | null = null): Workspace {
  const ws = new Workspace(store, clock, mail);
  ws.onWrite(async (s) => {
    await purgeExpired(s);
  });
  return ws;
}
