// One transaction at a time on a store this process shares among requests. A store holds one
// connection, and a transaction begun while another is open on it joins that one (both backends
// nest that way, for a command's own nested calls): two requests' writes would share a transaction,
// and a rollback of one would undo the other. The server hands every request this wrapper instead:
// read and write transactions queue, first come first served; a call made inside a transaction
// (the same request's own nesting) runs at once. Other processes are kept apart by the database
// (SQLite's file lock, PostgreSQL's lock on the chain head).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Store } from '../../core/store.js';

export interface SerialStore extends Store {
  /** Transactions waiting for their turn, and the one running: for the health check. */
  readonly queued: number;
}

export function serialised(store: Store): SerialStore {
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  const inside = new AsyncLocalStorage<true>();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    if (inside.getStore()) return fn();
    queued++;
    const run = tail.then(() => inside.run(true, fn)).finally(() => { queued--; });
    tail = run.catch(() => undefined);
    return run;
  };
  return {
    kind: store.kind,
    location: store.location,
    get queued() {
      return queued;
    },
    read: (fn) => inTurn(() => store.read(fn)),
    write: (fn) => inTurn(() => store.write(fn)),
    backup: (dest) => inTurn(() => store.backup(dest)),
    copyInto: (to) => inTurn(() => store.copyInto(to)),
    ownerAccessProblem: () => inTurn(() => store.ownerAccessProblem()),
    discard: () => inTurn(() => store.discard()),
    close: () => inTurn(() => store.close()),
  };
}
