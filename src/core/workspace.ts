import type { Clock } from './clock.js';
import { purgeExpired } from './members/lifecycle.js';
import { Workspace } from './unit-of-work.js';
import type { Store } from './store.js';

/** The workspace the commands use: every write transaction first purges members past their window. */
export function openWorkspace(store: Store, clock: Clock): Workspace {
  const ws = new Workspace(store, clock);
  ws.onWrite(async (s) => {
    await purgeExpired(s);
  });
  return ws;
}
