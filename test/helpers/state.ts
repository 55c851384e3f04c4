import type { World } from './world.js';

/**
 * Everything stored in a World's workspace, comparable before and after a refused command:
 * the dump without pg_dump's per-run \restrict key.
 */
export function stateOf(w: World): string {
  return w.dump().replace(/^\\(un)?restrict .*$/gm, '');
}
